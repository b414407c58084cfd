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
