/**
 * Which Vault Generate offers, and how (issue 13, item 5): the preselection from the inventory's
 * selection or Vault filter, the client groups and the PROD mark of the searchable picker, and the
 * sandbox names a login reaches. Pure functions, unit-tested in test/unit/generate-vault-choices.test.ts.
 */
import type { Connection } from '../../../../shared/domain';
import type { ReachableVaultInfo } from '../../../../shared/contract/connections';
import { connectionEnvironment } from '../../lib/environment';

/**
 * The connection Generate opens on, or null to make the person choose (at 40 Vaults a silent
 * default is how a token ends up in the wrong Vault):
 *  - the selected rows, when they all belong to one connection (imported rows, which have none, say nothing);
 *  - rows of several connections are ambiguous: no preselection, whatever the filter says;
 *  - else the Vault filter, when it names exactly one connection;
 *  - else the only connection there is.
 */
export function preselectConnectionId(input: {
  connections: readonly Pick<Connection, 'id'>[];
  /** The connection of each explicitly selected row (empty for "all matching", whose rows the filter describes). */
  selectedConnectionIds: readonly (string | null)[];
  /** The toolbar's Vault filter. */
  filteredConnectionIds: readonly string[];
}): string | null {
  const known = new Set(input.connections.map((c) => c.id));
  const selected = new Set(input.selectedConnectionIds.filter((id): id is string => id !== null && known.has(id)));
  if (selected.size === 1) return [...selected][0]!;
  if (selected.size > 1) return null;
  const filtered = new Set(input.filteredConnectionIds.filter((id) => known.has(id)));
  if (filtered.size === 1) return [...filtered][0]!;
  if (input.connections.length === 1) return input.connections[0]!.id;
  return null;
}

/**
 * The client a connection belongs to, for the picker's groups. Issue 15 adds `connection.client`;
 * until then it is the first word of the connection's name ("Acme PromoMats Prod" → "Acme").
 * This is the one place that decides it.
 */
export function clientOf(connection: Pick<Connection, 'name'>): string {
  const client = (connection as { client?: { name?: string | null } | string | null }).client;
  const fromField = typeof client === 'string' ? client : client?.name;
  if (fromField?.trim()) return fromField.trim();
  return connection.name.trim().split(/\s+/)[0] ?? connection.name;
}

const PROD_WORDS = new Set(['prod', 'production']);
/** Words that turn a following "prod" into "not production": "pre-prod", "non prod". */
const NOT_PROD_BEFORE = new Set(['pre', 'non']);

function saysProduction(text: string): boolean {
  const words = text.toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w, i) => PROD_WORDS.has(w) && !NOT_PROD_BEFORE.has(words[i - 1] ?? ''));
}

/**
 * Whether a connection is a production Vault, to mark it PROD. The environment of the connection's
 * group wins once issue 15 adds it (lib/environment.ts); until then a name or a DNS that says
 * "prod" or "production" as a word ("Acme PromoMats Prod", "acme-promomats-prod.veevavault.com"),
 * never "pre-prod" or "non-prod". The one place that decides it.
 */
export function isProductionVault(connection: Pick<Connection, 'name' | 'dns'>): boolean {
  const environment = connectionEnvironment(connection as Connection);
  if (environment) return environment === 'PROD';
  const host = connection.dns.split(':')[0] ?? '';
  const firstLabel = host.split('.')[0] ?? '';
  return saysProduction(connection.name) || saysProduction(firstLabel);
}

export interface VaultGroup<C> {
  /** The client's name; null when the list is one plain group (no heading). */
  label: string | null;
  connections: C[];
}

/**
 * The picker's groups, by client, sorted by client then name. When grouping would tell nothing
 * (one client, or no client with two Vaults) it is one group without a heading.
 */
export function groupByClient<C extends Pick<Connection, 'name'>>(connections: readonly C[]): VaultGroup<C>[] {
  const byName = [...connections].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  const groups = new Map<string, C[]>();
  for (const c of byName) {
    const client = clientOf(c);
    const key = client.toLocaleLowerCase();
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  const lists = [...groups.values()];
  if (lists.length <= 1 || lists.every((l) => l.length === 1)) return [{ label: null, connections: byName }];
  return lists
    .map((l) => ({ label: clientOf(l[0]!), connections: l }))
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
}

/**
 * Whether a Vault matches what was typed: every word of the query is found in its name, DNS or
 * client, or is "prod" for a production Vault. Case and accents do not matter.
 */
export function vaultMatches(connection: Pick<Connection, 'name' | 'dns'>, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = fold(`${connection.name} ${connection.dns} ${clientOf(connection)}`);
  const prod = isProductionVault(connection);
  return words.every((w) => haystack.includes(w) || (prod && PROD_WORDS.has(w)));
}

/** Lower case without accents, for matching what people type. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The names offered for "Me, in a sandbox": the other Vaults the parent's login reaches, by name,
 * because the sandbox endpoint takes the name shown on My Vaults (docs/vault-api.md §1.4), and a
 * password or single sign-on login lists them with their names (`vaultIds`, §3.2). The parent itself
 * and nameless entries are left out; a name that appears twice is offered once.
 */
export function sandboxChoices(reachable: readonly ReachableVaultInfo[]): { name: string; dns: string }[] {
  const seen = new Set<string>();
  const out: { name: string; dns: string }[] = [];
  for (const v of reachable) {
    const name = v.name?.trim();
    if (v.self || !name) continue;
    const key = name.toLocaleLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name, dns: v.dns });
  }
  // Names that say "sandbox" first: Vault does not tell sandboxes from sibling Vaults in vaultIds.
  return out.sort(
    (a, b) =>
      Number(/sandbox/i.test(b.name)) - Number(/sandbox/i.test(a.name)) ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  );
}
