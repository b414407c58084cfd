import { useRef, useState } from 'react';
import type { GenerateResult, TokenRow } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { expiryText, localDate, plural } from '../lib/format';
import { rotationExpiryRule, type RotationExpiryRule } from '../../../shared/token-status';
import { useWithUnlock } from '../lib/unlock';
import type { Connection } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { ProdWarning } from '../components/ProdWarning';
import { choiceForDays, DEFAULT_EXPIRY, ExpiryPicker, toExpiry, type ExpiryChoice } from '../components/ExpiryPicker';
import { NewTokenPanel, useNewTokenState } from './NewTokenPanel';

type Failure = { message: string; vaultErrorType?: string | null | undefined };

function VaultType({ type }: { type?: string | null | undefined }) {
  return type ? (
    <>
      {' '}
      Vault error type: <code className="mono">{type}</code>.
    </>
  ) : null;
}

/** The picker's first choice for the replacement: the old token's rule (shared/token-status.ts). */
export function rotationDefault(rule: RotationExpiryRule): ExpiryChoice {
  if (rule.kind === 'never') return { ...DEFAULT_EXPIRY, mode: 'never' };
  return choiceForDays(rule.days);
}

/** Why the picker opened where it did, in words. */
function RotationReason({ row, rule }: { row: TokenRow; rule: RotationExpiryRule }) {
  if (rule.kind === 'never')
    return (
      <>
        Proposed: <strong>never expires</strong>, like the old token. Vault refuses it if the user’s security profile no
        longer allows never-expiring tokens; pick a lifetime then.
      </>
    );
  if (rule.kind === 'same-lifetime')
    return (
      <>
        Proposed: <strong>{plural(rule.days, 'day')}</strong> from today, the old token’s lifetime (created{' '}
        {localDate(row.createdAt)}, expires {localDate(row.expiresAt)}).
      </>
    );
  return (
    <>
      Proposed: <strong>{plural(rule.days, 'day')}</strong>, because the old token’s lifetime is unknown (
      {rule.why === 'no-created-date'
        ? 'Vault’s token list does not say when a token was created, and this one was not made in this app'
        : 'its recorded expiry is not after its creation'}
      ).
    </>
  );
}

/**
 * Rotate = generate a replacement with the same name, let the user put it in
 * place, then revoke the old one. Each step says exactly what exists if it
 * fails: nothing is ever revoked before the replacement exists.
 */
