/**
 * The Reminders table: one ARIA grid whose week headings are rows of the same grid, so every
 * column lines up from the first week to the last (issue 13 item 6). Only the rows in view are
 * drawn (lib/use-virtual-rows.ts). Keyboard, as the inventory grid: arrows, Page Up/Down, Home
 * and End move; Space selects a token (or opens a group); Shift+arrows extend the selection;
 * Ctrl/Cmd+A selects every token shown; Escape clears; Enter opens a group or rotates a token.
 */
import { nextRowIndex } from '../../lib/grid-navigation';
import { memo, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { differenceInCalendarWeeks, format, parseISO } from 'date-fns';
import type { SnoozeChoice, UpcomingToken, WeekStartDay } from '../../../../shared/reminders';
import { count, plural } from '../../lib/format';
import { useVirtualRows } from '../../lib/use-virtual-rows';
import type { GroupId, ReminderRow } from './reminder-rows';
import type { Environment } from '../../lib/environment';
import { EnvironmentTag } from '../inventory/EnvironmentTag';

const HEADER_HEIGHT = 32;
const COLUMN_COUNT = 6;

export interface RowHandlers {
  toggle(index: number, rowId: number, range: boolean): void;
  toggleGroup(group: GroupId): void;
  snooze(token: UpcomingToken, until: SnoozeChoice): void;
  unsnooze(token: UpcomingToken): void;
  dismiss(token: UpcomingToken): void;
  undismiss(token: UpcomingToken): void;
  focus(index: number): void;
}

function whenText(t: UpcomingToken): string {
  if (t.daysLeft <= 0) return t.daysLeft === 0 ? 'expired today' : `expired ${plural(-t.daysLeft, 'day')} ago`;
  return t.daysLeft === 1 ? 'within a day' : `in ${count(t.daysLeft)} days`;
}

function thresholdText(days: number): string {
  return days === 0 ? 'on expiry' : `${plural(days, 'day')} before`;
}

export function weekLabel(weekStart: string, weekStartsOn: WeekStartDay, now = new Date()): string {
  const diff = differenceInCalendarWeeks(parseISO(weekStart), now, { weekStartsOn });
  if (diff <= 0) return 'This week';
  if (diff === 1) return 'Next week';
  return `In ${diff} weeks`;
}

const GROUP_TEXT: Record<GroupId, { title: string; hint: string }> = {
  expired: { title: 'Expired', hint: 'most recently expired first' },
  dismissed: { title: 'Dismissed', hint: 'no reminders until their expiry changes' },
};

function RemindersCell({ t, dismissed }: { t: UpcomingToken; dismissed: boolean }) {
  if (dismissed) return <span className="pill">dismissed</span>;
  if (t.snoozedUntil)
    return (
      <span
        className="rem-cell--stack rem-next"
        title={`Snoozed until ${format(new Date(t.snoozedUntil), 'yyyy-MM-dd HH:mm')}`}
      >
        <span className="pill pill--info">snoozed</span>
        <span className="cell-text muted rem-small">until {format(new Date(t.snoozedUntil), 'd MMM HH:mm')}</span>
      </span>
    );
  if (t.nextThresholdDays !== null && t.nextThresholdAt)
    return (
      <span
        className="rem-cell--stack rem-next"
        title={`Reminds ${t.thresholds.map((d) => thresholdText(d)).join(', ')}${t.thresholdsSource === 'connection' ? ' (this connection’s own days)' : ''}`}
      >
        <span className="cell-text">{format(new Date(t.nextThresholdAt), 'EEE d MMM')}</span>
        <span className="cell-text muted rem-small">
          {t.nextThresholdDays === 0 ? 'at expiry' : thresholdText(t.nextThresholdDays)}
        </span>
      </span>
    );
  return <span className="muted">{t.thresholds.length ? 'all sent' : 'none set'}</span>;
}

const TokenRowView = memo(function TokenRowView(props: {
  index: number;
  y: number;
  token: UpcomingToken;
  dismissed: boolean;
  selected: boolean;
  focused: boolean;
  busy: boolean;
  handlers: RowHandlers;
  /** The Vault's environment (client groups, issue 15), shown as a tag before its name. */
  environment: Environment | null;
  /** The Vault's client, shown before its name while the list is grouped by client; else null. */
  client: string | null;
}) {
  const { index, y, token: t, dismissed, selected, focused, busy, handlers } = props;
  const statusPill = t.status === 'expired' ? 'pill--danger' : t.status === 'expiring' ? 'pill--warn' : '';
  const onClick = (e: MouseEvent) => {
    handlers.focus(index);
    if ((e.target as HTMLElement).closest('button, a, select')) return;
    handlers.toggle(index, t.rowId, e.shiftKey);
  };
  return (
    <div
      id={`rem-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-busy={busy || undefined}
      data-row-id={t.rowId}
      className={`rem-row rem-row--token${selected ? ' rem-row--selected' : ''}${focused ? ' rem-row--focused' : ''}`}
      style={{ transform: `translateY(${y}px)` }}
      onClick={onClick}
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
      }}
    >
      <div role="gridcell" className="rem-cell rem-cell--check">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select ${t.name}`}
          checked={selected}
          onChange={() => undefined}
        />
      </div>
      <div role="rowheader" className="rem-cell rem-cell--stack" title={`${t.name} — token ${t.tokenId}`}>
        <span className="cell-text rem-strong">{t.name}</span>
        <span className="cell-text muted rem-small">
          {t.userName ?? 'unknown user'} · <span className="mono">{t.tokenId}</span>
        </span>
      </div>
      <div
        role="gridcell"
        className="rem-cell rem-cell--stack"
        title={`${props.client ? `${props.client} · ` : ''}${t.connectionName} — ${t.vaultDns}`}
      >
        <span className="cell-text">
          {props.client ? <span className="rem-client">{props.client} · </span> : null}
          <EnvironmentTag environment={props.environment} /> {t.connectionName}
        </span>
        <span className="cell-text muted mono rem-small">{t.vaultDns}</span>
      </div>
      <div
        role="gridcell"
        className="rem-cell rem-cell--stack"
        title={`${t.expiresAt.slice(0, 19).replace('T', ' ')} UTC`}
      >
        <span className="cell-text">{format(new Date(t.expiresAt), 'EEE d MMM, HH:mm')}</span>
        <span>
          <span className={`pill ${statusPill}`}>{whenText(t)}</span>
        </span>
      </div>
      <div role="gridcell" className="rem-cell">
        <RemindersCell t={t} dismissed={dismissed} />
      </div>
      <div role="gridcell" className="rem-cell rem-cell--actions">
        {dismissed ? (
          <button
            type="button"
            tabIndex={-1}
            className="btn btn--small"
            disabled={busy}
            onClick={() => handlers.undismiss(t)}
            aria-label={`Remind again about ${t.name}`}
          >
            Remind again
          </button>
        ) : (
          <>
            <a
              className="btn btn--small btn--primary"
              tabIndex={-1}
              href={`#/inventory?rotate=${t.rowId}`}
              aria-label={`Rotate ${t.name}`}
            >
              Rotate
            </a>
            {t.snoozedUntil ? (
              <button
                type="button"
                tabIndex={-1}
                className="btn btn--small"
                disabled={busy}
                onClick={() => handlers.unsnooze(t)}
                aria-label={`Unsnooze ${t.name}`}
              >
                Unsnooze
              </button>
            ) : (
              <select
                className="btn btn--small rem-snooze"
                tabIndex={-1}
                aria-label={`Snooze reminders for ${t.name}`}
                value=""
                disabled={busy}
                onChange={(e) => {
                  const until = e.target.value as SnoozeChoice | '';
                  if (until) handlers.snooze(t, until);
                }}
              >
                <option value="">Snooze…</option>
                <option value="1d">1 day</option>
                <option value="1w">1 week</option>
                <option value="next-threshold" disabled={t.nextThresholdDays === null}>
                  Until the next reminder day
                </option>
              </select>
            )}
            <button
              type="button"
              tabIndex={-1}
              className="btn btn--small"
              disabled={busy}
              onClick={() => handlers.dismiss(t)}
              title="I have rotated this elsewhere: stop reminding me"
              aria-label={`Dismiss reminders for ${t.name} (rotated elsewhere)`}
            >
              Dismiss
            </button>
          </>
        )}
      </div>
    </div>
  );
});

function HeadingRowView(props: {
  index: number;
  y: number;
  row: Exclude<ReminderRow, { kind: 'token' }>;
  focused: boolean;
  weekStartsOn: WeekStartDay;
  handlers: RowHandlers;
}) {
  const { index, y, row, focused, weekStartsOn, handlers } = props;
  const id = `rem-heading-${row.key}`;
  return (
    <div
      id={`rem-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      className={`rem-row rem-row--heading${focused ? ' rem-row--focused' : ''}`}
      style={{ transform: `translateY(${y}px)` }}
      onClick={() => handlers.focus(index)}
    >
      <div role="gridcell" aria-colspan={COLUMN_COUNT} className="rem-cell rem-cell--heading">
        {row.kind === 'week' ? (
          <h2 id={id} className="reminders__week-title" data-week-start={row.weekStart}>
            <span>{weekLabel(row.weekStart, weekStartsOn)}</span>
            <span className="muted">
              {format(parseISO(row.weekStart), 'EEE d MMM')} – {format(parseISO(row.weekEnd), 'EEE d MMM yyyy')}
            </span>
            <span className="pill">{plural(row.count, 'token')}</span>
          </h2>
        ) : (
          <h2 id={id} className="reminders__week-title">
            <button
              type="button"
              className="rem-group-toggle"
              aria-expanded={row.open}
              onClick={() => handlers.toggleGroup(row.group)}
            >
              <span aria-hidden="true" className="rem-group-toggle__mark">
                {row.open ? '▾' : '▸'}
              </span>
              <span>{GROUP_TEXT[row.group].title}</span>
              <span className={`pill${row.group === 'expired' ? ' pill--danger' : ''}`}>
                {plural(row.count, 'token')}
              </span>
              <span className="muted">
                {row.open ? `${GROUP_TEXT[row.group].hint} · hide` : `${GROUP_TEXT[row.group].hint} · show`}
              </span>
            </button>
          </h2>
        )}
      </div>
    </div>
  );
}

export interface ReminderTableProps {
  rows: readonly ReminderRow[];
  heights: readonly number[];
  isSelected: (rowId: number) => boolean;
  isBusy: (rowId: number) => boolean;
  headerCheck: 'all' | 'some' | 'none';
  onHeaderCheck: () => void;
  focusedIndex: number;
  handlers: RowHandlers;
  onSelectAllShown: () => void;
  onClearSelection: () => void;
  onExtend: (from: number, to: number) => void;
  onRotate: (token: UpcomingToken) => void;
  weekStartsOn: WeekStartDay;
  label: string;
  /** The environment of a connection's Vault, for its tag (issue 15); none when not given. */
  environmentOf?: (connectionId: string) => Environment | null;
  /** The client of a connection, shown in the Vault cell (group by client); none when not given. */
  clientOf?: (connectionId: string) => string | null;
}

export function ReminderTable(props: ReminderTableProps) {
  const { rows, heights, handlers, focusedIndex } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const { first, last, offsets } = useVirtualRows(scrollRef, heights, { headerHeight: HEADER_HEIGHT });
  const total = rows.length;

  // Keep the focused row in view, below the sticky header.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || focusedIndex < 0 || focusedIndex >= total) return;
    const top = offsets[focusedIndex]!;
    const bottom = offsets[focusedIndex + 1]!;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (bottom + HEADER_HEIGHT > el.scrollTop + el.clientHeight)
      el.scrollTop = bottom + HEADER_HEIGHT - el.clientHeight;
  }, [focusedIndex, total, offsets]);

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / 46) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || total === 0) return;
    const current = Math.min(Math.max(focusedIndex, 0), total - 1);
    const row = rows[current]!;
    const next = nextRowIndex(e.key, focusedIndex, total, pageRows());
    if (next !== null) {
      e.preventDefault();
      if (e.shiftKey) props.onExtend(current, next);
      handlers.focus(next);
      return;
    }
    switch (e.key) {
      case ' ':
      case 'Enter':
        e.preventDefault();
        if (row.kind === 'group') handlers.toggleGroup(row.group);
        else if (row.kind === 'token' && e.key === ' ') handlers.toggle(current, row.token.rowId, e.shiftKey);
        else if (row.kind === 'token' && row.group !== 'dismissed') props.onRotate(row.token);
        return;
      case 'Escape':
        e.preventDefault();
        props.onClearSelection();
        return;
      case 'a':
      case 'A':
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          props.onSelectAllShown();
        }
        return;
      default:
        return;
    }
  };

  return (
    <div
      ref={scrollRef}
      className="rem-grid"
      role="grid"
      aria-label={props.label}
      aria-rowcount={total + 1}
      aria-colcount={COLUMN_COUNT}
      aria-multiselectable="true"
      aria-activedescendant={focusedIndex >= 0 && focusedIndex < total ? `rem-row-${focusedIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="rem-grid__inner" style={{ height: HEADER_HEIGHT + offsets[total]! }}>
        <div role="rowgroup" className="rem-grid__head">
          <div role="row" aria-rowindex={1} className="rem-row rem-row--head">
            <div role="columnheader" className="rem-cell rem-cell--check">
              <input
                type="checkbox"
                aria-label="Select every token shown"
                checked={props.headerCheck === 'all'}
                ref={(el) => {
                  if (el) el.indeterminate = props.headerCheck === 'some';
                }}
                onChange={props.onHeaderCheck}
              />
            </div>
            <div role="columnheader" className="rem-cell">
              Token · owner
            </div>
            <div role="columnheader" className="rem-cell">
              Vault
            </div>
            <div role="columnheader" className="rem-cell">
              Expires
            </div>
            <div role="columnheader" className="rem-cell">
              Next reminder
            </div>
            <div role="columnheader" className="rem-cell rem-cell--actions">
              <span className="sr-only">Actions</span>
            </div>
          </div>
        </div>
        <div role="rowgroup" className="rem-grid__body">
          {Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => {
            const index = first + i;
            const row = rows[index]!;
            const y = offsets[index]!;
            if (row.kind === 'token') {
              return (
                <TokenRowView
                  key={row.key}
                  index={index}
                  y={y}
                  token={row.token}
                  dismissed={row.group === 'dismissed'}
                  selected={props.isSelected(row.token.rowId)}
                  focused={index === focusedIndex}
                  busy={props.isBusy(row.token.rowId)}
                  handlers={handlers}
                  environment={props.environmentOf?.(row.token.connectionId) ?? null}
                  client={props.clientOf?.(row.token.connectionId) ?? null}
                />
              );
            }
            return (
              <HeadingRowView
                key={row.key}
                index={index}
                y={y}
                row={row}
                focused={index === focusedIndex}
                weekStartsOn={props.weekStartsOn}
                handlers={handlers}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
