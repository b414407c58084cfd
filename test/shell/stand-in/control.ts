/**
 * The test side of the shell smoke suite: starts the real main bundle under the stand-in `electron`
 * (./boot.ts) in a child Node process and drives it. One child per scenario: main has process-wide state
 * (single-instance lock, registered schemes, app events), as Electron's main process does.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { record } from './electron';

export type ShellRecord = typeof record;

export type ControlRequest =
  | { op: 'record' }
  | { op: 'invoke'; channel: string; url: string | null; payload?: unknown }
  | { op: 'protocol'; url: string }
  | { op: 'navigate'; event: 'will-navigate' | 'will-redirect' | 'will-attach-webview'; url: string }
  | { op: 'window-open'; url: string }
  | { op: 'permission'; partition: string; permission: string }
  | { op: 'app-event'; name: 'second-instance' | 'activate' | 'before-quit'; args?: unknown[] }
  | { op: 'minimise' }
  | { op: 'click-notification'; index: number }
  | { op: 'click-tray-item'; label: string }
  | { op: 'quit' };

export type ControlReply =
  | { type: 'loaded' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'exit'; code: number; record: ShellRecord };

export const ROOT = resolve(__dirname, '../../..');
export const MAIN_BUNDLE = join(ROOT, 'out/main/index.js');

export interface ShellOptions {
  dataDir: string;
  packaged?: boolean;
  /** Another instance holds the single-instance lock. */
  secondInstance?: boolean;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface Shell {
  request<T = unknown>(request: ControlRequest): Promise<T>;
  record(): Promise<ShellRecord>;
  /** Polls the record until `test` holds (main works asynchronously: whenReady, sync, reminders). */
  waitFor(test: (r: ShellRecord) => boolean, what: string, timeoutMs?: number): Promise<ShellRecord>;
  /** Resolves when the process ends: app.exit's code and the final record, or the raw exit. */
  exited: Promise<{ code: number | null; record: ShellRecord | null }>;
  stdout(): string;
  stderr(): string;
  kill(): void;
}

export function startShell(options: ShellOptions): Shell {
  const child: ChildProcess = fork(join(__dirname, 'boot.ts'), [MAIN_BUNDLE, ...(options.args ?? [])], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      VAULT_TOKEN_DESK_HOME: options.dataDir,
      VTD_STAND_IN_USER_DATA: options.dataDir,
      VTD_STAND_IN_APP_PATH: ROOT,
      VTD_STAND_IN_PACKAGED: options.packaged ? '1' : '0',
      VTD_STAND_IN_SECOND_INSTANCE: options.secondInstance ? '1' : '0',
      ...options.env,
    },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let finalRecord: ShellRecord | null = null;
  child.on('message', (message: ControlReply) => {
    if (message.type === 'reply') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(message.error));
    } else if (message.type === 'exit') {
      finalRecord = message.record;
    }
  });
  const exited = new Promise<{ code: number | null; record: ShellRecord | null }>((done) => {
    child.on('exit', (code) => {
      for (const waiter of pending.values()) waiter.reject(new Error(`main exited (${code}) before answering`));
      pending.clear();
      done({ code, record: finalRecord });
    });
  });

  const request = <T>(req: ControlRequest): Promise<T> =>
    new Promise<T>((resolveRequest, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolveRequest as (v: unknown) => void, reject });
      child.send({ ...req, id });
    });

  const shell: Shell = {
    request,
    record: () => request<ShellRecord>({ op: 'record' }),
    async waitFor(test, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = await shell.record();
        if (test(current)) return current;
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}\nstderr:\n${err}\nrecord:\n${JSON.stringify(current)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited,
    stdout: () => out,
    stderr: () => err,
    kill: () => child.kill('SIGKILL'),
  };
  return shell;
}
