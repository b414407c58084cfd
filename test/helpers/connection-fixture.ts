import type { Connection } from '../../shared/domain';

/** A saved connection as main returns it, for tests that need one without a database. */
export function connectionFixture(over: Partial<Connection> = {}): Connection {
  return {
    id: 'c-1',
    name: 'QA Vault',
    dns: 'qa.veevavault.com',
    apiVersion: 'v26.2',
    username: 'me@example.com',
    authMethod: 'password',
    clientId: 'vault-token-desk',
    client: null,
    environment: null,
    secretStored: true,
    loginHost: null,
    idpClientId: null,
    ssoProfile: null,
    secretRefused: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
