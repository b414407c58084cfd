import { useEffect, useRef } from 'react';
import type { TokenRow } from '../../../shared/tokens';
import { MAX_ACTIVE_TOKENS_PER_USER } from '../../../shared/tokens';
import { expiryText, localDateTime, relative, utc } from '../lib/format';
import { StatusPill } from '../components/StatusPill';
import { activityHash } from '../lib/hash-route';
import { SecretField } from '../components/SecretField';

const SOURCE_LABEL = {
  generated: 'Generated in this app',
  sync: 'Found by a sync',
  import: 'Imported from a file',
} as const;

function When({ iso, empty }: { iso: string | null; empty: string }) {
  if (!iso) return <>{empty}</>;
  return (
    <span title={utc(iso)}>
      {localDateTime(iso)} <span className="muted">({relative(iso)})</span>
    </span>
  );
}

/** Everything known about one token; Reveal/Copy when its value is stored here; Rotate and Revoke. */
export function TokenDrawer(props: {
  row: TokenRow;
  onClose: () => void;
  onRotate: (row: TokenRow) => void;
  onRevoke: (row: TokenRow) => void;
  offline: boolean;
}) {
  const r = props.row;
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), [r.rowId]);
  const changeable = !r.readOnly && r.status !== 'revoked' && !r.sandboxName;
  const why = r.readOnly
    ? 'Imported rows are read-only.'
    : r.status === 'revoked'
      ? 'This token is revoked.'
      : r.sandboxName
        ? `This token lives in the sandbox “${r.sandboxName}”. Add the sandbox as a connection to rotate or revoke it.`
        : props.offline
          ? 'This Vault is offline.'
          : null;

  return (
    <aside
      className="panel drawer"
      aria-labelledby="token-drawer-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header className="panel__header">
        <h2 id="token-drawer-title" className="cell-text">
          {r.name}
        </h2>
        <button
          ref={closeRef}
          type="button"
          className="btn btn--ghost"
          onClick={props.onClose}
          aria-label="Close details"
        >
          ✕
        </button>
      </header>
      <div className="panel__body drawer__body">
        <StatusPill row={r} />
        <dl className="facts">
          <dt>Vault</dt>
          <dd>
            {r.connectionName}
            <div className="muted mono">{r.vaultDns}</div>
            {r.vaultId ? <div className="muted">Vault id {r.vaultId}</div> : null}
            {r.sandboxName ? <div className="muted">generated for the sandbox “{r.sandboxName}”</div> : null}
          </dd>
          <dt>User</dt>
          <dd>
            {r.userName ?? '—'}
            <div className="muted">
              user id <span className="mono">{r.userId}</span>
            </div>
            {!r.readOnly ? (
              <div
                className={
                  r.userActiveCount >= MAX_ACTIVE_TOKENS_PER_USER
                    ? 'text-danger'
                    : r.userActiveCount >= 20
                      ? 'text-warn'
                      : 'muted'
                }
              >
                {r.userActiveCount}/{MAX_ACTIVE_TOKENS_PER_USER} active tokens
              </div>
            ) : null}
          </dd>
          <dt>Token id</dt>
          <dd className="mono">{r.tokenId}</dd>
          <dt>Expires</dt>
          <dd title={r.expiresAt ? utc(r.expiresAt) : undefined}>
            {expiryText(r)}
            {r.expiresAt ? <div className="muted">{utc(r.expiresAt)}</div> : null}
          </dd>
          <dt>Last used</dt>
          <dd>
            <When iso={r.lastUsedAt} empty="never (as far as Vault reports)" />
          </dd>
          <dt>Created</dt>
          <dd>
            <When iso={r.createdAt} empty="—" />
          </dd>
          {r.revokedAt ? (
            <>
              <dt>Revoked</dt>
              <dd>
                <When iso={r.revokedAt} empty="—" />
              </dd>
            </>
          ) : null}
          <dt>Last synced</dt>
          <dd>
            <When iso={r.lastSyncedAt} empty="not seen by a sync yet" />
          </dd>
          <dt>Source</dt>
          <dd>{SOURCE_LABEL[r.source]}</dd>
          <dt>Secret</dt>
          <dd>{r.secretStored ? 'In this computer’s keychain' : 'Not stored on this computer'}</dd>
        </dl>
        {r.secretStored && r.status !== 'revoked' && !r.readOnly ? <SecretField key={r.rowId} rowId={r.rowId} /> : null}
        <div className="drawer__actions">
          <button
            type="button"
            className="btn"
            onClick={() => props.onRotate(r)}
            disabled={!changeable || props.offline}
          >
            Rotate…
          </button>
          <button
            type="button"
            className="btn btn--ghost-danger"
            onClick={() => props.onRevoke(r)}
            disabled={!changeable || props.offline}
          >
            Revoke…
          </button>
        </div>
        {why ? <p className="muted">{why}</p> : null}
        <p className="muted audit-hint">
          Every generate, reveal, copy, rotate and revoke of this token is recorded in{' '}
          <a href={activityHash({ tokenId: r.tokenId, connectionId: r.connectionId })}>Activity</a> under token id{' '}
          <span className="mono">{r.tokenId}</span>.
        </p>
      </div>
    </aside>
  );
}
