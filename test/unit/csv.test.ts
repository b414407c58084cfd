/**
 * shared/csv.ts and shared/connections-csv.ts (issue 15, item 4): the RFC 4180 reader and writer,
 * and a connections file read into a preview. Good rows, bad rows, a 500-row file, formula-looking
 * cells, and the encodings spreadsheets write (BOM, CRLF, `;`, quoted line breaks).
 */
import { describe, expect, it } from 'vitest';
import { csvCell, detectDelimiter, parseCsv, toCsvText, unguardCell } from '../../shared/csv';
import {
  CONNECTIONS_CSV_MAX_ROWS,
  connectionsToCsv,
  parseAuthMethod,
  previewConnectionsCsv,
} from '../../shared/connections-csv';
import type { Connection } from '../../shared/domain';

const cells = (text: string) => parseCsv(text).records.map((r) => r.cells);

describe('parseCsv (RFC 4180)', () => {
  it('reads plain, quoted and empty fields, with "" for a quote', () => {
    expect(cells('a,b,c\n1,"two, and more","say ""hi"""\n,,\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, and more', 'say "hi"'],
      ['', '', ''],
    ]);
  });

  it('keeps line breaks inside quotes and numbers each record by the line it starts on', () => {
    const parsed = parseCsv('name,note\r\nA,"line one\r\nline two"\r\nB,x\r\n');
    expect(parsed.records).toEqual([
      { line: 1, cells: ['name', 'note'] },
      { line: 2, cells: ['A', 'line one\r\nline two'] },
      { line: 4, cells: ['B', 'x'] },
    ]);
  });

  it('reads CRLF, LF and lone CR line ends alike, drops a BOM and blank lines, and needs no final newline', () => {
    const expected = [
      ['a', 'b'],
      ['1', '2'],
    ];
    expect(cells('\uFEFFa,b\r\n1,2\r\n')).toEqual(expected);
    expect(cells('a,b\n\n1,2')).toEqual(expected);
    expect(cells('a,b\r1,2\r')).toEqual(expected);
  });

  it('detects ; and tab delimiters from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('name;dns;user\nx,y;z')).toBe(';');
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
    const parsed = parseCsv('\uFEFFname;dns\r\n"Acme; Inc";x.veevavault.com\r\n');
    expect(parsed.delimiter).toBe(';');
    expect(parsed.records[1]!.cells).toEqual(['Acme; Inc', 'x.veevavault.com']);
  });

  it('reports a quote that never closes, with its line, instead of guessing', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n').error).toEqual({ line: 2, message: 'a quoted field is never closed' });
  });

  it('keeps a quote in the middle of a field as text', () => {
    expect(cells('a,b\n5" disk,x\n')[1]).toEqual(['5" disk', 'x']);
  });
});

describe('csvCell and unguardCell (formula injection, OWASP)', () => {
  it('prefixes formula-looking text with a quote and quotes what needs it', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('  =x')).toBe("'  =x");
    expect(csvCell('\t=x')).toBe("'\t=x");
    expect(csvCell(' edge ')).toBe('" edge "');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-3)).toBe('-3');
  });

  it('reads the guard back as the text it protected; other cells are untouched', () => {
    for (const text of ['=1+1', '+cmd', '-2', '@x', '=HYPERLINK("a")'])
      expect(unguardCell(parseCsv(`${csvCell(text)}\n`).records[0]!.cells[0]!)).toBe(text);
    expect(unguardCell("'quoted")).toBe("'quoted");
    expect(unguardCell('=raw')).toBe('=raw');
  });

  it('writes a header, CRLF line ends and an optional BOM', () => {
    expect(toCsvText(['a', 'b'], [['1', null]], { bom: true })).toBe('\uFEFFa,b\r\n1,\r\n');
  });
});

const header = 'name,dns,username,sign-in method,client,environment,api version,client id';

