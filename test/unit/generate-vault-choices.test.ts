/**
 * Which Vault Generate offers (renderer/src/screens/generate/vault-choices.ts, issue 13 item 5):
 * the preselection from the selection or the Vault filter, the client groups, the PROD mark, what
 * typing matches, and the sandbox names from the Vaults a login reaches (docs/vault-api.md §1.4, §3.2).
 */
import { describe, expect, it } from 'vitest';
import {
  clientOf,
  groupByClient,
  isProductionVault,
  preselectConnectionId,
  sandboxChoices,
  vaultMatches,
} from '../../renderer/src/screens/generate/vault-choices';
import type { ReachableVaultInfo } from '../../shared/contract/connections';

const vault = (id: string, name: string, dns = `${id}.veevavault.com`) => ({ id, name, dns });
const FORTY = ['Acme', 'Borealis Pharma', 'Cobalt Biotech', 'Delta Therapeutics', 'Evergreen Labs'].flatMap((client) =>
  ['PromoMats', 'QualityDocs', 'RIM', 'Safety'].flatMap((app) =>
    ['Prod', 'UAT'].map((env) =>
      vault(`${client}-${app}-${env}`.toLowerCase().replace(/ /g, '-'), `${client} ${app} ${env}`),
    ),
  ),
);

describe('preselectConnectionId', () => {
  const connections = [vault('a', 'Acme PromoMats Prod'), vault('b', 'Acme PromoMats UAT'), vault('c', 'Borealis RIM')];

  it('takes the connection of the selected rows when they all share one', () => {
    expect(
      preselectConnectionId({ connections, selectedConnectionIds: ['b', 'b', 'b'], filteredConnectionIds: ['a', 'c'] }),
    ).toBe('b');
  });

  it('chooses nothing when the selected rows are of several connections, whatever the filter says', () => {
    expect(
      preselectConnectionId({ connections, selectedConnectionIds: ['a', 'b'], filteredConnectionIds: ['a'] }),
    ).toBe(null);
  });

  it('ignores imported rows (no connection) and ids of connections that are gone', () => {
    expect(
      preselectConnectionId({ connections, selectedConnectionIds: [null, 'gone', 'c'], filteredConnectionIds: [] }),
    ).toBe('c');
    expect(preselectConnectionId({ connections, selectedConnectionIds: [null], filteredConnectionIds: ['a'] })).toBe(
      'a',
    );
  });

  it('takes the Vault filter when it names exactly one connection', () => {
    expect(preselectConnectionId({ connections, selectedConnectionIds: [], filteredConnectionIds: ['c'] })).toBe('c');
    expect(preselectConnectionId({ connections, selectedConnectionIds: [], filteredConnectionIds: ['a', 'c'] })).toBe(
      null,
    );
  });

  it('has no silent default: nothing selected or filtered means the person chooses, unless there is one connection', () => {
    expect(preselectConnectionId({ connections, selectedConnectionIds: [], filteredConnectionIds: [] })).toBe(null);
    expect(
      preselectConnectionId({ connections: [connections[2]!], selectedConnectionIds: [], filteredConnectionIds: [] }),
    ).toBe('c');
  });
});

describe('isProductionVault', () => {
  it('marks a name or a DNS that says prod or production as a word', () => {
    expect(isProductionVault(vault('x', 'Acme PromoMats Prod'))).toBe(true);
    expect(isProductionVault(vault('x', 'Acme Production', 'acme.veevavault.com'))).toBe(true);
    expect(isProductionVault(vault('x', 'Acme PromoMats', 'acme-promomats-prod.veevavault.com'))).toBe(true);
    expect(isProductionVault(vault('x', 'Acme RIM', 'acme-rim-production.veevavault.com:8443'))).toBe(true);
  });

  it('does not mark pre-prod, non-prod, UAT, words that only contain "prod", or a domain that does', () => {
    expect(isProductionVault(vault('x', 'Acme PromoMats Pre-Prod'))).toBe(false);
    expect(isProductionVault(vault('x', 'Acme non prod'))).toBe(false);
    expect(isProductionVault(vault('x', 'Acme PromoMats UAT'))).toBe(false);
    expect(isProductionVault(vault('x', 'Acme Products'))).toBe(false);
    expect(isProductionVault(vault('x', 'Acme UAT', 'acme-uat.prod.example.com'))).toBe(false);
  });

  it('lets the connection’s own environment decide when it is set (issue 15)', () => {
    expect(isProductionVault({ ...vault('x', 'Acme PromoMats Prod'), environment: 'UAT' } as never)).toBe(false);
    expect(isProductionVault({ ...vault('x', 'Acme Main'), environment: 'PROD' } as never)).toBe(true);
  });
});

