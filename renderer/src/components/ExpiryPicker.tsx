import { useId, type KeyboardEvent, type ReactNode } from 'react';
import type { TokenExpiry } from '../../../shared/tokens';
import { presetExpiryIso } from '../../../shared/token-status';
import { isIsoDate, isIsoTime, localDatePlus, localDateTime, plural, shiftIsoDate, utc } from '../lib/format';
import '../styles/forms.css';

/** A preset ('30', '90', '180'), another whole number of days ('days': rotation's "same lifetime"), a date, a date and time, or never. */
export type ExpiryMode = '30' | '90' | '180' | 'days' | 'date' | 'datetime' | 'never';
export interface ExpiryChoice {
  mode: ExpiryMode;
  /** YYYY-MM-DD, for 'date' and 'datetime'. */
  date: string;
  /** HH:MM in UTC, for 'datetime'. */
  time: string;
  /** Whole days from now, for 'days'. */
  days?: number;
}

export const DEFAULT_EXPIRY: ExpiryChoice = { mode: '90', date: '', time: '17:00' };

export const PRESET_DAYS = [30, 90, 180] as const;
const PRESETS: { mode: ExpiryMode; days: number }[] = PRESET_DAYS.map((days) => ({
  mode: String(days) as ExpiryMode,
  days,
}));

/** The choice for "`days` days from now": a preset's radio when there is one, else the 'days' mode. */
export function choiceForDays(days: number, base: ExpiryChoice = DEFAULT_EXPIRY): ExpiryChoice {
  const preset = PRESETS.find((p) => p.days === days);
  return preset ? { ...base, mode: preset.mode } : { ...base, mode: 'days', days };
}

/** How many days from now the choice means, for the presets and 'days'; null for the others. */
export function choiceDays(choice: ExpiryChoice): number | null {
  const preset = PRESETS.find((p) => p.mode === choice.mode);
  if (preset) return preset.days;
  return choice.mode === 'days' && choice.days !== undefined && choice.days >= 1 ? choice.days : null;
}

const DATE_FORMAT_MESSAGE = 'Enter the date as YYYY-MM-DD, e.g. 2027-03-31.';

/** The request value, or a message saying what to fix. `now` is injectable for clarity, not tests. */
export function toExpiry(
  choice: ExpiryChoice,
  now = new Date(),
): { ok: true; expiry: TokenExpiry } | { ok: false; message: string } {
  const days = choiceDays(choice);
  // An exact instant, so that the inventory's "in N days" says N (shared/token-status.ts, presetExpiryIso).
  if (days !== null) return { ok: true, expiry: { kind: 'datetime', iso: presetExpiryIso(days, now) } };
  if (choice.mode === 'days') return { ok: false, message: 'Pick an expiry.' };
  if (choice.mode === 'never') return { ok: true, expiry: { kind: 'never' } };
  const date = choice.date.trim();
  if (date === '') return { ok: false, message: 'Pick an expiry date.' };
  if (!isIsoDate(date)) return { ok: false, message: DATE_FORMAT_MESSAGE };
  if (choice.mode === 'date') {
    if (date < localDatePlus(0, now))
      return { ok: false, message: 'That date is in the past. Pick today or a later date.' };
    return { ok: true, expiry: { kind: 'date', date } };
  }
  const time = choice.time.trim();
  if (!isIsoTime(time)) return { ok: false, message: 'Enter a time in UTC as HH:MM (24-hour), e.g. 17:00.' };
  const iso = `${date}T${time}:00Z`;
  if (Date.parse(iso) <= now.getTime())
    return { ok: false, message: 'That time is in the past (times are UTC). Pick a later one.' };
  return { ok: true, expiry: { kind: 'datetime', iso } };
}

/**
 * Presets, a date, a date and time (UTC), or never, with the rules Vault applies explained. Dates
 * and times are typed and shown the ISO way (2027-03-31, 17:00), whatever the browser's locale: a
 * native date input would show 12/31/2026 in an American one. ↑/↓ in the date move it a day.
 * `lifetimeDays` adds a radio for that many days (rotation: the old token's lifetime); `note` says
 * why the picker opened on what it shows.
 */
