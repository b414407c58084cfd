import { useId } from 'react';
import { format } from 'date-fns';
import type { TokenExpiry } from '../../../shared/tokens';
import { utcDatePlus } from '../lib/format';

export type ExpiryMode = '30' | '90' | '180' | 'date' | 'datetime' | 'never';
export interface ExpiryChoice {
  mode: ExpiryMode;
  /** YYYY-MM-DD, for 'date' and 'datetime'. */
  date: string;
  /** HH:MM in UTC, for 'datetime'. */
  time: string;
}

export const DEFAULT_EXPIRY: ExpiryChoice = { mode: '90', date: '', time: '17:00' };

const PRESETS: { mode: ExpiryMode; days: number }[] = [
  { mode: '30', days: 30 },
  { mode: '90', days: 90 },
  { mode: '180', days: 180 },
];

/** The request value, or a message saying what to fix. `now` is injectable for clarity, not tests. */
export function toExpiry(
  choice: ExpiryChoice,
  now = new Date(),
): { ok: true; expiry: TokenExpiry } | { ok: false; message: string } {
  const preset = PRESETS.find((p) => p.mode === choice.mode);
  if (preset) return { ok: true, expiry: { kind: 'date', date: utcDatePlus(preset.days, now) } };
  if (choice.mode === 'never') return { ok: true, expiry: { kind: 'never' } };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(choice.date)) return { ok: false, message: 'Pick an expiry date.' };
  if (choice.mode === 'date') {
    if (choice.date < format(now, 'yyyy-MM-dd'))
      return { ok: false, message: 'That date is in the past. Pick today or a later date.' };
    return { ok: true, expiry: { kind: 'date', date: choice.date } };
  }
  if (!/^\d{2}:\d{2}$/.test(choice.time)) return { ok: false, message: 'Enter a time in UTC, such as 17:00.' };
  const iso = `${choice.date}T${choice.time}:00Z`;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { ok: false, message: 'That is not a real date and time.' };
  if (at <= now.getTime()) return { ok: false, message: 'That time is in the past (times are UTC). Pick a later one.' };
  return { ok: true, expiry: { kind: 'datetime', iso } };
}

/** Presets, a date, a date and time (UTC), or never, with the rules Vault applies explained. */
export function ExpiryPicker({
  value,
  onChange,
  error,
}: {
  value: ExpiryChoice;
  onChange: (v: ExpiryChoice) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const set = (patch: Partial<ExpiryChoice>) => onChange({ ...value, ...patch });
  const errorId = `${id}-error`;
  const radio = (mode: ExpiryMode, label: string) => (
    <label className="check">
      <input
        type="radio"
        name={`${id}-mode`}
        value={mode}
        checked={value.mode === mode}
        onChange={() => set({ mode, date: value.date || utcDatePlus(30) })}
      />
      {label}
    </label>
  );
  return (
    <fieldset className={`fieldset${error ? ' field--invalid' : ''}`} aria-describedby={error ? errorId : `${id}-rule`}>
      <legend>Expiry</legend>
      <div className="choice-row">
        {PRESETS.map((p) => (
          <span key={p.mode}>{radio(p.mode, `${p.days} days`)}</span>
        ))}
        {radio('date', 'On a date')}
        {radio('datetime', 'Date and time (UTC)')}
        {radio('never', 'Never expires')}
      </div>
      {value.mode === 'date' || value.mode === 'datetime' ? (
        <div className="choice-row">
          <label className="inline-field">
            <span>Date</span>
            <input
              type="date"
              value={value.date}
              min={format(new Date(), 'yyyy-MM-dd')}
              onChange={(e) => set({ date: e.target.value })}
              aria-invalid={Boolean(error)}
            />
          </label>
          {value.mode === 'datetime' ? (
            <label className="inline-field">
              <span>Time (UTC)</span>
              <input
                type="time"
                value={value.time}
                onChange={(e) => set({ time: e.target.value })}
                aria-invalid={Boolean(error)}
              />
            </label>
          ) : null}
        </div>
      ) : null}
      <p className="field__hint" id={`${id}-rule`}>
        {value.mode === 'never'
          ? 'Vault refuses a token without an expiry unless the user’s security profile allows never-expiring tokens.'
          : value.mode === 'datetime'
            ? 'The token stops working at exactly this time, in UTC.'
            : 'A date alone means 23:59:59 in the Vault user’s time zone on that day. The longest lifetime depends on the user’s security profile.'}
      </p>
      {error ? (
        <p className="field__error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** "in 90 days (2027-03-31)" for the dialogs' summaries. */
export function describeExpiry(choice: ExpiryChoice): string {
  const result = toExpiry(choice);
  if (!result.ok) return '—';
  const e = result.expiry;
  if (e.kind === 'never') return 'never expires';
  if (e.kind === 'date') return `${e.date}, 23:59:59 in the user’s time zone`;
  return `${e.iso.replace('T', ' ').replace('Z', '')} UTC`;
}