describe('groupByClient', () => {
  it('groups 40 Vaults by the first word of their names, clients and names in order', () => {
    const groups = groupByClient([...FORTY].reverse());
    expect(groups.map((g) => g.label)).toEqual(['Acme', 'Borealis', 'Cobalt', 'Delta', 'Evergreen']);
    expect(groups.every((g) => g.connections.length === 8)).toBe(true);
    expect(groups[0]!.connections.map((c) => c.name).slice(0, 3)).toEqual([
      'Acme PromoMats Prod',
      'Acme PromoMats UAT',
      'Acme QualityDocs Prod',
    ]);
  });

  it('is one plain group when grouping tells nothing: one client, or no client with two Vaults', () => {
    expect(groupByClient([vault('a', 'Alpha PromoMats'), vault('b', 'Beta QualityDocs')])).toEqual([
      { label: null, connections: [vault('a', 'Alpha PromoMats'), vault('b', 'Beta QualityDocs')] },
    ]);
    expect(groupByClient([vault('b', 'Acme RIM'), vault('a', 'acme PromoMats')])[0]!.label).toBe(null);
  });

  it('uses connection.client when issue 15 adds it', () => {
    const withClient = [
      { ...vault('a', 'PromoMats Prod'), client: 'Acme' },
      { ...vault('b', 'RIM UAT'), client: 'Acme' },
      { ...vault('c', 'Safety'), client: 'Borealis' },
    ];
    expect(clientOf(withClient[0]!)).toBe('Acme');
    expect(groupByClient(withClient).map((g) => [g.label, g.connections.map((c) => c.id)])).toEqual([
      ['Acme', ['a', 'b']],
      ['Borealis', ['c']],
    ]);
  });
});

describe('vaultMatches', () => {
  it('needs every typed word in the name, the DNS or the client, in any case and without accents', () => {
    const prod = vault('x', 'Acme PromoMats Prod', 'acme-promo.veevavault.com');
    expect(vaultMatches(prod, '')).toBe(true);
    expect(vaultMatches(prod, 'promo acme')).toBe(true);
    expect(vaultMatches(prod, 'ACME-PROMO.VEEVA')).toBe(true);
    expect(vaultMatches(prod, 'acme rim')).toBe(false);
    expect(vaultMatches(vault('y', 'Société Générale QMS'), 'societe')).toBe(true);
  });

  it('matches "prod" for a Vault marked production only', () => {
    expect(vaultMatches(vault('x', 'Acme Main', 'acme-main-prod.veevavault.com'), 'acme prod')).toBe(true);
    expect(vaultMatches(vault('y', 'Acme PromoMats UAT'), 'acme prod')).toBe(false);
  });

  it('narrows 40 Vaults to the two that differ only at the end', () => {
    expect(FORTY.filter((c) => vaultMatches(c, 'acme promomats')).map((c) => c.name)).toEqual([
      'Acme PromoMats Prod',
      'Acme PromoMats UAT',
    ]);
  });
});

describe('sandboxChoices', () => {
  const reachable = (v: Partial<ReachableVaultInfo> & { name: string | null }): ReachableVaultInfo => ({
    vaultId: 1,
    dns: 'x.veevavault.com',
    self: false,
    connectionId: null,
    ...v,
  });

  it('offers the other Vaults the login reaches by name, sandboxes first, never the parent itself', () => {
    expect(
      sandboxChoices([
        reachable({ name: 'PromoMats', self: true, dns: 'promo.veevavault.com' }),
        reachable({ name: 'QualityDocs', dns: 'qd.veevavault.com' }),
        reachable({ name: 'PromoMats Sandbox', dns: 'promo-sbx.veevavault.com' }),
      ]),
    ).toEqual([
      { name: 'PromoMats Sandbox', dns: 'promo-sbx.veevavault.com' },
      { name: 'QualityDocs', dns: 'qd.veevavault.com' },
    ]);
  });

  it('leaves out nameless Vaults and offers a repeated name once', () => {
    expect(
      sandboxChoices([reachable({ name: null }), reachable({ name: ' UAT ' }), reachable({ name: 'uat', dns: 'b' })]),
    ).toEqual([{ name: 'UAT', dns: 'x.veevavault.com' }]);
  });

  it('is empty for a token login, which lists nothing', () => {
    expect(sandboxChoices([])).toEqual([]);
  });
});
