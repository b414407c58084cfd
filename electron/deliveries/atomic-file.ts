/**
 * Replaces a file's content atomically: a temporary file in the same directory (so the rename
 * stays on one file system), written, flushed to disk (fsync), given the old file's mode, then
 * renamed over the file and the directory flushed. rename(2) replaces the name in one step, so a
 * reader sees the old content or the new, never half of it; a crash leaves at most our temporary
 * file, never a truncated target. On failure the temporary file is removed.
 *
 * A new file is created 0600 (it holds a credential). An existing file keeps its mode. A symlink
 * or anything but a regular file is refused, as exports are (electron/store/private-files.ts):
 * the rename would replace the link itself, and the person should point the delivery at the file.
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

const POSIX = process.platform !== 'win32';
export const NEW_FILE_MODE = 0o600;

export interface AtomicWriteHooks {
  /** Called after the temporary file is written and flushed, just before the rename (tests inject failures here). */
  beforeRename?(tempPath: string): void;
}

export class FileRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

export interface ExistingFile {
  text: string;
  /** Permission bits (e.g. 0o600), or null on Windows where POSIX modes mean little. */
  mode: number | null;
}

/** The file's text and mode, or null when it does not exist. Refuses links and non-files. */
export function readExisting(path: string): ExistingFile | null {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (stat.isSymbolicLink())
    throw new FileRefusedError(`${path} is a symbolic link; point the delivery at the file it links to`);
  if (!stat.isFile()) throw new FileRefusedError(`${path} is not a regular file`);
  return { text: readFileSync(path, 'utf8'), mode: POSIX ? stat.mode & 0o7777 : null };
}

/** Writes `text` to `path` atomically with `mode` (null: the platform default). */
export function writeAtomically(path: string, text: string, mode: number | null, hooks: AtomicWriteHooks = {}): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.vtd-${randomBytes(6).toString('hex')}.tmp`);
  // Exclusive and owner-only from the first byte: the value is never readable by others mid-write.
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    NEW_FILE_MODE,
  );
  let renamed = false;
  try {
    try {
      const bytes = Buffer.from(text, 'utf8');
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      if (POSIX && mode !== null) fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
    renamed = true;
    syncDirectory(dir);
  } finally {
    if (!renamed) {
      try {
        unlinkSync(temp);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Flushes the directory entry of the rename (POSIX; Windows cannot open a directory this way). */
function syncDirectory(dir: string): void {
  if (!POSIX) return;
  let fd: number | null = null;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    /* some file systems refuse fsync on a directory; the rename itself has happened */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
