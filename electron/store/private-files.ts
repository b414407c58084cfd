/**
 * Owner-only permissions for what this app keeps on disk (issue 11, finding 8): the data
 * directory 0700, the database and its WAL files 0600, exports 0600 and never written through
 * a symlink. Applied to an existing directory too (`--data-dir`, `VAULT_TOKEN_DESK_HOME`).
 * On Windows the user profile's ACLs apply and POSIX modes mean little, so chmod is skipped there.
 */
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  writeFileSync,
  writeSync,
} from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX) chmodSync(path, PRIVATE_DIR_MODE);
}

/** Makes each file that exists owner-only (the database, `-wal`, `-shm`). */
export function makePrivateFiles(paths: readonly string[]): void {
  if (!POSIX) return;
  for (const path of paths) if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Writes `content` to a file only its owner can read. A new file is created exclusively; an
 * existing regular file is truncated and made 0600 through a descriptor that refuses symlinks,
 * so a link planted at the path cannot redirect the export elsewhere.
 */
export function writePrivateFile(path: string, content: string): void {
  try {
    writeFileSync(path, content, { flag: 'wx', mode: PRIVATE_FILE_MODE });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (!lstatSync(path).isFile()) {
    throw Object.assign(new Error(`${path} is not a regular file (a symlink or a directory): not overwritten`), {
      code: 'ENOTREGULAR',
    });
  }
  const fd = openSync(path, constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0));
  try {
    if (POSIX) fchmodSync(fd, PRIVATE_FILE_MODE);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
