/**
 * What a command handler gets: parsed flags, output helpers, and the app
 * context (opened on first use, so that usage errors never touch the data
 * directory or the keychain).
 */
import type { AppContext } from '../app/app-context';
import { UsageError } from './errors';
import type { CliIO } from './io';
import type { Palette } from './format';
import type { ImportProgressReporter, SyncProgressReporter } from './progress';

export type FlagValue = string | boolean | (string | boolean)[] | undefined;

export interface Runtime {
  /** The command as typed, e.g. `token generate`; keys the usage line for errors. */
  command: string;
  io: CliIO;
  json: boolean;
  dataDir: string;
  values: Record<string, FlagValue>;
  positionals: string[];
  paint: { out: Palette; err: Palette };
  /** Writes to stdout as is. */
  out(text: string): void;
  /** Writes one line (newline added) to stderr. */
  note(text: string): void;
  /** Receives the service's sync:progress events. */
  progress: SyncProgressReporter;
  /** Receives the service's import:progress events. */
  importProgress: ImportProgressReporter;
  /** The app context on `dataDir`, created on first call. */
  ctx(): AppContext;
  now(): Date;
}

export function stringFlag(rt: Runtime, name: string): string | undefined {
  const v = rt.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`, rt.command);
  return v;
}

export function requiredFlag(rt: Runtime, name: string, valueName: string): string {
  const v = stringFlag(rt, name);
  if (v === undefined) throw new UsageError(`missing --${name} ${valueName}`, rt.command);
  if (!v.trim()) throw new UsageError(`--${name} needs a non-empty ${valueName}`, rt.command);
  return v;
}

export function boolFlag(rt: Runtime, name: string): boolean {
  return rt.values[name] === true;
}

/** A repeatable flag; each occurrence may also hold a comma-separated list. */
export function listFlag(rt: Runtime, name: string): string[] {
  const v = rt.values[name];
  const all = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return all
    .filter((x): x is string => typeof x === 'string')
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Refuses flags that exclude each other, e.g. `--me` with `--user`. */
export function exclusive(rt: Runtime, ...names: string[]): void {
  const given = names.filter((n) => rt.values[n] !== undefined && rt.values[n] !== false);
  if (given.length > 1)
    throw new UsageError(`${given.map((n) => `--${n}`).join(' and ')} cannot be used together`, rt.command);
}

/** A whole number of days, 0–36500. */
export function daysFlag(rt: Runtime, name: string): number | undefined {
  const v = stringFlag(rt, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,5}$/.test(v.trim()) || Number(v) > 36_500)
    throw new UsageError(`--${name} takes a whole number of days (0–36500), e.g. --${name} 30`, rt.command);
  return Number(v);
}