export function RotateDialog({
  row,
  connection,
  onClose,
}: {
  row: TokenRow;
  connection: Connection | undefined;
  onClose: (notice: string | null) => void;
}) {
  // The replacement follows the old token's lifetime rule unless the person picks another.
  const [rule] = useState(() => rotationExpiryRule(row));
  const [expiry, setExpiry] = useState<ExpiryChoice>(() => rotationDefault(rule));
  const [expiryError, setExpiryError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [result, setResult] = useState<GenerateResult | null>(null);
  const withUnlock = useWithUnlock();
  const first = useRef<HTMLButtonElement>(null);

  const generate = async () => {
    const exp = toExpiry(expiry);
    if (!exp.ok) {
      setExpiryError(exp.message);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      setResult(await withUnlock(connection, () => call('tokens:rotate', { rowId: row.rowId, expiry: exp.expiry })));
    } catch (e) {
      const info = errorInfo(e);
      setFailure({ message: info.message, vaultErrorType: info.vaultErrorType });
    } finally {
      setBusy(false);
    }
  };

  if (!result) {
    return (
      <Modal
        title={`Rotate “${row.name}”`}
        wide
        locked={busy}
        onClose={() => onClose(null)}
        footer={
          <>
            <button type="button" className="btn" onClick={() => onClose(null)} disabled={busy}>
              Cancel
            </button>
            <button
              ref={first}
              type="button"
              className="btn btn--primary"
              onClick={() => void generate()}
              disabled={busy || row.readOnly || row.status === 'revoked'}
            >
              {busy ? 'Generating…' : 'Generate replacement'}
            </button>
          </>
        }
      >
        <ol className="steps" aria-label="Rotation steps">
          <li className="steps__current">Generate a replacement</li>
          <li>Put the new value in place</li>
          <li>Revoke the old token</li>
        </ol>
        <ProdWarning vaults={connection?.environment === 'PROD' ? [row.connectionName] : []} action="rotate" />
        <p>
          A new token named <strong>{row.name}</strong> is generated for <strong>{row.userName ?? row.userId}</strong>{' '}
          in <strong>{row.connectionName}</strong>. The old token <code className="mono">{row.tokenId}</code> (
          {expiryText(row)}) keeps working until you revoke it in the last step.
        </p>
        {row.userActiveCount >= 25 ? (
          <p className="text-warn">
            This user already holds {row.userActiveCount} active tokens; Vault may refuse a 26th until the old one is
            revoked.
          </p>
        ) : null}
        {failure ? (
          <div className="step-failure" role="alert">
            <p>
              <strong>Nothing changed.</strong> No replacement was created; the old token{' '}
              <code className="mono">{row.tokenId}</code> is still active.
            </p>
            <p>
              {failure.message}
              <VaultType type={failure.vaultErrorType} />
            </p>
          </div>
        ) : null}
        <ExpiryPicker
          value={expiry}
          onChange={(v) => {
            setExpiry(v);
            setExpiryError(undefined);
          }}
          error={expiryError}
          lifetimeDays={rule.kind === 'same-lifetime' ? rule.days : undefined}
          note={<RotationReason row={row} rule={rule} />}
        />
      </Modal>
    );
  }
  return (
    <RotateSecondStep row={row} result={result} onClose={onClose} production={connection?.environment === 'PROD'} />
  );
}

function RotateSecondStep({
  row,
  result,
  onClose,
  production,
}: {
  row: TokenRow;
  result: GenerateResult;
  onClose: (notice: string | null) => void;
  /** The Vault is PROD: the revoke step says so (ProdWarning). */
  production: boolean;
}) {
  const state = useNewTokenState(result);
  const [works, setWorks] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState(false);
  const newId = result.token.tokenId;
  const ready = state.copied || works;

  const complete = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await call('tokens:completeRotation', { oldRowId: row.rowId, newRowId: result.token.rowId });
      if (outcome.ok) setDone(true);
      else
        setFailure({ message: outcome.message ?? 'Vault did not revoke it.', vaultErrorType: outcome.vaultErrorType });
    } catch (e) {
      const info = errorInfo(e);
      setFailure({ message: info.message, vaultErrorType: info.vaultErrorType });
    } finally {
      setBusy(false);
    }
  };

  const leave = async () => {
    if (!(await state.finish())) return;
    onClose(
      done
        ? `Rotated “${row.name}”: the old token ${row.tokenId} is revoked; the new token ${newId} is active.`
        : `“${row.name}” now has two active tokens: the new ${newId} and the old ${row.tokenId}. Revoke the old one from the inventory when the new one is in place.`,
    );
  };

  return (
    <Modal
      title={done ? `Rotated “${row.name}”` : `Rotate “${row.name}”`}
      wide
      locked={busy || !state.canLeave}
      onClose={() => void leave()}
      footer={
        done ? (
          <button type="button" className="btn btn--primary" onClick={() => void leave()} disabled={!state.canLeave}>
            Done
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => void leave()} disabled={busy || !state.canLeave}>
              Revoke later
            </button>
            <button type="button" className="btn btn--danger" onClick={() => void complete()} disabled={busy || !ready}>
              {busy ? 'Revoking…' : failure ? 'Try revoking the old token again' : 'Revoke the old token now'}
            </button>
          </>
        )
      }
    >
      <ol className="steps" aria-label="Rotation steps">
        <li className="steps__done">Generate a replacement</li>
        <li className={done ? 'steps__done' : 'steps__current'}>Put the new value in place</li>
        <li className={done ? 'steps__done' : ''}>Revoke the old token</li>
      </ol>
      <div role="status" aria-live="polite">
        {done ? (
          <p className="step-success">
            <strong>Rotation complete.</strong> The old token <code className="mono">{row.tokenId}</code> is revoked;
            the new token <code className="mono">{newId}</code> is active.
          </p>
        ) : (
          <p>
            The replacement <code className="mono">{newId}</code> is active. The old token{' '}
            <code className="mono">{row.tokenId}</code> is <strong>still active</strong> until you revoke it below.
            Before revoking, the app signs in to Vault once with the new token; if Vault refuses it, the old token
            stays.
          </p>
        )}
      </div>
      <NewTokenPanel result={result} state={state} ownerLabel={row.userName ?? undefined} />
      {!done ? <ProdWarning vaults={production ? [row.connectionName] : []} action="revoke" /> : null}
      {!done ? (
        <>
          <label className="check">
            <input type="checkbox" checked={works} onChange={(e) => setWorks(e.target.checked)} />I have put the new
            token in place and it works
          </label>
          {!ready ? (
            <p className="field__hint">Copy the new value or tick the box above to enable revoking the old token.</p>
          ) : null}
        </>
      ) : null}
      {failure ? (
        <div className="step-failure" role="alert">
          <p>
            <strong>The old token was not revoked.</strong> Both tokens are active and listed in the inventory: the new{' '}
            <code className="mono">{newId}</code> and the old <code className="mono">{row.tokenId}</code>.
          </p>
          <p>
            {failure.message}
            <VaultType type={failure.vaultErrorType} />
          </p>
          <p>Try again, or close and revoke the old token later from the inventory.</p>
        </div>
      ) : null}
    </Modal>
  );
}