describe('previewConnectionsCsv', () => {
  it('turns good rows into connections, with defaults for the optional columns', () => {
    const p = previewConnectionsCsv(
      `${header}\nAcme PROD,https://acme.veevavault.com/ui/,me@acme.com,Single sign-on,Acme,production,v25.3,my-app\nGlobex,globex.veevavault.com,me@globex.com,,,,,\n`,
      [],
    );
    expect(p).toMatchObject({ fileError: null, validCount: 2, invalidCount: 0, delimiter: ',' });
    expect(p.rows.map((r) => r.connection)).toEqual([
      {
        name: 'Acme PROD',
        dns: 'acme.veevavault.com',
        username: 'me@acme.com',
        authMethod: 'sso',
        client: 'Acme',
        environment: 'PROD',
        apiVersion: 'v25.3',
        clientId: 'my-app',
      },
      {
        name: 'Globex',
        dns: 'globex.veevavault.com',
        username: 'me@globex.com',
        authMethod: 'password',
        client: null,
        environment: null,
        apiVersion: 'v26.2',
        clientId: 'vault-token-desk',
      },
    ]);
  });

  it('gives every bad row its own messages: DNS, duplicates in the file and against saved names, method, environment', () => {
    const p = previewConnectionsCsv(
      [
        'name;dns;username;method;environment',
        'Good;good.veevavault.com;u;password;QA',
        'Bad DNS;http://x.veevavault.com;u;password;',
        'GOOD;other.veevavault.com;u;password;',
        'Saved one;s.veevavault.com;u;password;',
        'Odd method;o.veevavault.com;u;kerberos;',
        'Odd env;e.veevavault.com;u;token;staging',
        ';;;;',
        'Too many;t.veevavault.com;u;password;QA;extra',
      ].join('\r\n'),
      ['saved ONE'],
    );
    expect(p.delimiter).toBe(';');
    expect(p.validCount).toBe(1);
    expect(p.rows.map((r) => [r.line, r.errors.map((e) => `${e.field}: ${e.message}`)])).toEqual([
      [2, []],
      [3, ['dns: Vault is reached over https only; enter the host without http://.']],
      [4, ['name: Line 2 has the same name; names must be unique.']],
      [5, ['name: A connection named “saved ONE” already exists.']],
      [6, ['method: Unknown sign-in method “kerberos”: use password, token, sso or session.']],
      [
        7,
        [
          'environment: Unknown environment “staging”: use one of DEV, QA, UAT, PROD, sandbox, other, or leave it empty.',
        ],
      ],
      [
        8,
        [
          'name: Enter a name for this connection.',
          expect.stringMatching(/^dns: /),
          'username: Enter the Vault user name.',
        ],
      ],
      [9, ['row: This row has more cells than the header line.']],
    ]);
  });

  it('reads formula-looking cells as text, and its own export back', () => {
    const p = previewConnectionsCsv(
      `${header}\n"'=HYPERLINK(""http://evil"")",x.veevavault.com,u,password,'@Acme,,,\n=1+1,y.veevavault.com,u,password,+Client,,,\n`,
      [],
    );
    expect(p.rows.map((r) => [r.connection?.name, r.connection?.client])).toEqual([
      ['=HYPERLINK("http://evil")', '@Acme'],
      ['=1+1', '+Client'],
    ]);
  });

  it('refuses a file it cannot read as a whole, saying why', () => {
    expect(previewConnectionsCsv('', []).fileError).toMatch(/The file is empty/);
    expect(previewConnectionsCsv('name,username\nx,y\n', []).fileError).toMatch(
      /^The header line has no “dns” column\. Expected: name, dns, username, sign-in method/,
    );
    expect(previewConnectionsCsv(`${header}\n`, []).fileError).toBe('The file has a header line but no connections.');
    expect(previewConnectionsCsv(`${header}\n"open,x\n`, []).fileError).toBe(
      'Line 2: a quoted field is never closed; nothing was read.',
    );
    const tooMany = `${header}\n${'a,b.veevavault.com,u\n'.repeat(CONNECTIONS_CSV_MAX_ROWS + 1)}`;
    expect(previewConnectionsCsv(tooMany, []).fileError).toMatch(/at most 5000 at a time/);
  });

  it('refuses text that is not UTF-8: UTF-16 and Windows-1252 files, decoded as the app and the CLI decode them', () => {
    const good = `${header}\nZürich QA,zurich-qa.veevavault.com,u@x.com\n`;
    // What Excel's "Unicode Text" and a Windows-1252 "CSV" give, read as UTF-8 (File.text(), readFileSync 'utf8').
    const utf16 = new TextDecoder('utf-8').decode(Buffer.from(`\uFEFF${good}`, 'utf16le'));
    const cp1252 = new TextDecoder('utf-8').decode(Buffer.from(good.replace('ü', '\u00fc'), 'latin1'));
    expect(previewConnectionsCsv(utf16, []).fileError).toMatch(/^The file looks like UTF-16 text .*"CSV UTF-8"/);
    expect(previewConnectionsCsv(cp1252, []).fileError).toMatch(/^Line 2 has characters that are not UTF-8/);
    expect(previewConnectionsCsv(good, []).rows[0]!.connection).toMatchObject({ name: 'Zürich QA' });
  });

  it('names header cells it does not use, and accepts header spellings in any case and order', () => {
    const p = previewConnectionsCsv('Vault DNS,User,NAME,Notes,ENV\nx.veevavault.com,u,X,hello,uat\n', []);
    expect(p.ignoredColumns).toEqual(['Notes']);
    expect(p.rows[0]!.connection).toMatchObject({ name: 'X', dns: 'x.veevavault.com', environment: 'UAT' });
  });

  it('reads a 500-row file with BOM, CRLF and semicolons, one bad row among them', () => {
    const lines = ['\uFEFFname;dns;username;client;environment'];
    for (let i = 0; i < 500; i++)
      lines.push(
        `Vault ${i};v${i}.veevavault.com;user${i}@example.com;Client ${i % 7};${['DEV', 'QA', 'PROD'][i % 3]}`,
      );
    lines[251] = 'Vault 250;not a host;u;;';
    const started = performance.now();
    const p = previewConnectionsCsv(`${lines.join('\r\n')}\r\n`, []);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(p.rows).toHaveLength(500);
    expect(p.validCount).toBe(499);
    expect(p.rows.filter((r) => !r.connection).map((r) => r.line)).toEqual([252]);
    expect(p.rows[499]!.connection).toMatchObject({ name: 'Vault 499', client: 'Client 2', environment: 'QA' });
  });
});

