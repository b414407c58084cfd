/**
 * "Add the N other Vaults you can reach" (issue 15, item 1): the Vaults this connection's login reaches
 * (its `vaultIds`, connections:reachable) as a checklist with each Vault's name and DNS, every one not
 * yet added selected. Add creates them with the same user and saved sign-in, then tests and syncs each
 * (connections:add-reachable); the outcome shows per Vault, in the same table.
 */
import { useEffect, useRef, useState } from 'react';
import type { Connection } from '../../../../shared/domain';
import type { ReachableVaultInfo } from '../../../../shared/contract/connections';
import type { AddReachableOutcome } from '../../../../shared/contract/discover';
import { call, errorInfo } from '../../lib/api';
import { Modal } from '../../components/Modal';
import { Banner } from '../../components/Banner';
import { ClientField } from '../../components/ClientField';

type Phase = 'loading' | 'choose' | 'adding' | 'done';

/** Vaults of this login that have no connection yet. */
export function notAdded(vaults: readonly ReachableVaultInfo[]): ReachableVaultInfo[] {
  return vaults.filter((v) => !v.connectionId);
}

export function addOthersLabel(count: number): string {
  return `Add the ${count} other Vault${count === 1 ? '' : 's'} you can reach`;
}

function outcomeText(o: AddReachableOutcome): { text: string; tone: 'ok' | 'danger' | 'neutral' } {
  if (o.status === 'already-added' && o.synced)
    return { text: `Synced ${o.tokens} token${o.tokens === 1 ? '' : 's'}`, tone: 'ok' };
  if (o.status === 'already-added') return { text: 'Already added', tone: 'neutral' };
  if (o.status === 'failed') return { text: 'Not added', tone: 'danger' };
  if (!o.tested) return { text: 'Added; test failed', tone: 'danger' };
  if (!o.synced) return { text: 'Added; sync failed', tone: 'danger' };
  return { text: `Added, synced ${o.tokens} token${o.tokens === 1 ? '' : 's'}`, tone: 'ok' };
}

