/**
 * A consultant's Vaults: 5 clients × 4 applications × Prod/UAT = 40 Vaults whose names differ
 * only at the end ("Acme PromoMats Prod" / "…UAT"), with the client group each belongs to
 * (issue 15). Shared by the browser suites that look at the app at consultant scale.
 */
import type { ConnectionEnvironment } from '../../shared/domain';
import type { FakeUserSeed, FakeVaultSeed } from '../fake-vault/index';

export const CONSULTANT_CLIENTS = ['Acme', 'Borealis Pharma', 'Cobalt Biotech', 'Delta Therapeutics', 'Evergreen Labs'];
export const CONSULTANT_APPS = ['PromoMats', 'QualityDocs', 'RIM', 'Safety'];

export interface ConsultantVault extends FakeVaultSeed {
  id: number;
  name: string;
  client: string;
  environment: ConnectionEnvironment;
}

export const CONSULTANT_VAULTS: ConsultantVault[] = CONSULTANT_CLIENTS.flatMap((client, c) =>
  CONSULTANT_APPS.flatMap((app, a) =>
    (['Prod', 'UAT'] as const).map((env, e): ConsultantVault => ({
      id: 1000 + c * 8 + a * 2 + e,
      name: `${client} ${app} ${env}`,
      client,
      environment: env === 'Prod' ? 'PROD' : 'UAT',
    })),
  ),
);

/** The consultant's own login: Vault owner in every Vault, signing in with `password`. */
export const CONSULTANT_ADMIN_ID = 900;
export function consultantAdmin(password: string): FakeUserSeed {
  return {
    id: CONSULTANT_ADMIN_ID,
    username: 'admin@example.com',
    password,
    firstName: 'Avery',
    lastName: 'Admin',
    securityProfile: 'vault_owner__v',
    vaults: 'all',
  };
}
