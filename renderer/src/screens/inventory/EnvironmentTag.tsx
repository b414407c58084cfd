import { ENVIRONMENT_LABEL } from '../../../../shared/connection-groups';
import type { Environment } from '../../lib/environment';

const TITLE: Record<Environment, string> = {
  DEV: 'Development Vault',
  QA: 'QA Vault',
  UAT: 'User acceptance testing Vault',
  PROD: 'Production Vault',
  sandbox: 'Sandbox Vault',
  other: 'Vault in another environment',
};

/** DEV / QA / UAT / PROD … as a word (never colour alone); nothing at all when the environment is not set. */
export function EnvironmentTag({ environment }: { environment: Environment | null | undefined }) {
  if (!environment) return null;
  return (
    <span className={`env-tag env-tag--${environment.toLowerCase()}`} title={TITLE[environment]}>
      {ENVIRONMENT_LABEL[environment]}
    </span>
  );
}
