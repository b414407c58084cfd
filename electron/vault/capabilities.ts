/**
 * The read-only capability check: "what may this login do on this Vault?".
 * Every step is a read (docs/vault-api.md): whoami and the version list
 * (§3.8), three one-row VQL counts (§2.1, §2.2 `responseDetails.total`), and
 * the burst headers (§5.3). Nothing is created or changed. One refused step
 * never hides the others: each becomes a "no" with Vault's reason.
 */
import { TOKEN_ENDPOINTS_MIN_VERSION, compareApiVersions, type CapabilityCheck } from '../../shared/capabilities';
import { isVaultError } from './errors';
import { queryAll, vqlString } from './query';
import type { SessionManager } from './session-manager';
import { z } from 'zod';

const anyRow = z.unknown();

/** `responseDetails.total` of a one-row query; throws what Vault said. */
export async function countRows(session: SessionManager, vql: string): Promise<number> {
  let total: number | null = null;
  let size = 0;
  await queryAll(session, `${vql} PAGESIZE 1`, anyRow, {
    firstPageOnly: true,
    onPage: (rows, page) => {
      total = page.total;
      size = rows.length;
    },
  });
  return total ?? size;
}

function reason(error: unknown): string {
  if (isVaultError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function versionChecks(versions: string[], apiVersion: string): CapabilityCheck[] {
  const sorted = [...versions].sort(compareApiVersions);
  const newest = sorted.at(-1) ?? 'none';
  const tokenReady = sorted.filter((v) => compareApiVersions(v, TOKEN_ENDPOINTS_MIN_VERSION) >= 0);
  const uses = compareApiVersions(apiVersion, TOKEN_ENDPOINTS_MIN_VERSION) >= 0;
  return [
    {
      id: 'api-versions',
      label: 'API versions offered',
      status: sorted.includes(apiVersion) ? 'yes' : 'no',
      detail: sorted.includes(apiVersion)
        ? `${sorted[0]} to ${newest} (${plural(sorted.length, 'version')}); this connection uses ${apiVersion}.`
        : `This Vault does not offer ${apiVersion}; it offers ${sorted[0] ?? 'none'} to ${newest}.`,
    },
    {
      id: 'token-endpoints',
      label: 'Token endpoints available',
      status: uses && tokenReady.length > 0 ? 'yes' : 'no',
      detail:
        tokenReady.length === 0
          ? `Generate API Access Token is documented from ${TOKEN_ENDPOINTS_MIN_VERSION}; this Vault offers only up to ${newest}.`
          : uses
            ? `Generate API Access Token is documented from ${TOKEN_ENDPOINTS_MIN_VERSION}; ${apiVersion} has it.`
            : `This connection uses ${apiVersion}, older than ${TOKEN_ENDPOINTS_MIN_VERSION} where the token endpoints are documented. Edit the connection to use ${tokenReady.at(-1)}.`,
    },
  ];
}

/** The token and user checks, for login `userId`. Each query failure becomes a "no" with Vault's reason. */
export async function accessChecks(session: SessionManager, userId: string): Promise<CapabilityCheck[]> {
  const me = vqlString(userId);
  const own = await countRows(
    session,
    `SELECT id FROM api_access_token__sys WHERE user__sys = ${me} AND status__v = 'active__v'`,
  ).then(
    (n): CapabilityCheck => ({
      id: 'own-tokens',
      label: 'List its own tokens',
      status: 'yes',
      detail: `${plural(n, 'active token')} of the 25 Vault allows per user.`,
    }),
    (e: unknown): CapabilityCheck => ({
      id: 'own-tokens',
      label: 'List its own tokens',
      status: 'no',
      detail: reason(e),
    }),
  );
  const others = await countRows(session, `SELECT id FROM api_access_token__sys WHERE user__sys != ${me}`).then(
    (n): CapabilityCheck =>
      n > 0
        ? {
            id: 'all-tokens',
            label: "List all users' tokens (admin view)",
            status: 'yes',
            detail: `Sees ${plural(n, 'token')} of other users.`,
          }
        : {
            id: 'all-tokens',
            label: "List all users' tokens (admin view)",
            status: 'unknown',
            detail:
              "No other user's token is visible: either this login sees only its own tokens, or nobody else has one.",
          },
    (e: unknown): CapabilityCheck => ({
      id: 'all-tokens',
      label: "List all users' tokens (admin view)",
      status: 'no',
      detail: reason(e),
    }),
  );
  const users = await countRows(session, `SELECT id FROM user__sys WHERE status__v = 'active__v'`).then(
    (n): CapabilityCheck => ({
      id: 'read-users',
      label: 'Read users (for the user picker)',
      status: 'yes',
      detail: `${plural(n, 'active user')} visible.`,
    }),
    (e: unknown): CapabilityCheck => ({
      id: 'read-users',
      label: 'Read users (for the user picker)',
      status: 'no',
      detail: reason(e),
    }),
  );
  return [own, others, users];
}

export function burstCheck(remaining: number | null, limit: number | null): CapabilityCheck {
  if (remaining === null) {
    return {
      id: 'burst-limit',
      label: 'Burst limit remaining',
      status: 'unknown',
      detail: 'Vault sent no X-VaultAPI-BurstLimitRemaining header.',
    };
  }
  const of = limit === null ? '' : ` of ${limit.toLocaleString('en-US')}`;
  return {
    id: 'burst-limit',
    label: 'Burst limit remaining',
    status: remaining > 0 ? 'yes' : 'no',
    detail:
      remaining > 0
        ? `${remaining.toLocaleString('en-US')}${of} calls left in this 5-minute window.`
        : `No calls left in this 5-minute window${of ? ` (limit ${limit})` : ''}: Vault delays every answer until it ends.`,
  };
}
