/**
 * App settings: the `settings` key/value table (JSON values) with typed
 * getters and defaults, plus per-connection reminder thresholds.
 *
 * A stored value that no longer parses (hand-edited file, older format) reads
 * as the default rather than failing the app; the next write replaces it.
 */
import { z } from 'zod';
import type { AppSettings, ConnectionThresholdOverride, SettingsView } from '../../shared/reminders';
import { DEFAULT_REMINDER_THRESHOLDS } from '../../shared/reminders';
import { DEFAULT_EXPIRING_SOON_DAYS } from '../../shared/tokens';
import { DEFAULT_STALE_AFTER_DAYS } from '../../shared/nudges';
import { ExpiringSoonDays, StaleAfterDays, Thresholds } from '../../shared/contract/reminders';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Db } from '../store/database';

export const DEFAULT_SETTINGS: Readonly<AppSettings> = Object.freeze({
  thresholds: [...DEFAULT_REMINDER_THRESHOLDS],
  expiringSoonDays: DEFAULT_EXPIRING_SOON_DAYS,
  staleAfterDays: DEFAULT_STALE_AFTER_DAYS,
  startAtLogin: false,
  minimiseToTray: true,
});

/** Storage key and schema of each setting. Keys are stable: renaming one loses users' values. */
const SETTINGS = {
  thresholds: { key: 'reminders.thresholds', schema: Thresholds },
  expiringSoonDays: { key: 'reminders.expiringSoonDays', schema: ExpiringSoonDays },
  staleAfterDays: { key: 'nudges.staleAfterDays', schema: StaleAfterDays },
  startAtLogin: { key: 'app.startAtLogin', schema: z.boolean() },
  minimiseToTray: { key: 'app.minimiseToTray', schema: z.boolean() },
} as const satisfies { [K in keyof AppSettings]: { key: string; schema: z.ZodType<AppSettings[K], unknown> } };

type SettingName = keyof AppSettings;

function copyDefaults(): AppSettings {
  return { ...DEFAULT_SETTINGS, thresholds: [...DEFAULT_SETTINGS.thresholds] };
}

export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** A raw JSON value, parsed with `schema`; `fallback` when missing or invalid. */
  getJson<T>(key: string, schema: z.ZodType<T, unknown>, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return fallback;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : fallback;
    } catch {
      return fallback;
    }
  }

  setJson(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value), this.clock.now().toISOString());
  }

  private read<K extends SettingName>(name: K): AppSettings[K] {
    const spec = SETTINGS[name] as unknown as { key: string; schema: z.ZodType<AppSettings[K], unknown> };
    const fallback = copyDefaults()[name];
    return this.getJson(spec.key, spec.schema, fallback);
  }

  thresholds(): number[] {
    return this.read('thresholds');
  }
  expiringSoonDays(): number {
    return this.read('expiringSoonDays');
  }
  staleAfterDays(): number {
    return this.read('staleAfterDays');
  }
  startAtLogin(): boolean {
    return this.read('startAtLogin');
  }
  minimiseToTray(): boolean {
    return this.read('minimiseToTray');
  }

  get(): AppSettings {
    return {
      thresholds: this.thresholds(),
      expiringSoonDays: this.expiringSoonDays(),
      staleAfterDays: this.staleAfterDays(),
      startAtLogin: this.startAtLogin(),
      minimiseToTray: this.minimiseToTray(),
    };
  }

  /** Writes the given settings (already validated by the contract schema) in one transaction. */
  update(patch: Partial<AppSettings>): AppSettings {
    this.db.transaction(() => {
      for (const name of Object.keys(SETTINGS) as SettingName[]) {
        const value = patch[name];
        if (value === undefined) continue;
        const spec = SETTINGS[name];
        this.setJson(spec.key, (spec.schema as z.ZodType<unknown, unknown>).parse(value));
      }
    })();
    return this.get();
  }

  /** A connection's own thresholds, or null when it follows the global list. */
  connectionThresholds(connectionId: string): number[] | null {
    const row = this.db
      .prepare('SELECT thresholds FROM reminder_connection_thresholds WHERE connection_id = ?')
      .get(connectionId) as { thresholds: string } | undefined;
    return row ? parseThresholdsJson(row.thresholds) : null;
  }

  connectionOverrides(): ConnectionThresholdOverride[] {
    const rows = this.db
      .prepare(
        `SELECT o.connection_id AS connectionId, c.name AS connectionName, o.thresholds
           FROM reminder_connection_thresholds o JOIN connections c ON c.id = o.connection_id
          ORDER BY c.name COLLATE NOCASE`,
      )
      .all() as { connectionId: string; connectionName: string; thresholds: string }[];
    const out: ConnectionThresholdOverride[] = [];
    for (const r of rows) {
      const thresholds = parseThresholdsJson(r.thresholds);
      if (thresholds) out.push({ connectionId: r.connectionId, connectionName: r.connectionName, thresholds });
    }
    return out;
  }

  /** Sets (or with null, removes) a connection's own thresholds. Returns the connection's name. */
  setConnectionThresholds(connectionId: string, thresholds: number[] | null): { connectionName: string } {
    const connection = this.db.prepare('SELECT name FROM connections WHERE id = ?').get(connectionId) as
      { name: string } | undefined;
    if (!connection)
      throw new AppError('NOT_FOUND', 'That connection no longer exists. Reload the list and try again.');
    if (thresholds === null) {
      this.db.prepare('DELETE FROM reminder_connection_thresholds WHERE connection_id = ?').run(connectionId);
      return { connectionName: connection.name };
    }
    const value = Thresholds.parse(thresholds);
    this.db
      .prepare(
        `INSERT INTO reminder_connection_thresholds (connection_id, thresholds, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET thresholds = excluded.thresholds, updated_at = excluded.updated_at`,
      )
      .run(connectionId, JSON.stringify(value), this.clock.now().toISOString());
    return { connectionName: connection.name };
  }

  view(): SettingsView {
    return { settings: this.get(), defaults: copyDefaults(), overrides: this.connectionOverrides() };
  }
}

/** Stored thresholds JSON → list, or null when unreadable (the caller then uses the global list). */
export function parseThresholdsJson(text: string | null | undefined): number[] | null {
  if (text === null || text === undefined) return null;
  try {
    const parsed = Thresholds.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
