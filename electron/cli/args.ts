/**
 * Command-line parsing with node:util parseArgs in strict mode. Global flags
 * (--data-dir, --json, --help, --version) may come before or after the
 * command. Error messages never repeat an argument's value: a password typed
 * by mistake must not be echoed back into a terminal log.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, GLOBAL_FLAGS, GROUPS, findCommand, type CommandSpec, type FlagSpec } from './commands';
import { UsageError } from './errors';
import type { FlagValue } from './runtime';
import { commandUsage, groupUsage, topUsage } from './usage';

export type ParsedCommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | {
      kind: 'run';
      spec: CommandSpec;
      values: Record<string, FlagValue>;
      positionals: string[];
      json: boolean;
      dataDir: string | undefined;
    };

type Options = NonNullable<ParseArgsConfig['options']>;

function toOptions(flags: Record<string, FlagSpec>): Options {
  const options: Options = {};
  for (const [name, f] of Object.entries(flags)) {
    options[name] = { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) };
  }
  return options;
}

const SECRET_LIKE = /pass|secret|token|pwd|key|session/i;

/** Turns parseArgs' TypeError into a usage error without echoing values. */
function parseError(error: unknown, command: string | null): UsageError {
  const e = error as { code?: string; message?: string };
  const quoted = /'(-{1,2}[^'\s=]*)/.exec(e.message ?? '')?.[1];
  const name = quoted ?? 'an option';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const hint = SECRET_LIKE.test(name)
      ? ' (secrets are never taken as arguments: use --password-stdin or --token-stdin, or answer the prompt)'
      : '';
    return new UsageError(`unknown option ${name}${hint}`, command);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message ?? ''))
      return new UsageError(`${name} does not take a value`, command);
    if (/ambiguous/.test(e.message ?? ''))
      return new UsageError(`${name} is missing its value (the next word starts with "-")`, command);
    return new UsageError(`${name} is missing its value`, command);
  }
  return new UsageError('cannot read the command line', command);
}

function strictParse(args: string[], flags: Record<string, FlagSpec>, command: string | null) {
  try {
    return parseArgs({ args, options: toOptions(flags), strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw parseError(error, command);
  }
}

/** Refuses a single-valued flag given twice (parseArgs would silently keep the last). */
function refuseRepeats(
  tokens: { kind: string; name?: string }[],
  flags: Record<string, FlagSpec>,
  command: string | null,
): void {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || !t.name) continue;
    if (flags[t.name]?.multiple) continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} given more than once`, command);
    seen.add(t.name);
  }
}

/** A command word worth repeating in an error; anything else might be a pasted secret. */
function printable(word: string, safe = /^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(word)): string {
  return safe ? `"${word}"` : '(not shown)';
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  // 1. Global flags before the command.
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      i += 1;
      break;
    }
    if (a === '--data-dir') i += 2;
    else if (a.startsWith('-') && a !== '-') i += 1;
    else break;
  }
  const leading = strictParse(
    argv.slice(0, Math.min(i, argv.length)).filter((a) => a !== '--'),
    GLOBAL_FLAGS,
    null,
  );
  refuseRepeats(leading.tokens ?? [], GLOBAL_FLAGS, null);
  const globals = leading.values as Record<string, FlagValue>;
  const rest = argv.slice(i);

  // 2. The command.
  if (rest.length === 0) {
    if (globals.version) return { kind: 'version' };
    if (globals.help) return { kind: 'help', text: topUsage() };
    throw new UsageError('missing command');
  }
  let words = 1;
  const group = rest[0]!;
  if (group === 'help') {
    const topic = rest.slice(1, 3).join(' ');
    const spec = findCommand(topic) ?? findCommand(rest[1] ?? '');
    if (spec) return { kind: 'help', text: commandUsage(spec) };
    if ((GROUPS as readonly string[]).includes(rest[1] ?? '')) return { kind: 'help', text: groupUsage(rest[1]!) };
    return { kind: 'help', text: topUsage() };
  }
  let spec = findCommand(group);
  if (!spec && (GROUPS as readonly string[]).includes(group)) {
    const verb = rest[1];
    if (verb === undefined || verb.startsWith('-')) {
      if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: groupUsage(group) };
      const verbs = new Set(COMMANDS.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.split(' ')[1]));
      throw new UsageError(`missing subcommand: ${group} ${[...verbs].join('|')}`, group);
    }
    spec = findCommand(`${group} ${verb}`);
    words = 2;
    // Three-word commands (`token delivery add`): the verb is itself a group.
    const subgroup = `${group} ${verb}`;
    const subs = COMMANDS.filter((c) => c.name.startsWith(`${subgroup} `)).map((c) => c.name.split(' ')[2]);
    if (!spec && subs.length) {
      const sub = rest[2];
      if (sub === undefined || sub.startsWith('-')) {
        if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', text: groupUsage(subgroup) };
        throw new UsageError(`missing subcommand: ${subgroup} ${subs.join('|')}`, group);
      }
      spec = findCommand(`${subgroup} ${sub}`);
      if (!spec)
        throw new UsageError(
          `unknown command ${printable(`${subgroup} ${sub}`, /^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(sub))}`,
          group,
        );
      words = 3;
    }
    if (!spec)
      throw new UsageError(
        `unknown command ${printable(`${group} ${verb}`, /^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(verb))}`,
        group,
      );
  }
  if (!spec) throw new UsageError(`unknown command ${printable(group)}`);

  // 3. The command's own flags (and the global ones again).
  const flags = { ...spec.flags, ...GLOBAL_FLAGS };
  // A `rest` flag (`--command -- PROG ARG…`) takes every word after the first `--`, unparsed.
  const restFlag = Object.entries(spec.flags).find(([, f]) => f.rest)?.[0];
  let own = rest.slice(words);
  let restWords: string[] | undefined;
  const dashes = restFlag ? own.indexOf('--') : -1;
  if (dashes >= 0) {
    restWords = own.slice(dashes + 1);
    own = own.slice(0, dashes);
  }
  const parsed = strictParse(own, flags, spec.name);
  refuseRepeats(parsed.tokens ?? [], flags, spec.name);
  const values = parsed.values as Record<string, FlagValue>;
  if (restFlag && restWords !== undefined) {
    if (values[restFlag] !== true)
      throw new UsageError(`the words after -- are for --${restFlag}: --${restFlag} -- …`, spec.name);
    values[restFlag] = restWords;
  }
  if (values.help || globals.help) return { kind: 'help', text: commandUsage(spec) };
  if (values.version || globals.version) return { kind: 'version' };
  for (const name of ['data-dir', 'json'] as const) {
    if (globals[name] !== undefined && values[name] !== undefined)
      throw new UsageError(`--${name} given more than once`, spec.name);
  }

  const positionals = parsed.positionals;
  const { min, max, label } = spec.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${label}`, spec.name);
  if (positionals.length > max) {
    throw new UsageError(
      max === 0
        ? `${spec.name} takes no arguments besides its options`
        : `too many arguments: ${spec.name} takes ${label}`,
      spec.name,
    );
  }
  const dataDir = (values['data-dir'] ?? globals['data-dir']) as string | undefined;
  if (dataDir !== undefined && !dataDir.trim()) throw new UsageError('--data-dir needs a directory', spec.name);
  return { kind: 'run', spec, values, positionals, json: Boolean(values.json ?? globals.json), dataDir };
}
