/**
 * The result view of Generate across Vaults (issue 16, item 1): one card per chosen Vault. A new
 * token gets the single-Vault panel's pieces (NewTokenPanel: its value masked, its own Reveal and
 * Copy through `tokens:reveal` / `tokens:copy`, and the keychain-failure rule that the view cannot
 * close before such a value is copied and confirmed saved) and its own deliveries: the drawer's
 * DeliveriesSection, so a dotenv file or a command is added (DeliveryForm) and run with "Deliver
 * now" right here. A Vault that failed says why, and whether anything may have been created there.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Connection } from '../../../../shared/domain';
import type { GenerateManyOutcome } from '../../../../shared/tokens';
import { plural } from '../../lib/format';
import { Modal } from '../../components/Modal';
import { NewTokenPanel, useNewTokenState } from '../NewTokenPanel';
import { DeliveriesSection } from '../deliveries/DeliveriesSection';
import { primaryActionIn, useReturnFocus } from './focus';
import { ProdTag } from './VaultPicker';
import { isProductionVault } from './vault-choices';
import '../../styles/generate.css';

interface Leaving {
  canLeave: boolean;
  finish: () => Promise<boolean>;
}

/** What a failure means for the person: nothing was created, or Vault may have created one. */
export function failureNote(o: GenerateManyOutcome): string {
  if (!o.error) return '';
  if (o.error.stage === 'check' || o.error.code === 'VAULT') return 'Nothing was created in this Vault.';
  return 'Vault may have created the token before the answer was lost: sync this Vault to see, before generating again.';
}

export function GenerateResultsDialog(props: {
  outcomes: GenerateManyOutcome[];
  name: string;
  connections: Connection[];
  onClose: () => void;
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const leaving = useRef(new Map<string, Leaving>());
  const [blocked, setBlocked] = useState(0);
  const made = props.outcomes.filter((o) => o.ok && o.generated);
  const byId = new Map(props.connections.map((c) => [c.id, c]));

  // After Modal's own focus (a parent's effects run after its children's): the first Copy.
  useEffect(() => primaryActionIn(listRef.current)?.focus(), []);
  useReturnFocus(props.returnFocusTo);

  const report = useCallback((id: string, state: Leaving) => {
    leaving.current.set(id, state);
    setBlocked([...leaving.current.values()].filter((s) => !s.canLeave).length);
  }, []);
  const done = async () => {
    for (const state of leaving.current.values()) if (!(await state.finish())) return;
    props.onClose();
  };

  const failed = props.outcomes.length - made.length;
  return (
    <Modal
      title={`Generated “${props.name}” in ${made.length} of ${plural(props.outcomes.length, 'Vault')}`}
      wide
      locked={blocked > 0}
      onClose={() => void done()}
      footer={
        <button type="button" className="btn btn--primary" onClick={() => void done()} disabled={blocked > 0}>
          Done
        </button>
      }
    >
      <div className="gen-results">
        <p role="status" className={failed ? 'text-warn' : 'muted'}>
          {made.length ? `${plural(made.length, 'new token')}, each shown once: reveal or copy each value here.` : ''}
          {failed ? ` ${plural(failed, 'Vault')} did not get one; the others are stored and listed.` : ''}
          {blocked
            ? ` ${plural(blocked, 'value')} could not be saved in the keychain: copy ${blocked > 1 ? 'them' : 'it'} first.`
            : ''}
        </p>
        <div className="gen-results__list" ref={listRef}>
          {props.outcomes.map((o) =>
            o.ok && o.generated ? (
              <CreatedCard key={o.connectionId} outcome={o} connection={byId.get(o.connectionId)} onState={report} />
            ) : (
              <FailedCard key={o.connectionId} outcome={o} connection={byId.get(o.connectionId)} />
            ),
          )}
        </div>
      </div>
    </Modal>
  );
}

function CardHead(props: {
  id: string;
  outcome: GenerateManyOutcome;
  connection: Connection | undefined;
  status: string;
}) {
  return (
    <h3 className="gen-result__head" id={props.id}>
      {props.outcome.connectionName}
      {props.connection && isProductionVault(props.connection) ? <ProdTag /> : null}
      <span className="muted">{props.status}</span>
    </h3>
  );
}

function CreatedCard(props: {
  outcome: GenerateManyOutcome;
  connection: Connection | undefined;
  onState: (id: string, state: Leaving) => void;
}) {
  const result = props.outcome.generated!;
  const state = useNewTokenState(result);
  const finish = useRef(state.finish);
  finish.current = state.finish;
  const { onState } = props;
  const id = props.outcome.connectionId;
  useEffect(
    () => onState(id, { canLeave: state.canLeave, finish: () => finish.current() }),
    [onState, id, state.canLeave],
  );
  const headId = `gen-result-${result.token.rowId}`;
  return (
    <section className="gen-result" aria-labelledby={headId}>
      <CardHead id={headId} outcome={props.outcome} connection={props.connection} status="Created" />
      <NewTokenPanel result={result} state={state} compact valueLabel={`Value for ${props.outcome.connectionName}`} />
      <DeliveriesSection row={result.token} compact />
    </section>
  );
}

function FailedCard(props: { outcome: GenerateManyOutcome; connection: Connection | undefined }) {
  const o = props.outcome;
  const headId = `gen-result-failed-${o.connectionId}`;
  return (
    <section className="gen-result gen-result--failed" aria-labelledby={headId}>
      <CardHead id={headId} outcome={o} connection={props.connection} status="Not generated" />
      <p>{o.error?.message ?? 'Not generated.'}</p>
      {o.error?.vaultErrorType ? (
        <p className="muted">
          Vault error type: <code className="mono">{o.error.vaultErrorType}</code>
        </p>
      ) : null}
      <p className="muted">{failureNote(o)}</p>
    </section>
  );
}
