/** `token import FILE`: a JSON inventory export, read in for review (read-only rows, metadata only). */
import { basename } from 'node:path';
import { IMPORT_MAX_CHARS } from '../../../shared/contract/tokens';
import { call } from '../call';
import { EXIT, type ExitCode } from '../errors';
import { readInputFile } from '../files';
import { plural } from '../format';
import { jsonDocument } from '../json';
import type { Runtime } from '../runtime';

export async function tokenImport(rt: Runtime): Promise<ExitCode> {
  const { path, content } = readInputFile(rt.positionals[0]!, IMPORT_MAX_CHARS);

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
