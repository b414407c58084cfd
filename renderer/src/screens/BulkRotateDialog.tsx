import { useEffect, useRef, useState } from 'react';
import {
  ROTATION_STEPS,
  type RotationOutcome,
  type RotationRun,
  type RotationSelectionInput,
  type RotationStep,
} from '../../../shared/contract/rotation';
import type { TokenRow } from '../../../shared/tokens';
import { call, errorInfo, on } from '../lib/api';
import { plural } from '../lib/format';
import { useDebounced } from '../lib/use-debounced';
import { useAskSecrets } from '../lib/unlock';
import { Modal } from '../components/Modal';
import { TextField } from '../components/Field';
import { ProdWarning } from '../components/ProdWarning';
import { useResource } from '../lib/use-resource';
import { connectionEnvironment, type Environment } from '../lib/environment';
import { EnvironmentTag } from './inventory/EnvironmentTag';
import '../styles/rotation.css';

/** What opened the dialog: the inventory's selection, or the toolbar's "Rotate expiring…". */
export type BulkRotateSource = { kind: 'rows'; rows: TokenRow[] } | { kind: 'expiring' };

const STEP_LABEL: Record<RotationStep, string> = {
  generate: 'Generate',
  store: 'Store',
  deliver: 'Deliver',
  verify: 'Check',
  revoke: 'Revoke old',
};

const DEFAULT_DAYS = '14';

function parseDays(text: string): number | null {
  const t = text.trim();
  return /^\d{1,4}$/.test(t) && Number(t) <= 3650 ? Number(t) : null;
}

function stepState(o: RotationOutcome, step: RotationStep): 'done' | 'current' | 'failed' | 'pending' {
  if (o.stepsDone.includes(step)) return 'done';
  if (o.step === step && o.state === 'failed') return 'failed';
  if (o.step === step && o.state === 'running') return 'current';
  return 'pending';
}

const STATE_WORDS: Record<ReturnType<typeof stepState>, string> = {
  done: 'done',
  current: 'running',
  failed: 'failed',
  pending: 'not yet',
};

/** The five steps of one token as a row of small marks, each named for screen readers. */
function StepMarks({ o }: { o: RotationOutcome }) {
  return (
    <ol className="rotation-steps" aria-label={`Steps of ${o.tokenId}`}>
      {ROTATION_STEPS.map((step) => {
        const state = stepState(o, step);
        return (
          <li key={step} className={`rotation-steps__step rotation-steps__step--${state}`}>
            <span aria-hidden="true">
              {state === 'done' ? '✓' : state === 'failed' ? '✕' : state === 'current' ? '…' : '·'}
            </span>{' '}
            {STEP_LABEL[step]}
            <span className="sr-only">: {STATE_WORDS[state]}</span>
          </li>
        );
      })}
    </ol>
  );
}

function OutcomeCell({ o }: { o: RotationOutcome }) {
  if (o.state === 'done')
    return (
      <>
        <span className="pill pill--ok">rotated</span> new <span className="mono">{o.replacementTokenId}</span>
        {o.advice ? <div className="muted">{o.advice}</div> : null}
      </>
    );
  if (o.state === 'failed')
    return (
      <>
        <span className="pill pill--danger">stopped at {STEP_LABEL[o.step ?? 'generate'].toLowerCase()}</span>{' '}
        {o.message}
        {o.vaultErrorType ? (
          <>
            {' '}
            <span className="muted">(Vault error type</span> <code className="mono">{o.vaultErrorType}</code>
            <span className="muted">)</span>
          </>
        ) : null}
        {o.advice ? <div className="rotation-advice">{o.advice}</div> : null}
      </>
    );
  if (o.state === 'skipped')
    return (
      <>
        <span className="pill">skipped</span> {o.message}
      </>
    );
  if (o.state === 'running') return <span className="pill pill--info">rotating</span>;
  return <span className="muted">waiting for its Vault</span>;
}

/** A row's Vault environment (client groups, issue 15), from its connection; null when unknown. */
type EnvironmentOf = (o: RotationOutcome) => Environment | null;

