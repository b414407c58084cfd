/**
 * Long-running child processes for the crash-safety suite (test/integration/crash-safety.test.ts):
 * the built `vault-token-desk` command, or a TypeScript script run with tsx, started without
 * waiting for it, so that a test can kill it with SIGKILL at a moment it chose.
 *
 * No sleeps: a test waits for a named event (a line on stdout or stderr, a request in the fake
 * Vault's log, a fault rule being hit) with `waitFor`, which polls a predicate and fails, with
 * the child's output, if the child exits first or the deadline passes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { CLI_BIN, ROOT } from './cli-runner';

/** Environment variables that would change what the CLI does (as in cli-runner.ts); cleared unless given. */
const CLI_ENV = ['VAULT_TOKEN_DESK_HOME', 'VAULT_TOKEN_DESK_LOG', 'NO_COLOR', 'FORCE_COLOR'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** Added to (or, with undefined, removed from) the child's environment. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Default: closed at once. */
  stdin?: string;
  /** For startCli: the entry script (default electron/cli/bin.cjs, e.g. a private build's copy). */
  bin?: string;
}

export class LiveProcess {
  readonly pid: number;
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private out: Buffer[] = [];
  private err: Buffer[] = [];

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly label: string,
  ) {
    if (child.pid === undefined) throw new Error(`${label} did not start`);
    this.pid = child.pid;
    child.stdout.on('data', (b: Buffer) => this.out.push(b));
    child.stderr.on('data', (b: Buffer) => this.err.push(b));
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get stdout(): string {
    return Buffer.concat(this.out).toString('utf8');
  }

  get stderr(): string {
    return Buffer.concat(this.err).toString('utf8');
  }

  get running(): boolean {
    return this.exit === null;
  }

  describe(): string {
    const state = this.exit ? `exit ${this.exit.code ?? '-'} signal ${this.exit.signal ?? '-'}` : 'running';
    return `${this.label} (${state})\n--- stdout\n${this.stdout}--- stderr\n${this.stderr}`;
  }

  /** Kills the process with SIGKILL (no cleanup, no finally blocks) and waits until it is gone. */
  async sigkill(): Promise<Exit> {
    if (!this.running) throw new Error(`${this.label} ended before it could be killed:\n${this.describe()}`);
    process.kill(this.pid, 'SIGKILL');
    const exit = await this.exited;
    if (exit.signal !== 'SIGKILL') throw new Error(`${this.label} was not killed by SIGKILL:\n${this.describe()}`);
    return exit;
  }

  /**
   * Runs `fn` with the process stopped (SIGSTOP: it cannot run, but its sockets keep receiving),
   * then lets it go on (SIGCONT), whatever `fn` did. For "this happens while the process waits".
   */
  async whileStopped<T>(fn: () => Promise<T>): Promise<T> {
    process.kill(this.pid, 'SIGSTOP');
    try {
      return await fn();
    } finally {
      process.kill(this.pid, 'SIGCONT');
    }
  }

  /** Ends the process if a failed test left it running. */
  stopIfRunning(): void {
    if (this.running) process.kill(this.pid, 'SIGKILL');
  }
}

function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CLI_ENV) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function start(args: string[], label: string, options: StartOptions): LiveProcess {
  // Node runs the entry itself (no wrapper process), so the pid is the process that does the work.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const live = new LiveProcess(child, label);
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdin ?? '');
  return live;
}

/** `vault-token-desk --data-dir DIR …` (electron/cli/bin.cjs → out/cli/index.js), not awaited. */
export function startCli(dataDir: string, args: string[], options: StartOptions = {}): LiveProcess {
  return start([options.bin ?? CLI_BIN, '--data-dir', dataDir, ...args], `vault-token-desk ${args.join(' ')}`, options);
}

/** A TypeScript script under test/helpers, run by Node with tsx's loader in the same process. */
export function startScript(script: string, args: string[], options: StartOptions = {}): LiveProcess {
  return start(
    ['--import', 'tsx', join(ROOT, 'test/helpers', script), ...args],
    `${script} ${args.join(' ')}`,
    options,
  );
}

/**
 * Waits until `predicate` holds, polling every few milliseconds. Fails naming `what` when the
 * deadline passes, or at once when `process` exits first (with its output).
 */
export async function waitFor<T>(
  what: string,
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: { process?: LiveProcess; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (options.process && !options.process.running)
      throw new Error(`${options.process.label} ended while waiting for ${what}:\n${options.process.describe()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${options.process ? `\n${options.process.describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