export function ExpiryPicker({
  value,
  onChange,
  error,
  lifetimeDays,
  note,
}: {
  value: ExpiryChoice;
  onChange: (v: ExpiryChoice) => void;
  error?: string | undefined;
  lifetimeDays?: number | undefined;
  note?: ReactNode;
}) {
  const id = useId();
  const set = (patch: Partial<ExpiryChoice>) => onChange({ ...value, ...patch });
  const errorId = `${id}-error`;
  const formatId = `${id}-format`;
  const extraDays = lifetimeDays !== undefined && !PRESETS.some((p) => p.days === lifetimeDays) ? lifetimeDays : null;
  const radio = (mode: ExpiryMode, label: string, days?: number) => (
    <label className="check">
      <input
        type="radio"
        name={`${id}-mode`}
        value={days === undefined ? mode : `${mode}-${days}`}
        checked={value.mode === mode}
        onChange={() => set({ mode, date: value.date || localDatePlus(30), ...(days === undefined ? {} : { days }) })}
      />
      {label}
    </label>
  );
  const onDateKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    const next = shiftIsoDate(value.date.trim() || localDatePlus(0), e.key === 'ArrowUp' ? 1 : -1);
    if (next === null) return;
    e.preventDefault();
    set({ date: next });
  };
  const days = choiceDays(value);
  const presetIso = days === null ? null : presetExpiryIso(days, new Date());
  return (
    <fieldset className={`fieldset${error ? ' field--invalid' : ''}`} aria-describedby={error ? errorId : `${id}-rule`}>
      <legend>Expiry</legend>
      <div className="choice-row">
        {PRESETS.map((p) => (
          <span key={p.mode}>{radio(p.mode, `${p.days} days`)}</span>
        ))}
        {extraDays !== null ? radio('days', `${plural(extraDays, 'day')} (as before)`, extraDays) : null}
        {radio('date', 'On a date')}
        {radio('datetime', 'Date and time (UTC)')}
        {radio('never', 'Never expires')}
      </div>
      {value.mode === 'date' || value.mode === 'datetime' ? (
        <div className="choice-row">
          <label className="inline-field">
            <span>Date</span>
            <input
              type="text"
              className="input--iso-date"
              value={value.date}
              placeholder="e.g. 2027-03-31"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              maxLength={10}
              onChange={(e) => set({ date: e.target.value })}
              onKeyDown={onDateKey}
              aria-invalid={Boolean(error)}
              aria-describedby={formatId}
            />
          </label>
          {value.mode === 'datetime' ? (
            <label className="inline-field">
              <span>Time (UTC)</span>
              <input
                type="text"
                className="input--iso-time"
                value={value.time}
                placeholder="e.g. 17:00"
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                maxLength={5}
                onChange={(e) => set({ time: e.target.value })}
                aria-invalid={Boolean(error)}
                aria-describedby={formatId}
              />
            </label>
          ) : null}
          <span className="field__hint" id={formatId}>
            {value.mode === 'datetime' ? 'YYYY-MM-DD and HH:MM, 24-hour' : 'YYYY-MM-DD; ↑ and ↓ move it a day'}
          </span>
        </div>
      ) : null}
      {note ? <p className="field__hint expiry-note">{note}</p> : null}
      <p className="field__hint" id={`${id}-rule`}>
        {value.mode === 'never'
          ? 'Vault refuses a token without an expiry unless the user’s security profile allows never-expiring tokens.'
          : value.mode === 'datetime'
            ? 'The token stops working at exactly this time, in UTC.'
            : presetIso !== null
              ? `Expires exactly ${plural(days!, 'day')} from now: ${localDateTime(presetIso)} your time (${utc(presetIso)}). A date alone means 23:59:59 in the Vault user’s time zone on that day, so “On a date” can end a day earlier or later where you are. The longest lifetime depends on the user’s security profile.`
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

/** "in 90 days (2027-03-31 14:05 your time)" for the dialogs' summaries. */
export function describeExpiry(choice: ExpiryChoice): string {
  const result = toExpiry(choice);
  if (!result.ok) return '—';
  const e = result.expiry;
  if (e.kind === 'never') return 'never expires';
  if (e.kind === 'date') return `${e.date}, 23:59:59 in the user’s time zone`;
  const days = choiceDays(choice);
  if (days !== null) return `in ${plural(days, 'day')} (${localDateTime(e.iso)} your time)`;
  return `${e.iso.replace('T', ' ').replace('Z', '')} UTC`;
}
