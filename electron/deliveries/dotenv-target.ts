/**
 * Delivery to a dotenv file (issue 16 item 3): `NAME=value` replaced or added, the rest of the
 * file kept (dotenv-text.ts), written atomically with its mode kept, or created 0600
 * (atomic-file.ts).
 *
 * Writes to one file are serialised in this process: a bulk rotation delivers tokens of several
 * Vaults in parallel, often into one file (DEV_TOKEN, QA_TOKEN, PROD_TOKEN), and two
 * read-modify-rename cycles overlapping would lose one of the values. (The cycle is synchronous
 * today, which already keeps it whole; the queue keeps it so if a step becomes asynchronous.)
 * Another process writing the same file at the same moment (the app and the CLI) is not covered.
 */
import { isAbsolute, resolve } from 'node:path';
import type { DotenvTarget } from '../../shared/contract/deliveries';
import { FileRefusedError, NEW_FILE_MODE, readExisting, writeAtomically, type AtomicWriteHooks } from './atomic-file';
import { isDotenvKey, upsertDotenv } from './dotenv-text';

export interface TargetResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** For people: what went wrong, or a note. Never the value. */
  message: string | null;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task on the same key has settled. */
async function serialised<T>(key: string, task: () => Promise<T> | T): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  try {
    return await run;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

/** Plain words for a file system error, without the value or a stack. */
function describeFsError(path: string, error: unknown): string {
  if (error instanceof FileRefusedError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `the folder of ${path} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write ${path} (or its folder)`;
    case 'EISDIR':
      return `${path} is a folder`;
    case 'EROFS':
      return `${path} is on a read-only file system`;
    case 'ENOSPC':
      return `the disk holding ${path} is full`;
    default:
      return `could not write ${path} (${code ?? 'unknown error'})`;
  }
}

export async function deliverToDotenv(
  target: DotenvTarget,
  value: string,
  hooks: AtomicWriteHooks = {},
): Promise<TargetResult> {
  if (!isAbsolute(target.path))
    return { ok: false, exitCode: null, timedOut: false, message: 'the file path is not absolute' };
  if (!isDotenvKey(target.key))
    return { ok: false, exitCode: null, timedOut: false, message: 'the variable name is not valid' };
  const path = resolve(target.path);
  return serialised(path, () => {
    try {
      const existing = readExisting(path);
      const edit = upsertDotenv(existing?.text ?? '', target.key, value);
      writeAtomically(path, edit.text, existing ? existing.mode : NEW_FILE_MODE, hooks);
      // The person's file, the person's mode: kept, but a credential others can read is worth saying.
      const mode = existing?.mode ?? null;
      const note =
        mode !== null && (mode & 0o044) !== 0
          ? `${path} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it if only you should`
          : null;
      return { ok: true, exitCode: null, timedOut: false, message: note };
    } catch (error) {
      return { ok: false, exitCode: null, timedOut: false, message: describeFsError(path, error) };
    }
  });
}
