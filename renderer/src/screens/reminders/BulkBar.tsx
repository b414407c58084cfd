/**
 * Bulk snooze and dismiss for the selected reminders (issue 13 item 6). Always on screen, so
 * the table does not jump when a row is ticked; its controls are plain buttons and a select,
 * reached with Tab from the table (select rows there with Space, Shift+arrows or Ctrl/Cmd+A).
 */
import type { BulkReminderAction, SnoozeChoice } from '../../../../shared/reminders';
import { plural } from '../../lib/format';

export interface BulkBarProps {
  selected: number;
  snoozed: number;
  dismissed: number;
  busy: boolean;
  onAction: (action: BulkReminderAction, until?: SnoozeChoice) => void;
  onClear: () => void;
}

export function BulkBar({ selected, snoozed, dismissed, busy, onAction, onClear }: BulkBarProps) {
  const none = selected === 0;
  const active = selected - dismissed;
  return (
    <div className="rem-bulk" role="group" aria-label="Selected reminders">
      <span className="rem-bulk__count" aria-live="polite">
        {none
          ? 'Select tokens to snooze or dismiss several at once (Space, Shift+click, Ctrl+A).'
          : `${plural(selected, 'token')} selected`}
      </span>
      <select
        className="btn btn--small"
        aria-label="Snooze the selected tokens"
        value=""
        disabled={none || busy || active === 0}
        onChange={(e) => {
          const until = e.target.value as SnoozeChoice | '';
          if (until) onAction('snooze', until);
        }}
      >
        <option value="">Snooze selected…</option>
        <option value="1d">for 1 day</option>
        <option value="1w">for 1 week</option>
        <option value="next-threshold">until each one’s next reminder day</option>
      </select>
      <button
        type="button"
        className="btn btn--small"
        disabled={none || busy || active === 0}
        onClick={() => onAction('dismiss')}
        title="I have rotated these elsewhere: stop reminding me"
      >
        Dismiss selected
      </button>
      {snoozed ? (
        <button type="button" className="btn btn--small" disabled={busy} onClick={() => onAction('unsnooze')}>
          Unsnooze {snoozed}
        </button>
      ) : null}
      {dismissed ? (
        <button type="button" className="btn btn--small" disabled={busy} onClick={() => onAction('undismiss')}>
          Remind again ({dismissed})
        </button>
      ) : null}
      {none ? null : (
        <button type="button" className="btn btn--small btn--ghost" onClick={onClear}>
          Clear selection
        </button>
      )}
    </div>
  );
}
