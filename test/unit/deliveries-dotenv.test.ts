/**
 * Delivery to a dotenv file (issue 16 item 3): the text edit (other lines kept, quoting read back
 * by two real parsers: motdotla/dotenv and Node's util.parseEnv), and the atomic write on real
 * files (mode kept, 0600 when new, a failure before the rename leaves the old file whole and no
 * temporary file behind).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  closeSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import dotenv from 'dotenv';
import { formatDotenvValue, upsertDotenv } from '../../electron/deliveries/dotenv-text';
import { readExisting, writeAtomically } from '../../electron/deliveries/atomic-file';
import { deliverToDotenv } from '../../electron/deliveries/dotenv-target';
import { tempDir } from '../helpers/temp-dir';

const VALUE = 'veeva-vault-3F8A0C1D2E4B5A6978ABCDEF01234567';
const POSIX = process.platform !== 'win32';

let dir: ReturnType<typeof tempDir> | null = null;
afterEach(() => {
  dir?.cleanup();
  dir = null;
});
const fresh = () => (dir = tempDir('vtd-dotenv-')).path;

describe('formatDotenvValue', () => {
  it('writes a Vault token value bare', () => {
    expect(formatDotenvValue(VALUE)).toBe(VALUE);
  });

  it.each([
    ['spaces', 'a b c'],
    ['a comment sign', 'x#y'],
    ['a dollar', 'price$HOME'],
    ['a backslash', 'C:\\temp\\x'],
    ['a double quote', 'say "hi"'],
    ['a single quote', "it's"],
    ['a line break', 'line1\nline2'],
    ['a tab', 'a\tb'],
    ['backticks', '`id`'],
    ['the empty string', ''],
    ['leading and trailing blanks', '  padded  '],
    ['equals signs', 'a=b=c'],
  ])('writes a value with %s so that both parsers read it back exactly', (_label, value) => {
    const text = `KEY=${formatDotenvValue(value)}\n`;
    expect(dotenv.parse(text).KEY).toBe(value);
    expect(parseEnv(text).KEY).toBe(value);
  });

  it('escapes what double quotes treat specially when nothing else fits', () => {
    expect(formatDotenvValue(`it's "$HOME"\n`)).toBe('"it\'s \\"\\$HOME\\"\\n"');
  });
});

describe('upsertDotenv', () => {
  it('replaces the assignment in place and keeps comments, blank lines, other keys and export prefixes', () => {
    const before = [
      '# Nightly ETL',
      '',
      'VAULT_DNS=acme.veevavault.com',
      '  export VAULT_TOKEN = "old value"   ',
      'OTHER="a # not a comment"',
      '# VAULT_TOKEN=commented-out stays',
      '',
    ].join('\n');
    const edit = upsertDotenv(before, 'VAULT_TOKEN', VALUE);
    expect(edit.replaced).toBe(1);
    expect(edit.text).toBe(
      [
        '# Nightly ETL',
        '',
        'VAULT_DNS=acme.veevavault.com',
        `  export VAULT_TOKEN=${VALUE}`,
        'OTHER="a # not a comment"',
        '# VAULT_TOKEN=commented-out stays',
        '',
      ].join('\n'),
    );
    expect(dotenv.parse(edit.text)).toEqual({
      VAULT_DNS: 'acme.veevavault.com',
      VAULT_TOKEN: VALUE,
      OTHER: 'a # not a comment',
    });
  });

  it('keeps CRLF line endings and adds a missing key at the end', () => {
    const edit = upsertDotenv('A=1\r\n# note\r\n\r\nB=2\r\n', 'VAULT_TOKEN', VALUE);
    expect(edit.replaced).toBe(0);
    expect(edit.text).toBe(`A=1\r\n# note\r\n\r\nB=2\r\nVAULT_TOKEN=${VALUE}\r\n`);
  });

  it('keeps a file without a final newline that way when it replaces, and adds one when it appends', () => {
    expect(upsertDotenv('VAULT_TOKEN=old', 'VAULT_TOKEN', VALUE).text).toBe(`VAULT_TOKEN=${VALUE}`);
    expect(upsertDotenv('A=1', 'VAULT_TOKEN', VALUE).text).toBe(`A=1\nVAULT_TOKEN=${VALUE}\n`);
    expect(upsertDotenv('', 'VAULT_TOKEN', VALUE).text).toBe(`VAULT_TOKEN=${VALUE}\n`);
  });

  it('replaces every assignment of the key (parsers disagree on which wins) and only that key', () => {
    const edit = upsertDotenv('VAULT_TOKEN=one\nVAULT_TOKEN_QA=qa\nVAULT_TOKEN=two\n', 'VAULT_TOKEN', VALUE);
    expect(edit.replaced).toBe(2);
    expect(edit.text).toBe(`VAULT_TOKEN=${VALUE}\nVAULT_TOKEN_QA=qa\nVAULT_TOKEN=${VALUE}\n`);
  });

  it('treats the lines of a multi-line quoted value as part of it', () => {
    const before = 'CERT="-----BEGIN-----\nVAULT_TOKEN=inside the certificate\n-----END-----"\nVAULT_TOKEN=old\n';
    const edit = upsertDotenv(before, 'VAULT_TOKEN', VALUE);
    expect(edit.replaced).toBe(1);
    expect(edit.text).toBe(
      `CERT="-----BEGIN-----\nVAULT_TOKEN=inside the certificate\n-----END-----"\nVAULT_TOKEN=${VALUE}\n`,
    );
    // And an old multi-line value of the key itself is replaced whole.
    const multi = upsertDotenv("VAULT_TOKEN='line one\nline two'\nNEXT=1\n", 'VAULT_TOKEN', VALUE);
    expect(multi.text).toBe(`VAULT_TOKEN=${VALUE}\nNEXT=1\n`);
  });

  it('keeps a byte-order mark on the first line', () => {
    expect(upsertDotenv('\uFEFFVAULT_TOKEN=old\n', 'VAULT_TOKEN', VALUE).text).toBe(`\uFEFFVAULT_TOKEN=${VALUE}\n`);
  });

  it('refuses a name that is not a variable name', () => {
    expect(() => upsertDotenv('', 'BAD-NAME', VALUE)).toThrow();
    expect(() => upsertDotenv('', '1ABC', VALUE)).toThrow();
  });
});

describe('writeAtomically on real files', () => {
  const leftovers = (path: string) => readdirSync(path).filter((n) => n.includes('.vtd-'));

  it.runIf(POSIX)('keeps the mode of an existing file and replaces it by rename (a new inode)', () => {
    const root = fresh();
    const path = join(root, '.env');
    writeFileSync(path, 'A=1\n');
    chmodSync(path, 0o640);
    const before = statSync(path);
    writeAtomically(path, 'A=2\n', readExisting(path)!.mode);
    const after = statSync(path);
    expect(readFileSync(path, 'utf8')).toBe('A=2\n');
    expect(after.mode & 0o7777).toBe(0o640);
    expect(after.ino).not.toBe(before.ino);
    expect(leftovers(root)).toEqual([]);
  });

  it('a failure between the write and the rename leaves the old file whole and no temporary file', () => {
    const root = fresh();
    const path = join(root, 'app.env');
    writeFileSync(path, 'A=1\nB=2\n');
    let seen: { temp: string; tempText: string; tempMode: number; targetText: string } | null = null;
    expect(() =>
      writeAtomically(path, `A=1\nB=2\nVAULT_TOKEN=${VALUE}\n`, readExisting(path)!.mode, {
        beforeRename(temp) {
          // At this point the new content is complete and flushed, in a file only we can read,
          // while the target still holds the old content in full.
          seen = {
            temp,
            tempText: readFileSync(temp, 'utf8'),
            tempMode: statSync(temp).mode & 0o777,
            targetText: readFileSync(path, 'utf8'),
          };
          throw new Error('power cut');
        },
      }),
    ).toThrow('power cut');
    expect(seen).not.toBeNull();
    expect(seen!.tempText).toBe(`A=1\nB=2\nVAULT_TOKEN=${VALUE}\n`);
    expect(seen!.targetText).toBe('A=1\nB=2\n');
    // The temporary file already has the target's mode, so the rename changes nothing else.
    if (POSIX) expect(seen!.tempMode).toBe(readExisting(path)!.mode! & 0o777);
    expect(readFileSync(path, 'utf8')).toBe('A=1\nB=2\n');
    expect(leftovers(root)).toEqual([]);
  });

  it.runIf(POSIX)('a reader holding the old file keeps reading the old content in full', () => {
    const root = fresh();
    const path = join(root, '.env');
    const old = `A=${'x'.repeat(10_000)}\n`;
    writeFileSync(path, old);
    const fd = openSync(path, 'r');
    try {
      writeAtomically(path, `VAULT_TOKEN=${VALUE}\n`, 0o600);
      const buf = Buffer.alloc(old.length + 10);
      const n = readSync(fd, buf, 0, buf.length, 0);
      expect(buf.subarray(0, n).toString('utf8')).toBe(old);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe(`VAULT_TOKEN=${VALUE}\n`);
  });
});

describe('deliverToDotenv', () => {
  it.runIf(POSIX)('creates a missing file with mode 0600', async () => {
    const root = fresh();
    const path = join(root, 'new.env');
    const result = await deliverToDotenv({ kind: 'dotenv', path, key: 'VAULT_TOKEN' }, VALUE);
    expect(result).toEqual({ ok: true, exitCode: null, timedOut: false, message: null });
    expect(readFileSync(path, 'utf8')).toBe(`VAULT_TOKEN=${VALUE}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it.runIf(POSIX)('keeps a readable mode but says others can read the file', async () => {
    const root = fresh();
    const path = join(root, 'shared.env');
    writeFileSync(path, '# shared\n');
    chmodSync(path, 0o644);
    const result = await deliverToDotenv({ kind: 'dotenv', path, key: 'VAULT_TOKEN' }, VALUE);
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/can be read by other users \(mode 0644\)/);
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readFileSync(path, 'utf8')).toBe(`# shared\nVAULT_TOKEN=${VALUE}\n`);
  });

  it.runIf(POSIX)('refuses a symbolic link and leaves both the link and its file alone', async () => {
    const root = fresh();
    const real = join(root, 'real.env');
    const link = join(root, 'link.env');
    writeFileSync(real, 'A=1\n');
    symlinkSync(real, link);
    const result = await deliverToDotenv({ kind: 'dotenv', path: link, key: 'VAULT_TOKEN' }, VALUE);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/symbolic link/);
    expect(readFileSync(real, 'utf8')).toBe('A=1\n');
  });

  it('says so, without the value, when the folder does not exist', async () => {
    const root = fresh();
    const result = await deliverToDotenv({ kind: 'dotenv', path: join(root, 'nope', '.env'), key: 'K' }, VALUE);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/does not exist/);
    expect(result.message).not.toContain(VALUE);
  });

  it('serialises writes to one file: parallel deliveries of different keys all land', async () => {
    const root = fresh();
    mkdirSync(join(root, 'etl'));
    const path = join(root, 'etl', '.env');
    writeFileSync(path, '# tokens per Vault\n');
    const keys = Array.from({ length: 12 }, (_, i) => `VAULT_${i}_TOKEN`);
    const results = await Promise.all(
      keys.map((key, i) => deliverToDotenv({ kind: 'dotenv', path, key }, `veeva-vault-VALUE${i}`)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const parsed = dotenv.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(parsed).sort()).toEqual([...keys].sort());
    keys.forEach((key, i) => expect(parsed[key]).toBe(`veeva-vault-VALUE${i}`));
    expect(readFileSync(path, 'utf8').startsWith('# tokens per Vault\n')).toBe(true);
  });
});
