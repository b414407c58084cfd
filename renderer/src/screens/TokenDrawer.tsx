import { useEffect, useRef, useState } from 'react';
import type { TokenRow } from '../../../shared/tokens';
import { MAX_ACTIVE_TOKENS_PER_USER } from '../../../shared/tokens';
import { expiryText, localDateTime, relative, secretLabel, utc } from '../lib/format';
import type { RotationLinks, TokenLink } from '../../../shared/token-status';
import { findRowsById } from '../lib/inventory-source';
import { StatusPill } from '../components/StatusPill';
import { activityHash } from '../lib/hash-route';
import { SecretField } from '../components/SecretField';
import { DeliveriesSection } from './deliveries/DeliveriesSection';

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

/**
 * "Replaced by “CI pipeline” (000A…)" with a button that opens that token's details: the other end
 * of a rotation made in this app (tokens-service.ts rotate, migration 008).
 */
function RotationLink(props: {
  label: 'Replaced by' | 'Replaces';
  link: TokenLink;
  onOpen: ((row: TokenRow) => void) | undefined;
}) {
  const [missing, setMissing] = useState(false);
  const open = async () => {
    const [row] = await findRowsById([props.link.rowId]).catch(() => []);
    if (row && props.onOpen) props.onOpen(row);
    else setMissing(true);
  };
  return (
    <>
      <dt>{props.label}</dt>
      <dd>
        “{props.link.name}” <span className="mono">({props.link.tokenId})</span>
        {props.onOpen ? (
          <div>
            <button
              type="button"
              className="btn btn--small"
              onClick={() => void open()}
              aria-label={`Open the details of ${props.label === 'Replaced by' ? 'the replacement' : 'the replaced token'} ${props.link.tokenId}`}
            >
              Open
            </button>
          </div>
        ) : null}
        {missing ? <div className="muted">That token is no longer in the inventory.</div> : null}
      </dd>
    </>
  );
}

/** Everything known about one token; Reveal/Copy when its value is stored here; Rotate and Revoke. */
export function TokenDrawer(props: {
  row: TokenRow;
  onClose: () => void;
  onRotate: (row: TokenRow) => void;
  onRevoke: (row: TokenRow) => void;
  /** Shows another token in the drawer: the other end of a rotation. */
  onOpenRow?: (row: TokenRow) => void;
  offline: boolean;
}) {
  const r = props.row;
  // TokensRepo reads rows with their rotation links (shared/token-status.ts, RotationLinks).
  const links = r as TokenRow & RotationLinks;
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
          <dt>{r.status === 'revoked' ? 'Expiry' : 'Expires'}</dt>
          <dd title={r.expiresAt ? utc(r.expiresAt) : undefined}>
            {expiryText(r)}
            {r.expiresAt ? <div className="muted">{utc(r.expiresAt)}</div> : null}
          </dd>
          {links.replacedBy ? (
            <RotationLink
              key={`by-${links.replacedBy.rowId}`}
              label="Replaced by"
              link={links.replacedBy}
              onOpen={props.onOpenRow}
            />
          ) : null}
          {links.replaces ? (
            <RotationLink
              key={`of-${links.replaces.rowId}`}
              label="Replaces"
              link={links.replaces}
              onOpen={props.onOpenRow}
            />
          ) : null}
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
          <dd>
            {secretLabel(r.secretStored)}
            <div className="muted">
              {r.secretStored ? 'in this computer’s keychain' : 'this computer does not hold the value'}
            </div>
          </dd>
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
        {!r.readOnly ? <DeliveriesSection key={r.rowId} row={r} /> : null}
        <p className="muted audit-hint">
          Every generate, reveal, copy, rotate and revoke of this token is recorded in{' '}
          <a href={activityHash({ tokenId: r.tokenId, connectionId: r.connectionId })}>Activity</a> under token id{' '}
          <span className="mono">{r.tokenId}</span>.
        </p>
      </div>
    </aside>
  );
}
