/**
 * Where the CLI gets a password or token: all of stdin (`--password-stdin`,
 * `--token-stdin`) or a prompt on a terminal with echo off. Never from an
 * argument: arguments end up in shell history and `ps` output.
 */
import { registerSecret } from '../log';
import { CliError, EXIT, UsageError } from './errors';
import type { CliInput, CliOutput } from './io';

/** The largest secret we accept on stdin; the contract allows 4096 characters. */
const MAX_STDIN_BYTES = 64 * 1024;

/** Reads stdin to the end and strips ONE trailing newline (`\n` or `\r\n`), nothing else. */
export async function readSecretFromStdin(stdin: CliInput, flag: string, command: string): Promise<string> {
  if (stdin.isTTY) {
    throw new UsageError(
      `${flag} reads the secret from a pipe or file, e.g. \`printf '%s' "$PASSWORD" | vault-token-desk … ${flag}\`; leave it out to be asked instead`,
      command,
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_STDIN_BYTES)
      throw new UsageError(`${flag}: stdin holds more than ${MAX_STDIN_BYTES} bytes; pipe in only the secret`, command);
    chunks.push(buf);
  }
  const text = stripOneNewline(Buffer.concat(chunks).toString('utf8'));
  if (!text) throw new UsageError(`${flag}: stdin was empty; pipe the secret in`, command);
  registerSecret(text);
  return text;
}

export function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

/**
 * Asks on the terminal without echo (raw mode): Enter finishes, Backspace
 * deletes, Ctrl-C cancels, Ctrl-D on an empty line answers nothing. The
 * prompt goes to stderr so stdout stays clean for scripts. Resolves '' when
 * nothing was typed.
 */
export function promptHidden(prompt: string, stdin: CliInput, stderr: CliOutput): Promise<string> {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    return Promise.reject(new CliError('cannot ask for a secret: stdin is not a terminal'));
  }
  const setRawMode = stdin.setRawMode.bind(stdin);
  stderr.write(prompt);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    let escape: 'none' | 'start' | 'csi' = 'none';
    const finish = (error: Error | null): void => {
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      if (error) reject(error);
      else {
        if (typed) registerSecret(typed);
        resolve(typed);
      }
    };
    const onEnd = (): void => finish(null);
    const onData = (chunk: Buffer | string): void => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      for (const ch of text) {
        // Arrow and function keys arrive as ESC [ … final-byte: skip the whole sequence.
        if (escape === 'start') {
          escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
          continue;
        }
        if (escape === 'csi') {
          if (ch >= '@' && ch <= '~') escape = 'none';
          continue;
        }
        if (ch === '\u001b') {
          escape = 'start';
          continue;
        }
        if (ch === '\r' || ch === '\n') return finish(null);
        if (ch === '\u0003') return finish(new CliError('cancelled', EXIT.failure));
        if (ch === '\u0004') {
          if (!typed) return finish(null);
          continue;
        }
        if (ch === '\u007f' || ch === '\b') {
          typed = [...typed].slice(0, -1).join('');
          continue;
        }
        if (ch === '\u0015') {
          typed = ''; // Ctrl-U: clear the line
          continue;
        }
        if (ch < ' ') continue; // other control keys
        typed += ch;
      }
    };
    setRawMode(true);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
