/**
 * better-sqlite3 is a native addon, built per runtime ABI. node_modules holds
 * the copy for plain Node (tests, CLI). For `npm start`,
 * build/tools/electron-native.mjs places an Electron build in
 * .electron-native/<electron version>/, loaded here through better-sqlite3's
 * `nativeBinding` option. Packaged apps are rebuilt for Electron by
 * electron-builder, so they use the default.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function electronSqliteBinding(
  appPath: string,
  isPackaged: boolean,
  electronVersion: string,
): string | undefined {
  if (isPackaged) return undefined;
  const candidate = join(appPath, '.electron-native', electronVersion, 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}