function OutcomeTable(props: { outcomes: RotationOutcome[]; label: string; environmentOf: EnvironmentOf }) {
  const { outcomes, label } = props;
  return (
    // Focusable, so that the list scrolls from the keyboard too (WCAG 2.1.1).
    <div className="list-scroll" tabIndex={0} role="region" aria-label={`${label}, scrollable`}>
      <table className="table table--compact rotation-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Vault</th>
            <th scope="col">Steps and outcome</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr key={o.rowId}>
              <td className="cell-clip" title={o.name}>
                {o.name}
                <div className="mono muted">{o.tokenId}</div>
              </td>
              <td className="cell-clip" title={o.connectionName}>
                <EnvironmentTag environment={props.environmentOf(o)} /> {o.connectionName}
              </td>
              <td className="cell-wrap">
                <StepMarks o={o} />
                <div className="rotation-outcome">
                  <OutcomeCell o={o} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Bulk rotation with a live check (main: electron/tokens/bulk-rotation.ts). Choose the tokens (the
 * selection, or everything expiring within N days), see what will happen, then watch each token go
 * through generate → store → deliver → check → revoke old. A failure stops that token before the
 * revoke, keeps both tokens and says what to do; the others go on.
 */
export function BulkRotateDialog(props: { source: BulkRotateSource; onClose: (changed: boolean) => void }) {
  const [daysText, setDaysText] = useState(DEFAULT_DAYS);
  const [deliver, setDeliver] = useState(true);
  const [preview, setPreview] = useState<RotationOutcome[] | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<RotationOutcome[] | null>(null);
  const [run, setRun] = useState<RotationRun | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const start = useRef<HTMLButtonElement>(null);
  const askSecrets = useAskSecrets();
  // The environment of each Vault, so that PROD is marked before anything is revoked (issue 15 item 3).
  const connections = useResource(() => call('connections:list'), []);
  const byConnection = new Map((connections.data ?? []).map((c) => [c.id, c]));
  const environmentOf: EnvironmentOf = (o) =>
    o.connectionId ? connectionEnvironment(byConnection.get(o.connectionId)) : null;
  /** Between the click and the first outcome (asking for passwords): a second click starts nothing. */
  const [starting, setStarting] = useState(false);
  const days = parseDays(daysText);
  const debouncedDays = useDebounced(days, 250);
  const rowIds = props.source.kind === 'rows' ? props.source.rows.map((r) => r.rowId) : null;
  const rowKey = rowIds?.join(',') ?? '';
  const running = outcomes !== null && run === null && runError === null;

  const selection = (): RotationSelectionInput | null =>
    rowIds ? { rowIds } : debouncedDays === null ? null : { expiringWithinDays: debouncedDays };

  useEffect(() => {
    const chosen = selection();
    if (!chosen) {
      setPreview(null);
      return;
    }
    let live = true;
    call('tokens:rotate-preview', { selection: chosen })
      .then((p) => live && (setPreview(p), setPreviewError(null)))
      .catch((e: unknown) => live && setPreviewError(errorInfo(e).message));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the selection is derived from these two
  }, [rowKey, debouncedDays]);

  const queued = preview?.filter((o) => o.state === 'queued') ?? [];
  const prodVaults = [...new Set(queued.filter((o) => environmentOf(o) === 'PROD').map((o) => o.connectionName))];

  /**
   * Asks once for every password (or token) a Vault of the selection needs for this run, as Sync all
   * does; returns the connections left without one, whose tokens are then not rotated.
   */
  const unlockConnections = async (): Promise<Set<string>> => {
    const ids = [...new Set(queued.flatMap((o) => (o.connectionId ? [o.connectionId] : [])))];
    const needs = ids.length ? await call('connections:needs-secret', { ids }) : [];
    if (needs.length === 0) return new Set();
    const byId = new Map((await call('connections:list')).map((c) => [c.id, c]));
    const asked = needs.flatMap((need) => {
      const connection = byId.get(need.connectionId);
      return connection ? [{ connection, need }] : [];
    });
    const unlocked = await askSecrets(asked, 'rotate');
    return new Set(needs.map((n) => n.connectionId).filter((id) => !unlocked.has(id)));
  };

  const begin = async () => {
    const chosen = selection();
    if (!chosen || !preview) return;
    let locked: Set<string>;
    setStarting(true);
    try {
      locked = await unlockConnections();
    } catch (e) {
      setPreviewError(errorInfo(e).message);
      return;
    } finally {
      setStarting(false);
    }
    const runnable = queued.filter((o) => !locked.has(o.connectionId ?? ''));
    const notRun = (o: RotationOutcome): RotationOutcome =>
      o.state === 'queued' && locked.has(o.connectionId ?? '')
        ? { ...o, state: 'skipped', message: 'Not rotated: no password was entered for its Vault.' }
        : o;
    setOutcomes(preview.map(notRun));
    if (runnable.length === 0) {
      setRun({ runId: '', outcomes: preview.map(notRun), rotated: 0, failed: 0, skipped: preview.length });
      return;
    }
    const request: RotationSelectionInput =
      'rowIds' in chosen
        ? { rowIds: runnable.map((o) => o.rowId) }
        : { ...chosen, connectionIds: [...new Set(runnable.map((o) => o.connectionId!))] };
    const mine = new Set(runnable.map((o) => o.rowId));
    let runId: string | null = null;
    const stop = on('tokens:rotate-progress', (p) => {
      if (!mine.has(p.outcome.rowId)) return;
      runId ??= p.runId;
      if (p.runId !== runId) return;
      setOutcomes((list) => list?.map((o) => (o.rowId === p.outcome.rowId ? p.outcome : o)) ?? list);
    });
    try {
      const result = await call('tokens:rotate-many', { selection: request, deliver });
      const byRow = new Map(result.outcomes.map((o) => [o.rowId, o]));
      const all = preview.map((o) => byRow.get(o.rowId) ?? notRun(o));
      setOutcomes(all);
      setRun({ ...result, outcomes: all, skipped: all.filter((o) => o.state === 'skipped').length });
    } catch (e) {
      setRunError(errorInfo(e).message);
    } finally {
      stop();
    }
  };

  const title =
    props.source.kind === 'rows'
      ? `Rotate ${plural(props.source.rows.length, 'token')}`
      : 'Rotate tokens that expire soon';

  if (outcomes) {
    const done = outcomes.filter((o) => o.state === 'done').length;
    const failed = outcomes.filter((o) => o.state === 'failed').length;
    const finished = outcomes.filter((o) => ['done', 'failed', 'skipped'].includes(o.state)).length;
    return (
      <Modal
        title={title}
        wide
        className="dialog--rotation"
        locked={running}
        onClose={() => props.onClose(true)}
        footer={
          <button type="button" className="btn btn--primary" onClick={() => props.onClose(true)} disabled={running}>
            {running ? 'Rotating…' : 'Close'}
          </button>
        }
      >
        <div role="status" aria-live="polite" className="rotation-summary">
          {running ? (
            <p>
              Rotating: {finished} of {plural(outcomes.length, 'token')} finished. Tokens on one Vault go one after the
              other; different Vaults at the same time.
            </p>
          ) : run ? (
            <p className={failed ? 'text-warn' : 'step-success'}>
              <strong>
                {plural(done, 'token')} rotated{failed ? `, ${failed} stopped before the revoke` : ''}
                {run.skipped ? `, ${run.skipped} skipped` : ''}.
              </strong>{' '}
              {failed
                ? 'Each stopped token still works, and its replacement (if one was made) is listed next to it.'
                : 'Every old token was revoked after its replacement passed the check.'}
            </p>
          ) : null}
          {runError ? (
            <p className="text-danger" role="alert">
              {runError}
            </p>
          ) : null}
        </div>
        <OutcomeTable outcomes={outcomes} label="Rotation progress" environmentOf={environmentOf} />
      </Modal>
    );
  }

  return (
    <Modal
      title={title}
      wide
      className="dialog--rotation"
      onClose={() => props.onClose(false)}
      initialFocus={props.source.kind === 'rows' ? start : undefined}
      footer={
        <>
          <button type="button" className="btn" onClick={() => props.onClose(false)}>
            Cancel
          </button>
          <button
            ref={start}
            type="button"
            className="btn btn--primary"
            onClick={() => void begin()}
            disabled={queued.length === 0 || starting}
          >
            {queued.length ? `Rotate ${plural(queued.length, 'token')}` : 'Nothing to rotate'}
          </button>
        </>
      }
    >
      <p>
        For each token: <strong>generate</strong> a replacement with the same name, user and lifetime,{' '}
        <strong>store</strong> its value in the keychain, <strong>deliver</strong> it to the token’s targets,{' '}
        <strong>check</strong> it with one harmless Vault call signed with the new token, and only then{' '}
        <strong>revoke</strong> the old one. If a step fails, that token stops before the revoke and both tokens are
        kept.
      </p>
      {props.source.kind === 'expiring' ? (
        <TextField
          label="Expiring within (days)"
          inputMode="numeric"
          value={daysText}
          onChange={(e) => setDaysText(e.target.value)}
          error={days === null ? 'Enter a whole number of days, 0 to 3650.' : undefined}
          hint="Active tokens that expire within this many days, soonest first."
          className="rotation-days"
        />
      ) : null}
      <label className="check">
        <input type="checkbox" checked={deliver} onChange={(e) => setDeliver(e.target.checked)} />
        Deliver each replacement to its targets (taken over from the old token) before the check
      </label>
      {previewError ? (
        <p className="text-danger" role="alert">
          {previewError}
        </p>
      ) : null}
      <ProdWarning vaults={prodVaults} action="rotate" />
      {preview && preview.length > 0 ? (
        <OutcomeTable outcomes={preview} label="Tokens to rotate" environmentOf={environmentOf} />
      ) : preview ? (
        <p className="muted">No active token expires within {plural(days ?? 0, 'day')}.</p>
      ) : null}
    </Modal>
  );
}
