import { describe, expect, it } from 'vitest';
import { ConnectionCreate, ConnectionUpdate, fieldErrors } from '../../shared/schemas';
import { normaliseVaultDns } from '../../shared/dns';

describe('Vault DNS', () => {
  it.each([
    ['myvault.veevavault.com', 'myvault.veevavault.com'],
    ['  MyVault.VeevaVault.com ', 'myvault.veevavault.com'],
    ['https://myvault.veevavault.com/ui/#home', 'myvault.veevavault.com'],
    ['127.0.0.1:8441', '127.0.0.1:8441'],
    ['vault.example.com:443', 'vault.example.com'],
  ])('accepts %s as %s', (input, dns) => {
    expect(normaliseVaultDns(input)).toEqual({ ok: true, dns });
  });

  it.each([
    ['', /Enter the Vault DNS/],
    ['http://myvault.veevavault.com', /https only/],
    ['my vault.com', /not a valid host/],
    ['-bad.example.com', /not a valid host/],
    ['host:0', /port/],
    ['host:70000', /port/],
    ['a:b:c', /host or host:port/],
  ])('refuses %j', (input, message) => {
    const result = normaliseVaultDns(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});

describe('connection schemas', () => {
  const valid = { name: 'Acme PromoMats', dns: 'acme-promo.veevavault.com', username: 'me@acme.com' };

  it('fills defaults', () => {
    expect(ConnectionCreate.parse(valid)).toEqual({
      ...valid,
      apiVersion: 'v26.2',
      authMethod: 'password',
      clientId: 'vault-token-desk',
      rememberSecret: false,
      loginHost: null,
      idpClientId: null,
      client: null,
      environment: null,
    });
  });

  it('single sign-on: a login host like a DNS, no password, an identity-provider client id', () => {
    const sso = { ...valid, authMethod: 'sso' };
    expect(ConnectionCreate.parse({ ...sso, loginHost: ' Login.Example.com:8443 ' })).toMatchObject({
      loginHost: 'login.example.com:8443',
      idpClientId: null,
    });
    expect(ConnectionCreate.parse({ ...sso, loginHost: '', idpClientId: '0oa1b2c3' })).toMatchObject({
      loginHost: null,
      idpClientId: '0oa1b2c3',
    });
    const bad = ConnectionCreate.safeParse({ ...sso, loginHost: 'http://login.example.com', idpClientId: 'a b' });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(Object.keys(fieldErrors(bad.error)).sort()).toEqual(['idpClientId', 'loginHost']);
    const password = ConnectionCreate.safeParse({ ...sso, secret: 'pw', rememberSecret: true });
    expect(password.success).toBe(false);
    if (password.success) return;
    expect(fieldErrors(password.error)).toEqual({
      secret: 'Single sign-on has no password here: sign in with your browser after saving.',
    });
  });

  it('reports every bad field by name', () => {
    const result = ConnectionCreate.safeParse({
      name: ' ',
      dns: 'http://x',
      username: '',
      apiVersion: '26',
      clientId: 'no spaces!',
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const fields = fieldErrors(result.error);
    expect(Object.keys(fields).sort()).toEqual(['apiVersion', 'clientId', 'dns', 'name', 'username']);
    expect(fields.dns).toMatch(/https only/);
  });

  it('asks for the secret when told to remember one', () => {
    const result = ConnectionCreate.safeParse({ ...valid, rememberSecret: true });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error).secret).toMatch(/Enter the secret/);
  });

  it('update needs an id', () => {
    expect(ConnectionUpdate.safeParse(valid).success).toBe(false);
    expect(ConnectionUpdate.safeParse({ ...valid, id: 'abc' }).success).toBe(true);
  });
});
