/**
 * Delivery to a command (issue 16 item 3): the program the person configured runs with the value
 * on its **stdin**, never on its command line (visible in `ps` and shell history) or in its
 * environment (inherited by everything it starts, and readable in /proc/<pid>/environ). For
 * example `gh secret set VAULT_TOKEN --repo acme/etl`, which reads the secret from stdin.
 *
 * - The argument list runs as it is (execve, no shell), unless the person chose `shell`: then
 *   the words joined by spaces go to `/bin/sh -c` (`cmd.exe /d /s /c` on Windows), with all that
 *   a shell does to them. That is their choice, said so in the CLI's help.
 * - The command runs in a process group of its own, so that a timeout kills it and whatever it
 *   started (SIGTERM, then SIGKILL after a grace period; `taskkill /T /F` on Windows).
 * - Its stdout is discarded (it might echo the value). The end of its stderr is kept, scrubbed
 *   through the log redactor with the value registered as a secret (electron/log.ts), stripped
 *   of control characters and cut to about 300 characters.
 * - Its environment is ours minus anything that carries one of our secrets (`deliveryEnvironment`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import type { CommandTarget } from '../../shared/contract/deliveries';
import { CONTROL_CHARACTERS, stripAnsi } from '../../shared/control-chars';
import { isSecretKey, redactString, registerSecret } from '../log';
import type { TargetResult } from './dotenv-target';

/** How much of stderr is kept while the command runs (its end), and how much is recorded. */
const STDERR_KEEP_BYTES = 16 * 1024;
export const STDERR_EXCERPT_CHARS = 300;
/** After SIGTERM at the timeout, how long the group has before SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** After the command exits, how long to wait for stderr to close (a child it left may hold it). */
const DRAIN_MS = 1_000;

/** Names that mark a variable as one of this app's secrets: Veeva's, or ours. */
const OUR_NAMESPACE = /(?:^|_)(?:VEEVA|VAULT_TOKEN_DESK|VTD)(?:_|$)/i;
/** A Vault token value anywhere in a variable (docs/vault-api.md §1.1). */
const TOKEN_VALUE = /veeva-vault-/i;

/**
 * The child's environment: ours, minus every variable that holds the value being delivered or
 * any Vault token value, and every variable named like one of our secrets (a Veeva or Vault
 * Token Desk password, token, session…, by the log redactor's rule `isSecretKey`). Other tools'
 * credentials stay: `gh` needs GH_TOKEN in CI, HashiCorp's `vault` needs VAULT_TOKEN.
 */
export function deliveryEnvironment(parent: NodeJS.ProcessEnv, value: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, v] of Object.entries(parent)) {
    if (v === undefined) continue;
    if (v.includes(value) || TOKEN_VALUE.test(v)) continue;
    if (OUR_NAMESPACE.test(name) && isSecretKey(name)) continue;
    env[name] = v;
  }
  return env;
}

/**
 * The last bytes of stderr, scrubbed of secrets and control characters, cut to a short excerpt.
 * `truncated`: its start was cut off (STDERR_KEEP_BYTES). A value printed across that cut has at
 * most its length minus one byte left, which redaction cannot recognise, so that many bytes go too.
 */
export function stderrExcerpt(raw: Buffer, value: string, truncated = false): string | null {
  registerSecret(value);
  const kept = truncated ? raw.subarray(Math.min(raw.length, Buffer.byteLength(value, 'utf8'))) : raw;
  const text = redactString(kept.toString('utf8'));
  const clean = stripAnsi(text).replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  return clean.length <= STDERR_EXCERPT_CHARS ? clean : `…${clean.slice(-(STDERR_EXCERPT_CHARS - 1))}`;
}

