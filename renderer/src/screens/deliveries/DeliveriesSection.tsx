import { useEffect, useRef, useState } from 'react';
import type { DeliverResult, Delivery } from '../../../../shared/contract/deliveries';
import type { TokenRow } from '../../../../shared/tokens';
import { call, errorInfo } from '../../lib/api';
import { localDateTime, plural, relative } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { DeliveryForm, targetText } from './DeliveryForm';
import '../../styles/rotation.css';

function LastOutcome({ d }: { d: Delivery }) {
  if (!d.lastRunAt) return <span className="muted">Not run yet.</span>;
  const pill =
    d.lastStatus === 'ok' ? (
      <span className="pill pill--ok">delivered</span>
    ) : d.lastStatus === 'timed-out' ? (
      <span className="pill pill--danger">timed out</span>
    ) : (
      <span className="pill pill--danger">failed{d.lastExitCode !== null ? `, exit ${d.lastExitCode}` : ''}</span>
    );
  return (
    <span>
      {pill}{' '}
      <span className="muted" title={localDateTime(d.lastRunAt)}>
        {relative(d.lastRunAt)}
      </span>
      {d.lastMessage ? <span className="muted"> · {d.lastMessage}</span> : null}
    </span>
  );
}

/**
 * A token's delivery targets in its details drawer (issue 16 item 3): the list with each target's
 * last outcome, add (main asks the person before a new target may receive the value), remove, and
 * "Deliver now". Values never reach the renderer: main reads the keychain and runs the targets.
 */
export function DeliveriesSection({
  row,
  compact = false,
}: {
  row: TokenRow;
  /** In a card of Generate across Vaults (GenerateResults): a lower heading and a shorter empty note. */
  compact?: boolean;
}) {
  const Heading = compact ? 'h4' : 'h3';
  const list = useResource(() => call('deliveries:list', { rowId: row.rowId }), [row.rowId]);
  const [adding, setAdding] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<DeliverResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const deliveries = list.data ?? [];
  // Back on "Add delivery…" once the form closes (added or cancelled), not lost on the page.
  const addButton = useRef<HTMLButtonElement>(null);
  const wasAdding = useRef(false);
  useEffect(() => {
    if (wasAdding.current && !adding) addButton.current?.focus();
    wasAdding.current = adding;
  }, [adding]);
  const deliverable = !row.readOnly && row.status !== 'revoked' && row.status !== 'expired';

  const deliverNow = async () => {
    setRunning(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await call('deliveries:deliver', { rowId: row.rowId }));
    } catch (e) {
      setProblem(errorInfo(e).message);
    } finally {
      setRunning(false);
      await list.reload();
    }
  };

  const remove = async (d: Delivery) => {
    setProblem(null);
    try {
      await call('deliveries:remove', { id: d.id });
    } catch (e) {
      setProblem(errorInfo(e).message);
    }
    await list.reload();
  };

  const failed = result?.outcomes.filter((o) => o.status !== 'ok').length ?? 0;

  return (
    <section className="deliveries" aria-labelledby={`deliveries-${row.rowId}`}>
      <Heading id={`deliveries-${row.rowId}`}>Deliveries</Heading>
      {list.error ? (
        <p className="text-danger" role="alert">
          {list.error.message}
        </p>
      ) : null}
      {deliveries.length === 0 && !list.loading ? (
        <p className="muted">
          {compact
            ? 'No delivery targets yet.'
            : 'No delivery targets. A target receives this token’s value when you press “Deliver now”, and its ' +
              'replacement’s when the token is rotated.'}
        </p>
      ) : (
        <ul className="deliveries__list">
          {deliveries.map((d) => (
            <li key={d.id} className="deliveries__item">
              <div className="deliveries__head">
                <span className="deliveries__target">
                  <span className="pill">{d.target.kind === 'dotenv' ? 'dotenv' : 'command'}</span>{' '}
                  <span className="mono">{targetText(d.target)}</span>
                </span>
                <button
                  type="button"
                  className="btn btn--small btn--ghost-danger"
                  onClick={() => void remove(d)}
                  aria-label={`Remove the delivery to ${d.label}`}
                >
                  Remove
                </button>
              </div>
              <LastOutcome d={d} />
            </li>
          ))}
        </ul>
      )}
      <div role="status" aria-live="polite">
        {result ? (
          result.outcomes.length === 0 ? (
            <p className="muted">Nothing to deliver: add a target first.</p>
          ) : failed ? (
            <p className="text-warn">
              {failed} of {plural(result.outcomes.length, 'delivery', 'deliveries')} failed; see each target above.
            </p>
          ) : (
            <p className="step-success">Delivered to {plural(result.outcomes.length, 'target')}.</p>
          )
        ) : null}
      </div>
      {problem ? (
        <p className="text-danger" role="alert">
          {problem}
        </p>
      ) : null}
      {adding ? (
        <DeliveryForm
          rowId={row.rowId}
          {...(compact ? { label: `Add a delivery for ${row.connectionName}` } : {})}
          onAdded={() => {
            setAdding(false);
            void list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <div className="deliveries__actions">
          <button
            ref={addButton}
            type="button"
            className="btn btn--small"
            onClick={() => setAdding(true)}
            disabled={!deliverable}
          >
            Add delivery…
          </button>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void deliverNow()}
            disabled={!deliverable || running || deliveries.length === 0 || !row.secretStored}
          >
            {running ? 'Delivering…' : 'Deliver now'}
          </button>
        </div>
      )}
      {!deliverable ? (
        <p className="muted">
          {row.readOnly ? 'Imported rows are read-only.' : `A ${row.status} token cannot be delivered.`}
        </p>
      ) : !row.secretStored && deliveries.length > 0 ? (
        <p className="muted">This computer does not hold the value, so it cannot be delivered; rotate the token.</p>
      ) : null}
    </section>
  );
}
