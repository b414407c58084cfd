/**
 * Runs the built `vault-token-desk` command (electron/cli/bin.cjs → out/cli/index.js)
 * as a child process, the way a consultant's script or cron job does.
 *
 * Always asynchronous (spawn, never execFileSync): the fake Vault usually runs
 * in the test process and must keep answering while the CLI waits on it.
 *
 * `buildCli()` bundles the CLI once per test process with
 * `vite build -c electron/cli/vite.config.mts`. With VTD_CLI_PREBUILT=1 it
 * only checks that the bundle exists (e.g. after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const CLI_BIN = join(ROOT, 'electron/cli/bin.cjs');
export const CLI_BUNDLE = join(ROOT, 'out/cli/index.js');
export const CLI_VITE_CONFIG = join(ROOT, 'electron/cli/vite.config.mts');

let building: Promise<void> | null = null;

function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string | Buffer; timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // The CLI's stdin is a pipe, never a terminal: that is the scripted case.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** Builds out/cli/index.js once per test process. */
export function buildCli(): Promise<void> {
  building ??= (async () => {
    if (process.env.VTD_CLI_PREBUILT) {
      if (!existsSync(CLI_BUNDLE))
        throw new Error(`VTD_CLI_PREBUILT is set but ${CLI_BUNDLE} does not exist; run npm run build`);
      return;
    }
    const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
    const result = await runProcess(process.execPath, [vite, 'build', '-c', CLI_VITE_CONFIG, '--logLevel', 'warn'], {
      timeoutMs: 120_000,
    });
    if (result.code !== 0 || !existsSync(CLI_BUNDLE)) {
      throw new Error(`building the CLI failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
  })();
  return building;
}

export interface CliResult {
  /** The arguments after `--data-dir DIR`. */
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Piped to the CLI's stdin, then closed. Default: nothing (closed at once). */
  stdin?: string;
  /** Added to (or, with undefined, removed from) the child's environment. */
  env?: Record<string, string | undefined>;
  /** Pass `--data-dir` (default: the runner's directory); null leaves it out. */
  dataDir?: string | null;
  /** Run another entry script instead of electron/cli/bin.cjs. */
  bin?: string;
}

/** Environment variables that would change what the CLI does; cleared unless a test sets them. */
const CLI_ENV = ['VAULT_TOKEN_DESK_HOME', 'VAULT_TOKEN_DESK_LOG', 'NO_COLOR', 'FORCE_COLOR'];

export class CliRunner {
  /** Every run so far, for leak checks over all output. */
  readonly runs: CliResult[] = [];

  constructor(
    readonly dataDir: string,
    private readonly env: Record<string, string | undefined> = {},
  ) {}

  async run(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of CLI_ENV) delete env[key];
    for (const [key, value] of Object.entries({ ...this.env, ...options.env })) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const dataDir = options.dataDir === undefined ? this.dataDir : options.dataDir;
    const argv = [options.bin ?? CLI_BIN, ...(dataDir === null ? [] : ['--data-dir', dataDir]), ...args];
    const result = await runProcess(process.execPath, argv, {
      env,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    });
    const run = { args, ...result };
    this.runs.push(run);
    return run;
  }

  /** Runs and parses stdout as the one JSON document `--json` promises. */
  async json<T = unknown>(args: string[], options: CliRunOptions = {}): Promise<{ result: CliResult; doc: T }> {
    const result = await this.run([...args, '--json'], options);
    let doc: T;
    try {
      doc = JSON.parse(result.stdout) as T;
    } catch {
      throw new Error(
        `stdout of ${args.join(' ')} is not one JSON document (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
      );
    }
    return { result, doc };
  }
}

/** For failure messages: what a run printed. */
export function describeRun(r: CliResult): string {
  return `vault-token-desk ${r.args.join(' ')} → exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}
