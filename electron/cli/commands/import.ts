/** `token import FILE`: a JSON inventory export, read in for review (read-only rows, metadata only). */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { IMPORT_MAX_CHARS } from '../../../shared/contract/tokens';
import { call } from '../call';
import { CliError, EXIT, type ExitCode } from '../errors';
import { plural } from '../format';
import { jsonDocument } from '../json';
import type { Runtime } from '../runtime';

export async function tokenImport(rt: Runtime): Promise<ExitCode> {
  const path = resolve(rt.positionals[0]!);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new CliError(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`);
  }
  if (content.length > IMPORT_MAX_CHARS)
    throw new CliError(`${path} is too large to import (over ${IMPORT_MAX_CHARS / 1024 / 1024} MB)`);
  if (content.trim() === '') throw new CliError(`${path} is empty`);

  rt.importProgress.start();
  let result: { imported: number; replaced: number };
  try {
    result = await call(rt, 'tokens:import', { content, fileName: basename(path) });
  } finally {
    rt.importProgress.finish();
  }
  if (rt.json) rt.out(jsonDocument({ file: path, ...result }));
  else {
    const replaced = result.replaced ? `; ${plural(result.replaced, 'earlier imported row')} updated in place` : '';
    rt.out(
      `Imported ${plural(result.imported, 'token')} from ${path}${replaced}. Imported rows are read-only (metadata for review); the app lists them with “Show imported”.\n`,
    );
  }
  return EXIT.ok;
}
