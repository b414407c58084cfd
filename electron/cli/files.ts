/** Reading an input file and writing an output file for the CLI, with one clear error line each. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writePrivateFile } from '../store/private-files';
import { CliError } from './errors';

/** The file's text (UTF-8), refused when missing, too large or empty. Returns the full path too. */
export function readInputFile(file: string, maxChars: number): { path: string; content: string } {
  const path = resolve(file);
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new CliError(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : (e.code ?? e.message)}`);
  }
  if (content.length > maxChars)
    throw new CliError(`${path} is too large to import (over ${Math.round(maxChars / 1024 / 1024)} MB)`);
  if (content.trim() === '') throw new CliError(`${path} is empty`);
  return { path, content };
}

/** Writes a new file with mode 600 (electron/store/private-files.ts); a symlink or special file is left alone. */
export function writeOutputFile(file: string, content: string): string {
  const path = resolve(file);
  try {
    writePrivateFile(path, content);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOTREGULAR' || e.code === 'ELOOP'
        ? 'it is a symlink or not a regular file, so it was left alone'
        : (e.code ?? e.message);
    throw new CliError(`cannot write ${path}: ${why}`);
  }
  return path;
}