/** The program and arguments to start: the argument list itself, or a shell the person asked for. */
export function commandLine(
  target: Pick<CommandTarget, 'argv' | 'shell'>,
  platform: NodeJS.Platform = process.platform,
): { file: string; args: string[]; verbatim: boolean } {
  if (!target.shell) return { file: target.argv[0]!, args: target.argv.slice(1), verbatim: false };
  const script = target.argv.join(' ');
  if (platform === 'win32')
    return { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', `"${script}"`], verbatim: true };
  return { file: '/bin/sh', args: ['-c', script], verbatim: false };
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  if (process.platform === 'win32') {
    // taskkill /T ends the whole tree; /F because console programs ignore a polite close.
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on(
      'error',
      () => undefined,
    );
    return;
  }
  try {
    process.kill(-child.pid, signal); // the whole process group (detached: pgid = pid)
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function describeSpawnError(program: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `could not start ${program}: not found (give its full path, or check PATH)`;
  if (error.code === 'EACCES') return `could not start ${program}: permission denied (is it executable?)`;
  if (error.code === 'EINVAL' && process.platform === 'win32')
    return `could not start ${program}: .cmd and .bat files need the shell option`;
  return `could not start ${program} (${error.code ?? 'unknown error'})`;
}

export interface CommandRunOptions {
  /** The parent environment to filter; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where the command runs; default the home directory, the same for the app and the CLI. */
  cwd?: string;
  killGraceMs?: number;
}

export function deliverToCommand(
  target: CommandTarget,
  value: string,
  options: CommandRunOptions = {},
): Promise<TargetResult> {
  registerSecret(value);
  const { file, args, verbatim } = commandLine(target);
  const program = target.argv[0]!;
  return new Promise((resolveRun) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: options.cwd ?? homedir(),
        env: deliveryEnvironment(options.env ?? process.env, value),
        stdio: ['pipe', 'ignore', 'pipe'],
        shell: false,
        detached: process.platform !== 'win32',
        windowsHide: true,
        windowsVerbatimArguments: verbatim,
      });
    } catch (error) {
      resolveRun({
        ok: false,
        exitCode: null,
        timedOut: false,
        message: describeSpawnError(program, error as NodeJS.ErrnoException),
      });
      return;
    }
    let stderr = Buffer.alloc(0);
    let stderrTruncated = false;
    let timedOut = false;
    let settled = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const finish = (result: TargetResult): void => {
      if (settled) return;
      settled = true;
      // After a timeout, whatever the command started dies with it, even if it ignored SIGTERM.
      if (timedOut) killTree(child, 'SIGKILL');
      clearTimeout(timeoutTimer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      child.stderr?.destroy();
      resolveRun(result);
    };
    const finishExited = (): void => {
      if (!exit) return;
      const excerpt = stderrExcerpt(stderr, value, stderrTruncated);
      if (timedOut) {
        const seconds = Math.round(target.timeoutMs / 1000);
        finish({
          ok: false,
          exitCode: null,
          timedOut: true,
          message: `timed out after ${seconds} s and was stopped${excerpt ? `: ${excerpt}` : ''}`,
        });
      } else if (exit.code === 0) {
        finish({ ok: true, exitCode: 0, timedOut: false, message: null });
      } else if (exit.code !== null) {
        finish({
          ok: false,
          exitCode: exit.code,
          timedOut: false,
          message: `exit ${exit.code}${excerpt ? `: ${excerpt}` : ''}`,
        });
      } else {
        finish({
          ok: false,
          exitCode: null,
          timedOut: false,
          message: `stopped by ${exit.signal ?? 'a signal'}${excerpt ? `: ${excerpt}` : ''}`,
        });
      }
    };

    const timeoutTimer = setTimeout(() => {
      timedOut = true;
      killTree(child, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child, 'SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
    }, target.timeoutMs);

    child.on('error', (error) => {
      if (exit) return;
      finish({
        ok: false,
        exitCode: null,
        timedOut: false,
        message: describeSpawnError(program, error as NodeJS.ErrnoException),
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_KEEP_BYTES) {
        stderr = stderr.subarray(stderr.length - STDERR_KEEP_BYTES);
        stderrTruncated = true;
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Something it started may still hold stderr open: wait a moment, not forever.
      drainTimer = setTimeout(finishExited, DRAIN_MS);
    });
    child.on('close', () => finishExited());

    // The value, exactly, and nothing else; a command that does not read stdin closes it (EPIPE).
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(value);
  });
}
