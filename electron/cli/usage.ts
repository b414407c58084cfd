/** Help and usage text, derived from the command table. */
import { COMMANDS, GLOBAL_FLAGS, type CommandSpec, type FlagSpec } from './commands';

export const PROGRAM = 'vault-token-desk';

export function usageLine(spec: CommandSpec): string {
  return `${PROGRAM} ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}`;
}

function flagLines(flags: Record<string, FlagSpec>): string[] {
  const entries = Object.entries(flags).map(
    ([name, f]) => [`${f.short ? `-${f.short}, ` : ''}--${name}${f.value ? ` ${f.value}` : ''}`, f.help] as const,
  );
  const width = Math.max(0, ...entries.map(([left]) => left.length));
  return entries.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`);
}

export function topUsage(): string {
  const lines = [
    `Usage: ${PROGRAM} [--data-dir DIR] [--json] COMMAND`,
    '',
    'Manage Veeva Vault API access tokens from scripts and cron, with the same',
    'data directory and OS keychain as the Vault Token Desk app.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}`),
    '',
    'Global options (before or after the command):',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Passwords and tokens are never taken as arguments: pipe them in with',
    '--password-stdin / --token-stdin, or type them at the prompt (terminal only, no echo).',
    '',
    'Exit status: 0 success, 1 failure, 2 usage error, 3 `expiring --fail-if-any` found tokens.',
    'Environment: VAULT_TOKEN_DESK_HOME (data directory), VAULT_TOKEN_DESK_LOG=debug',
    '(JSON log lines on stderr), NO_COLOR (no colour).',
    '',
    `Run \`${PROGRAM} COMMAND --help\` for one command.`,
  ];
  return `${lines.join('\n')}\n`;
}

export function commandUsage(spec: CommandSpec): string {
  const lines = [`Usage: ${usageLine(spec)}`, '', `${spec.summary}.`];
  if (Object.keys(spec.flags).length) lines.push('', 'Options:', ...flagLines(spec.flags));
  for (const note of spec.notes ?? []) lines.push('', note);
  lines.push('', `Global options: --data-dir DIR, --json, --help. See \`${PROGRAM} --help\`.`);
  return `${lines.join('\n')}\n`;
}

export function groupUsage(group: string): string {
  const specs = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  return `Usage:\n${specs.map((c) => `  ${usageLine(c)}`).join('\n')}\n`;
}

/** The short hint printed under a usage error. */
export function usageHint(command: string | null): string {
  const spec = command ? COMMANDS.find((c) => c.name === command) : undefined;
  if (spec) return `usage: ${usageLine(spec)}\n       (${PROGRAM} ${spec.name} --help for details)`;
  const group = command ? COMMANDS.filter((c) => c.name.startsWith(`${command} `)) : [];
  if (group.length)
    return `usage: ${PROGRAM} ${command} ${[...new Set(group.map((c) => c.name.split(' ')[1]))].join('|')} …\n       (${PROGRAM} ${command} --help for details)`;
  return `usage: ${PROGRAM} [--data-dir DIR] [--json] COMMAND …\n       (${PROGRAM} --help lists the commands)`;
}
