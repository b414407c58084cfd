import { useEffect, useState } from 'react';
import { downloadText } from '../lib/download';
import { differenceInCalendarWeeks, format, parseISO } from 'date-fns';
import type { SnoozeChoice, UpcomingReminders, UpcomingToken } from '../../../shared/reminders';
import { call, errorInfo, on } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { Banner } from '../components/Banner';
import { EmptyState } from '../components/EmptyState';
import { LoadState } from '../components/LoadState';

const WINDOWS = [30, 60, 90, 180, 365] as const;

/** The locale's first day of the week, for grouping (0 Sunday, 1 Monday, 6 Saturday). */
function localeWeekStart(): 0 | 1 | 6 {
  try {
    const locale = new Intl.Locale(navigator.language) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = locale.getWeekInfo?.().firstDay ?? locale.weekInfo?.firstDay;
    return firstDay === 7 ? 0 : firstDay === 6 ? 6 : 1;
  } catch {
    return 1;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function whenText(t: UpcomingToken): string {
  if (t.daysLeft <= 0) return t.daysLeft === 0 ? 'expired today' : `expired ${plural(-t.daysLeft, 'day')} ago`;
  return t.daysLeft === 1 ? 'within a day' : `in ${t.daysLeft} days`;
}

function thresholdText(days: number): string {
  return days === 0 ? 'on expiry' : `${plural(days, 'day')} before`;
}

function weekLabel(weekStart: string, weekStartsOn: 0 | 1 | 6): string {
  const diff = differenceInCalendarWeeks(parseISO(weekStart), new Date(), { weekStartsOn });
  if (diff <= 0) return 'This week';
  if (diff === 1) return 'Next week';
  return `In ${diff} weeks`;
}

type Notice = { tone: 'success' | 'error' | 'info'; text: string; undo?: { label: string; run: () => Promise<void> } };

/** Upcoming expiries by week, with Rotate, snooze and dismiss at hand. */
export function RemindersScreen() {
  const [windowDays, setWindowDays] = useState<number>(90);
  const [weekStartsOn] = useState(localeWeekStart);
  const upcoming = useResource(
    () => call('reminders:upcoming', { days: windowDays, weekStartsOn }),
    [windowDays, weekStartsOn],
  );
  const [busyRow, setBusyRow] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const { reload } = upcoming;

  useEffect(() => {
    const offChanged = on('reminders:changed', () => void reload());
    const offDue = on('reminders:due', () => void reload());
    return () => {
      offChanged();
      offDue();
    };
  }, [reload]);

  const act = async (token: UpcomingToken, run: () => Promise<unknown>, done: string, undo?: Notice['undo']) => {
    setBusyRow(token.rowId);
    try {
      await run();
      setNotice({ tone: 'success', text: done, ...(undo ? { undo } : {}) });
      await reload();
    } catch (error) {
      setNotice({ tone: 'error', text: errorInfo(error).message });
    } finally {
      setBusyRow(null);
    }
  };

  const snooze = (token: UpcomingToken, until: SnoozeChoice) =>
    act(token, () => call('reminders:snooze', { rowId: token.rowId, until }), `Reminders for ${token.name} snoozed.`, {
      label: 'Undo',
      run: async () => {
        await call('reminders:unsnooze', { rowId: token.rowId });
      },
    });

  const unsnooze = (token: UpcomingToken) =>
    act(token, () => call('reminders:unsnooze', { rowId: token.rowId }), `Reminders for ${token.name} are back on.`);

  const dismiss = (token: UpcomingToken) =>
    act(
      token,
      () => call('reminders:dismiss', { rowId: token.rowId }),
      `No more reminders for ${token.name} unless its expiry changes.`,
      {
        label: 'Undo',
        run: async () => {
          await call('reminders:undismiss', { rowId: token.rowId });
        },
      },
    );

  const undismiss = (token: UpcomingToken) =>
    act(token, () => call('reminders:undismiss', { rowId: token.rowId }), `Reminders for ${token.name} are back on.`);

  const exportCalendar = async () => {
    setExporting(true);
    try {
      const file = await call('calendar:export');
      downloadText(file.filename, file.content, 'text/calendar;charset=utf-8');
      setNotice({
        tone: 'success',
        text: `Saved ${file.filename}: ${plural(file.events, 'expiry', 'expiries')} with an alarm for each reminder threshold.`,
      });
    } catch (error) {
      setNotice({ tone: 'error', text: errorInfo(error).message });
    } finally {
      setExporting(false);
    }
  };

  const data: UpcomingReminders | undefined = upcoming.data;
  const comingCount = data ? data.weeks.reduce((n, w) => n + w.tokens.length, 0) : 0;
  const expiringSoon = data
    ? data.weeks.reduce((n, w) => n + w.tokens.filter((t) => t.status === 'expiring').length, 0)
    : 0;
  const nothing = data && comingCount === 0 && data.expired.length === 0;

  const rows = (tokens: UpcomingToken[], label: string, dismissed = false) => (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Token</th>
          <th scope="col">Connection</th>
          <th scope="col">User</th>
          <th scope="col">Expires</th>
          <th scope="col">Reminders</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <tr key={t.rowId} aria-busy={busyRow === t.rowId || undefined}>
            <th scope="row">
              {t.name}
              <div className="mono muted">{t.tokenId}</div>
            </th>
            <td>
              {t.connectionName}
              <div className="mono muted">{t.vaultDns}</div>
            </td>
            <td>{t.userName ?? '—'}</td>
            <td className="nowrap" title={`${t.expiresAt.slice(0, 19).replace('T', ' ')} UTC`}>
              {format(new Date(t.expiresAt), 'EEE d MMM yyyy, HH:mm')}
              <div>
                <span
                  className={`pill ${t.status === 'expired' ? 'pill--danger' : t.status === 'expiring' ? 'pill--warn' : ''}`}
                >
                  {whenText(t)}
                </span>
              </div>
            </td>
            <td>
              {dismissed ? (
                <span className="pill">dismissed</span>
              ) : t.snoozedUntil ? (
                <span
                  className="pill pill--info"
                  title={`Snoozed until ${format(new Date(t.snoozedUntil), 'yyyy-MM-dd HH:mm')}`}
                >
                  snoozed until {format(new Date(t.snoozedUntil), 'd MMM HH:mm')}
                </span>
              ) : t.nextThresholdDays !== null && t.nextThresholdAt ? (
                <span
                  className="muted"
                  title={`Thresholds: ${t.thresholds.join(', ')} days${t.thresholdsSource === 'connection' ? ' (this connection’s own)' : ''}`}
                >
                  next {format(new Date(t.nextThresholdAt), 'd MMM')} ({thresholdText(t.nextThresholdDays)})
                </span>
              ) : (
                <span className="muted">{t.thresholds.length ? 'all sent' : 'none set'}</span>
              )}
            </td>
            <td className="row-actions">
              {dismissed ? (
                <button
                  type="button"
                  className="btn btn--small"
                  disabled={busyRow === t.rowId}
                  onClick={() => void undismiss(t)}
                  aria-label={`Remind me again about ${t.name}`}
                >
                  Remind again
                </button>
              ) : (
                <>
                  <a
                    className="btn btn--small btn--primary"
                    href={`#/inventory?rotate=${t.rowId}`}
                    aria-label={`Rotate ${t.name}`}
                  >
                    Rotate
                  </a>{' '}
                  {t.snoozedUntil ? (
                    <button
                      type="button"
                      className="btn btn--small"
                      disabled={busyRow === t.rowId}
                      onClick={() => void unsnooze(t)}
                      aria-label={`Stop snoozing ${t.name}`}
                    >
                      Unsnooze
                    </button>
                  ) : (
                    <select
                      className="btn btn--small"
                      aria-label={`Snooze reminders for ${t.name}`}
                      value=""
                      disabled={busyRow === t.rowId}
                      onChange={(e) => {
                        const until = e.target.value as SnoozeChoice | '';
                        if (until) void snooze(t, until);
                      }}
                    >
                      <option value="">Snooze…</option>
                      <option value="1d">1 day</option>
                      <option value="1w">1 week</option>
                      <option value="next-threshold" disabled={t.nextThresholdDays === null}>
                        Until the next threshold
                      </option>
                    </select>
                  )}{' '}
                  <button
                    type="button"
                    className="btn btn--small btn--ghost"
                    disabled={busyRow === t.rowId}
                    onClick={() => void dismiss(t)}
                    title="I have rotated this elsewhere: stop reminding me"
                    aria-label={`Dismiss reminders for ${t.name} (rotated elsewhere)`}
                  >
                    Dismiss
                  </button>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

  return (
    <section className="screen" aria-labelledby="reminders-title">
      <header className="screen__header">
        <div>
          <h1 id="reminders-title">Reminders</h1>
          <p className="muted">
            {data
              ? `${plural(expiringSoon, 'token')} expiring within ${data.expiringSoonDays} days, ${data.expired.length} expired`
              : '\u00a0'}
          </p>
        </div>
        <div className="reminders__toolbar">
          <label className="check">
            <span>Show the next</span>
            <select
              className="btn"
              value={windowDays}
              onChange={(e) => setWindowDays(Number(e.target.value))}
              aria-label="How far ahead to show"
            >
              {WINDOWS.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => void exportCalendar()}
            disabled={exporting || !data || comingCount === 0}
          >
            {exporting ? 'Exporting…' : 'Export to calendar (.ics)'}
          </button>
          <a className="btn btn--ghost" href="#/settings">
            Reminder settings
          </a>
        </div>
      </header>

      {notice ? (
        <Banner
          tone={notice.tone}
          title={notice.tone === 'error' ? 'That did not work' : 'Done'}
          action={
            <>
              {notice.undo ? (
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    const undo = notice.undo!;
                    setNotice(null);
                    undo
                      .run()
                      .then(() => reload())
                      .catch((error: unknown) => setNotice({ tone: 'error', text: errorInfo(error).message }));
                  }}
                >
                  {notice.undo.label}
                </button>
              ) : null}
              <button type="button" className="btn btn--ghost" onClick={() => setNotice(null)}>
                Close
              </button>
            </>
          }
        >
          {notice.text}
        </Banner>
      ) : null}

      <LoadState
        resource={upcoming}
        what="reminders"
        isEmpty={() => Boolean(nothing)}
        empty={
          <EmptyState
            title={`Nothing expires in the next ${windowDays} days`}
            action={
              <a className="btn" href="#/inventory">
                Open the inventory
              </a>
            }
          >
            Tokens that never expire, revoked tokens and imported tokens are not listed here. Sync your connections to
            bring in new tokens.
          </EmptyState>
        }
      >
        {(data) => (
          <div className="reminders__timeline">
            {data.expired.length ? (
              <section className="reminders__week" aria-labelledby="reminders-expired">
                <h2 id="reminders-expired" className="reminders__week-title">
                  <span>Expired</span>
                  <span className="pill pill--danger">{data.expired.length}</span>
                </h2>
                {rows(data.expired, 'Expired tokens')}
              </section>
            ) : null}
            {data.weeks.map((week) => {
              const id = `reminders-week-${week.weekStart}`;
              return (
                <section key={week.weekStart} className="reminders__week" aria-labelledby={id}>
                  <h2 id={id} className="reminders__week-title">
                    <span>{weekLabel(week.weekStart, weekStartsOn)}</span>
                    <span className="muted">
                      {format(parseISO(week.weekStart), 'EEE d MMM')} –{' '}
                      {format(parseISO(week.weekEnd), 'EEE d MMM yyyy')}
                    </span>
                    <span className="pill">{week.tokens.length}</span>
                  </h2>
                  {rows(week.tokens, `Tokens expiring in the week of ${week.weekStart}`)}
                </section>
              );
            })}
          </div>
        )}
      </LoadState>

      {data && data.dismissed.length ? (
        <details className="advanced">
          <summary>Dismissed ({data.dismissed.length}) — no reminders until their expiry changes</summary>
          {rows(data.dismissed, 'Dismissed tokens', true)}
        </details>
      ) : null}
    </section>
  );
}
