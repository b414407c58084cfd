import { useRef, useState } from 'react';
import type { RevokeOutcome, TokenRow } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { plural } from '../lib/format';
import { Modal } from '../components/Modal';
import { Banner } from '../components/Banner';
import { ProdWarning } from '../components/ProdWarning';
import type { Environment } from '../lib/environment';
import { EnvironmentTag } from './inventory/EnvironmentTag';
import { MiddleTruncate } from './inventory/MiddleTruncate';
import { vaultTitle } from './InventoryGrid';

/** The Vault cut in the middle, so names alike but for their end stay apart (issue 13, item 2). */
function VaultName({ row, environment }: { row: TokenRow; environment: Environment | null }) {
  return (
    <span className="revoke-vault">
      <EnvironmentTag environment={environment} />
      <MiddleTruncate text={row.connectionName} />
    </span>
  );
}

/**
 * Revoke one or many: first a list of exactly what will go, then what
 * happened to each token. Imported (read-only) and already revoked rows are
 * left out and said so.
 */
export function RevokeDialog({
  rows,
  onClose,
  environmentOf,
}: {
  rows: TokenRow[];
  onClose: (changed: boolean) => void;
  /** The environment of a row's Vault (client groups, issue 15); PROD is marked with ProdWarning. */
  environmentOf?: (row: TokenRow) => Environment | null;
}) {
  const revocable = rows.filter((r) => !r.readOnly && r.status !== 'revoked' && !r.sandboxName);
  const skipped = rows.length - revocable.length;
  const [phase, setPhase] = useState<'confirm' | 'working' | 'done'>('confirm');
  const [outcomes, setOutcomes] = useState<RevokeOutcome[]>([]);
  const [failure, setFailure] = useState<{ message: string; vaultErrorType?: string | undefined } | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const byId = new Map(rows.map((r) => [r.rowId, r]));

  const revoke = async () => {
    setPhase('working');
    setFailure(null);
    try {
      setOutcomes(await call('tokens:revoke', { rowIds: revocable.map((r) => r.rowId) }));
      setPhase('done');
    } catch (e) {
      const info = errorInfo(e);
      setFailure({ message: info.message, vaultErrorType: info.vaultErrorType });
      setPhase('confirm');
    }
  };

  if (phase === 'done') {
    const ok = outcomes.filter((o) => o.ok).length;
    const failed = outcomes.length - ok;
    return (
      <Modal
        title={failed === 0 ? `Revoked ${plural(ok, 'token')}` : `${plural(ok, 'token')} revoked, ${failed} failed`}
        wide
        onClose={() => onClose(true)}
        footer={
          <button type="button" className="btn btn--primary" onClick={() => onClose(true)}>
            Close
          </button>
        }
      >
        <div role="status" aria-live="polite" className="sr-only">
          {ok} revoked, {failed} failed.
        </div>
        <div className="list-scroll">
          <table className="table table--compact" aria-label="Revoke results">
            <thead>
              <tr>
                <th scope="col">Result</th>
                <th scope="col">Vault</th>
                <th scope="col">Name</th>
                <th scope="col">Token id</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {outcomes.map((o) => {
                const row = byId.get(o.rowId);
                return (
                  <tr key={o.rowId}>
                    <td>
                      {o.ok ? (
                        <span className="pill pill--ok">revoked</span>
                      ) : (
                        <span className="pill pill--danger">failed</span>
                      )}
                    </td>
                    <td title={row ? vaultTitle(row) : undefined}>
                      {row ? <VaultName row={row} environment={environmentOf?.(row) ?? null} /> : '—'}
                    </td>
                    <td className="cell-clip" title={row?.name}>
                      {row?.name ?? '—'}
                    </td>
                    <td className="mono nowrap">{o.tokenId}</td>
                    <td className="cell-wrap">
                      {o.ok ? '' : o.message}
                      {o.vaultErrorType ? (
                        <>
                          {' '}
                          <span className="muted">(Vault error type</span>{' '}
                          <code className="mono">{o.vaultErrorType}</code>
                          <span className="muted">)</span>
                        </>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {failed ? (
          <p className="muted">
            Tokens that failed are unchanged in this inventory. Sync to see their state in Vault, then revoke again if
            they are still active.
          </p>
        ) : null}
      </Modal>
    );
  }

  const one = revocable.length === 1 ? revocable[0] : undefined;
  const prodVaults = [...new Set(revocable.filter((r) => environmentOf?.(r) === 'PROD').map((r) => r.connectionName))];
  return (
    <Modal
      title={one ? `Revoke “${one.name}”?` : `Revoke ${plural(revocable.length, 'token')}?`}
      wide
      locked={phase === 'working'}
      onClose={() => onClose(false)}
      initialFocus={cancelRef}
      footer={
        <>
          <button
            ref={cancelRef}
            type="button"
            className="btn"
            onClick={() => onClose(false)}
            disabled={phase === 'working'}
          >
            Cancel
          </button>
          <button
            type="button"
            className="btn btn--danger revoke-confirm"
            onClick={() => void revoke()}
            disabled={phase === 'working' || revocable.length === 0}
          >
            {phase === 'working'
              ? 'Revoking…'
              : revocable.length === 1
                ? 'Revoke token'
                : `Revoke ${plural(revocable.length, 'token')}`}
          </button>
        </>
      }
    >
      {failure ? (
        <Banner tone="error" title="Nothing was revoked">
          {failure.message}
          {failure.vaultErrorType ? ` (Vault error type ${failure.vaultErrorType})` : ''}
        </Banner>
      ) : null}
      <p>
        {revocable.length === 0
          ? 'None of the selected tokens can be revoked.'
          : 'Each token stops working at once in its Vault. Anything still using it will fail to connect. This cannot be undone.'}
      </p>
      <ProdWarning vaults={prodVaults} action="revoke" />
      {revocable.length ? (
        <div className="list-scroll">
          <table className="table table--compact" aria-label="Tokens to revoke">
            <thead>
              <tr>
                <th scope="col">Vault</th>
                <th scope="col">Name</th>
                <th scope="col">Token id</th>
                <th scope="col">User</th>
              </tr>
            </thead>
            <tbody>
              {revocable.map((r) => (
                <tr key={r.rowId}>
                  <td title={vaultTitle(r)}>
                    <VaultName row={r} environment={environmentOf?.(r) ?? null} />
                  </td>
                  <td className="cell-clip" title={r.name}>
                    {r.name}
                  </td>
                  <td className="mono nowrap">{r.tokenId}</td>
                  <td className="cell-clip">{r.userName ?? r.userId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {skipped ? (
        <p className="muted">
          {plural(skipped, 'selected token')} {skipped === 1 ? 'is' : 'are'} left out: already revoked, imported
          (read-only), or living in a sandbox that is not a connection here.
        </p>
      ) : null}
    </Modal>
  );
}
