import { useEffect, useRef, useState, type RefObject } from 'react';
import type { GenerateResult } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { expiryText, utc } from '../lib/format';
import { SecretField } from '../components/SecretField';
import { Modal } from '../components/Modal';
import { primaryActionIn, useReturnFocus } from './generate/focus';

/**
 * What the user must do with a freshly generated token. When the keychain
 * refused the value, this state says whether they may leave: only after
 * copying it and ticking "I have saved this value elsewhere" (which lets main
 * forget its in-memory copy).
 */
export function useNewTokenState(result: GenerateResult) {
  const [copied, setCopied] = useState(false);
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const mustSave = !result.secretStored;
  const canLeave = !mustSave || (copied && saved);

  /** Tells main the value is saved elsewhere; resolves true when the panel may close. */
  const finish = async (): Promise<boolean> => {
    if (!mustSave) return true;
    if (!canLeave) return false;
    setConfirming(true);
    setConfirmError(null);
    try {
      await call('tokens:confirmSaved', { rowId: result.token.rowId });
      return true;
    } catch (e) {
      setConfirmError(errorInfo(e).message);
      return false;
    } finally {
      setConfirming(false);
    }
  };
  return { copied, setCopied, saved, setSaved, mustSave, canLeave, finish, confirming, confirmError };
}

export type NewTokenState = ReturnType<typeof useNewTokenState>;

export function NewTokenPanel({
  result,
  state,
  ownerLabel,
  panelRef,
  compact,
  valueLabel,
}: {
  result: GenerateResult;
  state: NewTokenState;
  ownerLabel?: string | undefined;
  panelRef?: RefObject<HTMLDivElement | null>;
  /** One line of facts instead of the list (Generate across Vaults shows one panel per Vault). */
  compact?: boolean;
  valueLabel?: string;
}) {
  const t = result.token;
  const savedHintId = `saved-hint-${t.rowId}`;
  return (
    <div className="new-token" ref={panelRef}>
      {state.mustSave ? (
        <div className="keychain-failure" role="alert">
          <strong>The value is NOT in the keychain.</strong>
          <p>
            The OS keychain refused to store it. Vault never shows a token again, and this app forgets it when you close
            this panel. <strong>Copy it now</strong> and keep it somewhere safe, such as your password manager.
          </p>
          {result.keychainError ? <p className="muted">Keychain: {result.keychainError}</p> : null}
        </div>
      ) : null}
      {compact ? (
        <p className="muted">
          Token <span className="mono">{t.tokenId}</span> for {t.userName ?? ownerLabel ?? t.userId} ·{' '}
          <span title={t.expiresAt ? utc(t.expiresAt) : undefined}>{expiryText(t)}</span>
        </p>
      ) : (
        <dl className="facts">
          <dt>Vault</dt>
          <dd title={t.vaultDns}>{t.connectionName}</dd>
          <dt>User</dt>
          <dd>{t.userName ?? ownerLabel ?? t.userId}</dd>
          <dt>Name</dt>
          <dd>{t.name}</dd>
          <dt>Token id</dt>
          <dd className="mono">{t.tokenId}</dd>
          <dt>Expires</dt>
          <dd title={t.expiresAt ? utc(t.expiresAt) : undefined}>{expiryText(t)}</dd>
        </dl>
      )}
      <SecretField rowId={t.rowId} label={valueLabel ?? 'New token value'} onCopied={() => state.setCopied(true)} />
      {state.mustSave ? (
        <>
          <label className={`check check--strong${state.copied ? '' : ' check--disabled'}`}>
            <input
              type="checkbox"
              checked={state.saved}
              disabled={!state.copied}
              onChange={(e) => state.setSaved(e.target.checked)}
              aria-describedby={savedHintId}
            />
            I have saved this value elsewhere
          </label>
          <p className="field__hint" id={savedHintId}>
            {state.copied ? 'Then this panel can close.' : 'Copy the value first.'}
          </p>
          {state.confirmError ? (
            <p className="field__error" role="alert">
              {state.confirmError}
            </p>
          ) : null}
        </>
      ) : (
        <p className="muted">Stored in your OS keychain. You can reveal or copy it later from the token’s details.</p>
      )}
    </div>
  );
}

/**
 * The result panel after Generate: the value once, masked, with Reveal and Copy. It opens on Copy,
 * the one thing to do here (not on ✕), and when it closes, by Done or Escape, focus goes back to
 * `returnFocusTo`, what opened Generate (issue 13, item 7).
 */
export function TokenResultDialog({
  result,
  onClose,
  ownerLabel,
  returnFocusTo,
}: {
  result: GenerateResult;
  onClose: () => void;
  ownerLabel?: string | undefined;
  returnFocusTo?: RefObject<HTMLElement | null>;
}) {
  const state = useNewTokenState(result);
  const panelRef = useRef<HTMLDivElement>(null);
  // Runs after Modal's own effect (a parent's effects run after its children's), that is after
  // showModal() has focused the first control, ✕.
  useEffect(() => primaryActionIn(panelRef.current)?.focus(), []);
  useReturnFocus(returnFocusTo);
  const done = async () => {
    if (await state.finish()) onClose();
  };
  return (
    <Modal
      title={state.mustSave ? 'Token created — save the value now' : 'Token created'}
      locked={!state.canLeave}
      onClose={() => void done()}
      footer={
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => void done()}
          disabled={!state.canLeave || state.confirming}
        >
          {state.confirming ? 'Working…' : 'Done'}
        </button>
      }
    >
      <NewTokenPanel result={result} state={state} ownerLabel={ownerLabel} panelRef={panelRef} />
    </Modal>
  );
}