export function DiscoverVaultsDialog(props: {
  connection: Connection;
  /** The list, when the screen already has it (after a test); else it is asked for (which may sign in). */
  initial?: ReachableVaultInfo[];
  onClose: () => void;
  onAdded?: (outcomes: AddReachableOutcome[]) => void;
  /** Clients in use, offered as completions for the new connections' client. */
  clients?: readonly string[];
}) {
  const { connection } = props;
  // The new connections join the source's client group by default (issue 15: grouped under their client).
  const [client, setClient] = useState(connection.client ?? '');
  const [vaults, setVaults] = useState<ReachableVaultInfo[] | null>(props.initial ?? null);
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(notAdded(props.initial ?? []).map((v) => v.vaultId)));
  const [phase, setPhase] = useState<Phase>(props.initial ? 'choose' : 'loading');
  const [error, setError] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<Map<number, AddReachableOutcome>>(new Map());
  const addButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const listBox = useRef<HTMLDivElement>(null);

  // The outcome replaces the choice: show it from the top, with Close under the keyboard.
  useEffect(() => {
    if (phase !== 'done') return;
    listBox.current?.scrollTo({ top: 0 });
    closeButton.current?.focus();
  }, [phase]);

  useEffect(() => {
    if (props.initial) return;
    let live = true;
    call('connections:reachable', { id: connection.id })
      .then((found) => {
        if (!live) return;
        setVaults(found);
        setChosen(new Set(notAdded(found).map((v) => v.vaultId)));
        setPhase('choose');
      })
      .catch((e: unknown) => {
        if (!live) return;
        setError(errorInfo(e).message);
        setPhase('choose');
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- asked once, when the dialog opens
  }, []);

  const candidates = notAdded(vaults ?? []);
  const allChosen = candidates.length > 0 && candidates.every((v) => chosen.has(v.vaultId));
  const toggle = (id: number, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const add = async () => {
    if (!chosen.size) return;
    setPhase('adding');
    setError(null);
    try {
      const result = await call('connections:add-reachable', { id: connection.id, vaultIds: [...chosen], client });
      setOutcomes(new Map(result.map((o) => [o.vaultId, o])));
      setPhase('done');
      props.onAdded?.(result);
    } catch (e) {
      setError(errorInfo(e).message);
      setPhase('choose');
    }
  };

  const done = [...outcomes.values()];
  const failed = done.filter((o) => outcomeText(o).tone === 'danger').length;
  const added = done.filter((o) => o.status === 'added').length;
  const busy = phase === 'adding' || phase === 'loading';

  return (
    <Modal
      title={phase === 'done' ? `Added ${added} Vault${added === 1 ? '' : 's'}` : 'Add the other Vaults you can reach'}
      wide
      locked={phase === 'adding'}
      onClose={props.onClose}
      describedBy="discover-intro"
      footer={
        phase === 'done' ? (
          <button ref={closeButton} type="button" className="btn btn--primary" onClick={props.onClose}>
            Close
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={props.onClose} disabled={phase === 'adding'}>
              Cancel
            </button>
            <button
              ref={addButton}
              type="button"
              className="btn btn--primary"
              onClick={() => void add()}
              disabled={busy || chosen.size === 0}
            >
              {phase === 'adding'
                ? `Adding and syncing ${chosen.size}…`
                : `Add ${chosen.size} Vault${chosen.size === 1 ? '' : 's'}`}
            </button>
          </>
        )
      }
    >
      <p id="discover-intro" className="muted">
        {connection.username} reaches these Vaults with the sign-in of <strong>{connection.name}</strong>. Each one you
        add uses the same user and the same saved sign-in (one keychain item), and is tested and synced.
      </p>
      {error ? (
        <Banner tone="error" title="That did not work">
          {error}
        </Banner>
      ) : null}
      {phase === 'done' && failed ? (
        <Banner tone="warn" title={`${failed} of ${done.length} need attention`}>
          The others are added and synced. The reason for each is in the table.
        </Banner>
      ) : null}
      <div aria-live="polite" className="sr-only">
        {phase === 'adding' ? `Adding and syncing ${chosen.size} Vaults` : ''}
        {phase === 'done' ? `Added ${added}; ${failed} need attention` : ''}
      </div>
      {phase === 'choose' && candidates.length > 0 ? (
        <div className="discover-vaults__client">
          <ClientField
            label="Client of the new connections"
            clients={props.clients ?? []}
            value={client}
            onChange={(e) => setClient(e.target.value)}
            hint="They are grouped under it; leave empty for none."
          />
        </div>
      ) : null}
      {phase === 'loading' ? <p role="status">Asking Vault which Vaults this login reaches…</p> : null}
      {vaults && vaults.length === 0 ? <p>This login reaches no other Vault.</p> : null}
      {vaults && vaults.length > 0 ? (
        // Focusable, so the list scrolls from the keyboard when no checkbox is left to tab to.
        <div
          ref={listBox}
          className="list-scroll discover-vaults"
          tabIndex={0}
          role="region"
          aria-label="Vaults this login reaches"
        >
          <table className="table table--compact" aria-label="Vaults this login reaches">
            <thead>
              <tr>
                <th scope="col">
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={allChosen}
                      disabled={busy || phase === 'done' || candidates.length === 0}
                      onChange={(e) => setChosen(new Set(e.target.checked ? candidates.map((v) => v.vaultId) : []))}
                    />
                    Vault
                  </label>
                </th>
                <th scope="col">DNS</th>
                <th scope="col">{phase === 'done' ? 'Outcome' : 'Status'}</th>
              </tr>
            </thead>
            <tbody>
              {vaults.map((v) => {
                const outcome = outcomes.get(v.vaultId);
                const shown = outcome ? outcomeText(outcome) : null;
                const label = v.name ?? `Vault ${v.vaultId}`;
                return (
                  <tr key={v.vaultId}>
                    <td>
                      <label className={`check${v.connectionId ? ' check--disabled' : ''}`}>
                        <input
                          type="checkbox"
                          checked={v.connectionId ? true : chosen.has(v.vaultId)}
                          disabled={Boolean(v.connectionId) || busy || phase === 'done'}
                          onChange={(e) => toggle(v.vaultId, e.target.checked)}
                        />
                        {label}
                      </label>
                    </td>
                    <td className="mono">{v.dns}</td>
                    <td>
                      {shown ? (
                        <span className={`health health--${shown.tone}`} title={outcome?.message ?? undefined}>
                          {shown.text}
                          {outcome?.message && shown.tone === 'danger' ? `: ${outcome.message}` : ''}
                        </span>
                      ) : v.self ? (
                        <span className="pill">This connection</span>
                      ) : v.connectionId ? (
                        <span className="pill">Already added</span>
                      ) : (
                        <span className="muted">Not added</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Modal>
  );
}
