/**
 * Client groups (issue 15, item 3): a connection belongs to a client ("Acme") and has an
 * environment (DEV … PROD). One place that parses what people type and decides who matches a
 * client / environment filter, for main, renderer and CLI alike.
 */
import { CONNECTION_ENVIRONMENTS, type Connection, type ConnectionEnvironment } from './domain';

export const CLIENT_MAX_LENGTH = 80;

/** The word shown for each environment; PROD is also marked with an icon where it matters (ProdWarning). */
export const ENVIRONMENT_LABEL: Record<ConnectionEnvironment, string> = {
  DEV: 'DEV',
  QA: 'QA',
  UAT: 'UAT',
  PROD: 'PROD',
  sandbox: 'Sandbox',
  other: 'Other',
};

const ALIASES: Record<string, ConnectionEnvironment> = {
  DEVELOPMENT: 'DEV',
  TEST: 'QA',
  PRODUCTION: 'PROD',
  PRD: 'PROD',
  SBX: 'sandbox',
};

/** "prod", "Production", " UAT ", "Sandbox" → the environment; anything else → null (never guessed from Vault names). */
export function parseEnvironment(value: string | null | undefined): ConnectionEnvironment | null {
  const v = value?.trim().toUpperCase();
  if (!v) return null;
  const exact = CONNECTION_ENVIRONMENTS.find((e) => e.toUpperCase() === v);
  return exact ?? ALIASES[v] ?? null;
}

/** The words parseEnvironment accepts, for error messages. */
export const ENVIRONMENT_HINT = `one of ${CONNECTION_ENVIRONMENTS.join(', ')}`;

/** Trims and collapses inner spaces; empty → null. "acme " and "Acme" are the same client (compared without case). */
export function normaliseClient(value: string | null | undefined): string | null {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : null;
}

export const clientKey = (client: string | null): string => (client ?? '').toLocaleLowerCase('en');

/** A client / environment filter. Empty or missing lists mean "any"; '' in `clients` means "no client". */
export interface GroupFilter {
  clients?: readonly string[] | null;
  environments?: readonly ConnectionEnvironment[] | null;
}

export function hasGroupFilter(f: GroupFilter): boolean {
  return Boolean(f.clients?.length || f.environments?.length);
}

export function matchesGroup(c: Pick<Connection, 'client' | 'environment'>, f: GroupFilter): boolean {
  if (f.clients?.length) {
    const wanted = new Set(f.clients.map((x) => clientKey(normaliseClient(x))));
    if (!wanted.has(clientKey(c.client))) return false;
  }
  if (f.environments?.length && !(c.environment && f.environments.includes(c.environment))) return false;
  return true;
}

/** Every client in use, once each (the first spelling met), sorted: the completion list and filter options. */
export function knownClients(connections: readonly Pick<Connection, 'client'>[]): string[] {
  const byKey = new Map<string, string>();
  for (const c of connections)
    if (c.client && !byKey.has(clientKey(c.client))) byKey.set(clientKey(c.client), c.client);
  return [...byKey.values()].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
}

const ENV_ORDER = new Map(CONNECTION_ENVIRONMENTS.map((e, i) => [e, i]));

/** Sort key for grouping: client (none last), then environment in DEV→PROD order (none last), then name. */
export function compareByGroup(
  a: Pick<Connection, 'client' | 'environment' | 'name'>,
  b: Pick<Connection, 'client' | 'environment' | 'name'>,
): number {
  if (Boolean(a.client) !== Boolean(b.client)) return a.client ? -1 : 1;
  const byClient = (a.client ?? '').localeCompare(b.client ?? '', 'en', { sensitivity: 'base' });
  if (byClient) return byClient;
  const ea = a.environment ? ENV_ORDER.get(a.environment)! : 99;
  const eb = b.environment ? ENV_ORDER.get(b.environment)! : 99;
  return ea - eb || a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
}

/** "Acme · PROD", "Acme", "PROD", or "No client". */
export function groupLabel(c: Pick<Connection, 'client' | 'environment'>): string {
  const parts = [c.client, c.environment ? ENVIRONMENT_LABEL[c.environment] : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'No client';
}
