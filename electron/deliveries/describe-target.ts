/** How a command target reads for people: in the confirmation, in errors, and in the CLI's list. */
import type { CommandTarget } from '../../shared/contract/deliveries';

/** A word as a POSIX shell would need it typed (the same rule as the CLI's `shellWord`). */
function quoted(word: string): string {
  return /^[A-Za-z0-9._@:/=+%,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function describeCommand(target: Pick<CommandTarget, 'argv' | 'shell'>): string {
  // Through a shell the words are joined as they are: that is what the shell will read.
  if (target.shell) return `${target.argv.join(' ')} (through the shell)`;
  return target.argv.map(quoted).join(' ');
}
