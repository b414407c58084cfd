import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Electron executable if one is installed, without triggering the
 * `electron` package's lazy download (which fails offline). Where there is
 * none, Electron suites report themselves skipped.
 */
export function electronBinary(): string | null {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  const full = join(base, relative);
  return existsSync(full) ? full : null;
}