describe('parseAuthMethod and connectionsToCsv', () => {
  it('reads the words people use for sign-in methods', () => {
    expect(
      ['', 'Password', 'API access token', 'token', 'SSO', 'single sign-on', 'Session id', 'x'].map(parseAuthMethod),
    ).toEqual(['password', 'password', 'token', 'token', 'sso', 'sso', 'session', null]);
  });

  it('writes only the listed columns: an extra property (a secret, say) never reaches the file', () => {
    const c = {
      id: 'c1',
      name: '-Acme',
      dns: 'acme.veevavault.com',
      apiVersion: 'v26.2',
      username: 'me@acme.com',
      authMethod: 'password',
      clientId: 'vault-token-desk',
      client: 'Acme, Inc.',
      environment: 'PROD',
      secretStored: true,
      loginHost: null,
      idpClientId: null,
      ssoProfile: null,
      secretRefused: null,
      createdAt: 't',
      updatedAt: 't',
      secret: 'hunter2-never-exported',
    } as Connection & { secret: string };
    const text = connectionsToCsv([c]);
    expect(text).toBe(
      `${header}\r\n'-Acme,acme.veevavault.com,me@acme.com,password,"Acme, Inc.",PROD,v26.2,vault-token-desk\r\n`,
    );
    expect(previewConnectionsCsv(text, []).rows[0]!.connection).toMatchObject({ name: '-Acme', client: 'Acme, Inc.' });
  });
});
