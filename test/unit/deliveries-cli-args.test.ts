/**
 * The command line of deliveries (issue 16 item 3): three-word commands (`token delivery add`),
 * and `--command -- PROG ARG…`, where every word after `--` is the command's argument list and is
 * never read as an option, while the commands that had no such flag parse `--` as before.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../electron/cli/args';
import { UsageError } from '../../electron/cli/errors';

function run(argv: string[]) {
  const parsed = parseCommandLine(argv);
  if (parsed.kind !== 'run') throw new Error(`expected a command, got ${parsed.kind}`);
  return parsed;
}

function usage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('token delivery add', () => {
  it('takes every word after -- as the command, options included', () => {
    const p = run([
      '--json',
      'token',
      'delivery',
      'add',
      '--connection',
      'Acme QA',
      '1234',
      '--timeout',
      '90',
      '--command',
      '--',
      'gh',
      'secret',
      'set',
      'VAULT_TOKEN',
      '--repo',
      'acme/etl',
      '--json',
      '--',
      '-h',
    ]);
    expect(p.spec.name).toBe('token delivery add');
    expect(p.json).toBe(true);
    expect(p.positionals).toEqual(['1234']);
    expect(p.values.connection).toBe('Acme QA');
    expect(p.values.timeout).toBe('90');
    expect(p.values.command).toEqual([
      'gh',
      'secret',
      'set',
      'VAULT_TOKEN',
      '--repo',
      'acme/etl',
      '--json',
      '--',
      '-h',
    ]);
  });

  it('parses a dotenv target', () => {
    const p = run([
      'token',
      'delivery',
      'add',
      '--connection',
      'QA',
      '1234',
      '--dotenv',
      '/srv/etl/.env',
      '--key',
      'VT',
    ]);
    expect(p.values).toMatchObject({ connection: 'QA', dotenv: '/srv/etl/.env', key: 'VT' });
    expect(p.values.command).toBeUndefined();
  });

  it('leaves --command as a bare flag without --, for the command to explain', () => {
    expect(run(['token', 'delivery', 'add', '--connection', 'QA', '1', '--command']).values.command).toBe(true);
  });

  it('refuses words after -- without --command', () => {
    expect(usage(['token', 'delivery', 'add', '--connection', 'QA', '1', '--', 'gh'])).toMatch(
      /the words after -- are for --command/,
    );
  });

  it('shows help for the three-word command and for its group', () => {
    const help = parseCommandLine(['token', 'delivery', 'add', '--help']);
    expect(help.kind).toBe('help');
    if (help.kind === 'help') {
      expect(help.text).toMatch(/^Usage: vault-token-desk token delivery add --connection NAME TOKEN_ID/);
      expect(help.text).toMatch(/--shell .*your choice/);
    }
    const group = parseCommandLine(['token', 'delivery', '--help']);
    expect(group.kind === 'help' && group.text).toMatch(/token delivery add[\s\S]*token delivery list[\s\S]*remove/);
  });

  it('names the missing or unknown subcommand', () => {
    expect(usage(['token', 'delivery'])).toBe('missing subcommand: token delivery add|list|remove');
    expect(usage(['token', 'delivery', 'frobnicate'])).toBe('unknown command "token delivery frobnicate"');
    expect(usage(['token'])).toMatch(/^missing subcommand: token generate\|list\|.*\|delivery\|deliver$/);
  });
});

describe('the other delivery commands', () => {
  it('parses list, remove and deliver', () => {
    expect(run(['token', 'delivery', 'list']).positionals).toEqual([]);
    expect(run(['token', 'delivery', 'list', '--connection', 'QA', '77']).positionals).toEqual(['77']);
    expect(run(['token', 'delivery', 'remove', '3', '4']).positionals).toEqual(['3', '4']);
    const deliver = run(['token', 'deliver', '--connection', 'QA', '77', '--json']);
    expect(deliver.spec.name).toBe('token deliver');
    expect(deliver.json).toBe(true);
  });

  it('keeps -- meaning "positionals follow" for commands without a --command flag', () => {
    expect(run(['token', 'revoke', '--connection', 'QA', '--', '-odd-id']).positionals).toEqual(['-odd-id']);
  });
});
