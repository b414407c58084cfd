import { useState, type FormEvent } from 'react';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DOTENV_KEY_HINT,
  DOTENV_KEY_RE,
  type DeliverResult,
  type Delivery,
  type DeliveryTarget,
} from '../../../../shared/contract/deliveries';
import type { TokenRow } from '../../../../shared/tokens';
import { call, errorInfo } from '../../lib/api';
import { localDateTime, plural, relative } from '../../lib/format';
import { useResource } from '../../lib/use-resource';
import { TextField, Field } from '../../components/Field';
import '../../styles/rotation.css';

/** Absolute paths only (main refuses others too): a relative one would mean another file elsewhere. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

function targetText(target: DeliveryTarget): string {
  if (target.kind === 'dotenv') return `${target.key} in ${target.path}`;
  return target.shell ? `sh -c ${JSON.stringify(target.argv.join(' '))}` : target.argv.join(' ');
}

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

type Kind = DeliveryTarget['kind'];

/** The add form: a dotenv file (path + variable) or a command (its argument list, one per line). */
function AddDelivery(props: { rowId: number; onAdded: () => void; onCancel: () => void }) {
  const [kind, setKind] = useState<Kind>('dotenv');
  const [path, setPath] = useState('');
  const [key, setKey] = useState('VAULT_TOKEN');
  const [argvText, setArgvText] = useState('');
  const [shell, setShell] = useState(false);
  const [timeoutText, setTimeoutText] = useState(String(DEFAULT_COMMAND_TIMEOUT_MS / 1000));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const check = (): { target: DeliveryTarget } | null => {
    const found: Record<string, string> = {};
    let target: DeliveryTarget | null = null;
    if (kind === 'dotenv') {
      if (!path.trim()) found.path = 'Enter the file path.';
      else if (!ABSOLUTE_PATH.test(path.trim())) found.path = 'Give the full path of the file.';
      if (!DOTENV_KEY_RE.test(key.trim())) found.key = DOTENV_KEY_HINT;
      target = { kind: 'dotenv', path: path.trim(), key: key.trim() };
    } else {
      const argv = argvText.split('\n').filter((line) => line.trim() !== '');
      const seconds = Number(timeoutText.trim());
      if (argv.length === 0) found.argv = 'Enter the program, then one argument per line.';
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
        found.timeout = 'Use whole seconds from 1 to 3600.';
      target = { kind: 'command', argv, shell, timeoutMs: seconds * 1000 };
    }
    setErrors(found);
    return Object.keys(found).length ? null : { target };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = check();
    if (!ok) return;
    setBusy(true);
    setFailure(null);
    try {
      await call('deliveries:add', { rowId: props.rowId, target: ok.target });
      props.onAdded();
    } catch (err) {
      const info = errorInfo(err);
      setFailure(info.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="deliveries__form" onSubmit={(e) => void submit(e)} aria-label="Add a delivery">
      <fieldset className="deliveries__kind">
        <legend>Deliver to</legend>
        <label className="check">
          <input type="radio" name="delivery-kind" checked={kind === 'dotenv'} onChange={() => setKind('dotenv')} />A
          dotenv file
        </label>
        <label className="check">
          <input type="radio" name="delivery-kind" checked={kind === 'command'} onChange={() => setKind('command')} />A
          command
        </label>
      </fieldset>
      {kind === 'dotenv' ? (
        <>
          <TextField
            label="File"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/srv/etl/.env"
            error={errors.path}
            hint="Its other lines and mode are kept; a new file is created readable by you only."
            spellCheck={false}
          />
          <TextField
            label="Variable"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            error={errors.key}
            spellCheck={false}
          />
        </>
      ) : (
        <>
          <Field
            label="Command, one argument per line"
            error={errors.argv}
            hint="The program first, then each argument on its own line. The value goes to its standard input only."
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                rows={3}
                value={argvText}
                onChange={(e) => setArgvText(e.target.value)}
                placeholder={'gh\nsecret\nset\nVAULT_TOKEN'}
                spellCheck={false}
                className="mono"
              />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={shell} onChange={(e) => setShell(e.target.checked)} />
            Run through the shell (globbing, pipes and variables apply)
          </label>
          <TextField
            label="Stop it after (seconds)"
            inputMode="numeric"
            value={timeoutText}
            onChange={(e) => setTimeoutText(e.target.value)}
            error={errors.timeout}
          />
        </>
      )}
      {failure ? (
        <p className="text-danger" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="deliveries__actions">
        <button type="submit" className="btn btn--small btn--primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add delivery'}
        </button>
        <button type="button" className="btn btn--small" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A token's delivery targets in its details drawer (issue 16 item 3): the list with each target's
 * last outcome, add (main asks the person before a new target may receive the value), remove, and
 * "Deliver now". Values never reach the renderer: main reads the keychain and runs the targets.
 */
export function DeliveriesSection({ row }: { row: TokenRow }) {
  const list = useResource(() => call('deliveries:list', { rowId: row.rowId }), [row.rowId]);
  const [adding, setAdding] = useState(false);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<DeliverResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const deliveries = list.data ?? [];
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
      <h3 id={`deliveries-${row.rowId}`}>Deliveries</h3>
      {list.error ? (
        <p className="text-danger" role="alert">
          {list.error.message}
        </p>
      ) : null}
      {deliveries.length === 0 && !list.loading ? (
        <p className="muted">
          No delivery targets. A target receives this token’s value when you press “Deliver now”, and its replacement’s
          when the token is rotated.
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
        <AddDelivery
          rowId={row.rowId}
          onAdded={() => {
            setAdding(false);
            void list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <div className="deliveries__actions">
          <button type="button" className="btn btn--small" onClick={() => setAdding(true)} disabled={!deliverable}>
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
