import { useRef, useState, type FormEvent } from 'react';
import { AUTH_SECRET_LABEL, type AuthMethod } from '../../../shared/domain';
import { errorInfo } from '../lib/api';
import { Modal } from './Modal';

export const SECRET_WORD: Record<AuthMethod, string> = AUTH_SECRET_LABEL;

/**
 * Asks for a connection's password, token or session id. The value goes
 * straight to `onSubmit` and is dropped from state when the dialog closes.
 */
export function SecretPrompt(props: {
  title: string;
  authMethod: AuthMethod;
  intro: string;
  submitLabel: string;
  /** Offer to save the secret in the keychain too (replacing a saved one); the box starts ticked if `checked`. */
  remember?: { label: string; checked: boolean };
  onSubmit: (secret: string, remember: boolean) => Promise<void>;
  onCancel: () => void;
}) {
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(props.remember?.checked ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const word = SECRET_WORD[props.authMethod];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!secret) {
      setError(`Enter the ${word.toLowerCase()}.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(secret, Boolean(props.remember) && remember);
      setSecret('');
    } catch (err) {
      const info = errorInfo(err);
      setError(info.vaultErrorType ? `${info.message} (Vault error type ${info.vaultErrorType})` : info.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={props.title} onClose={props.onCancel} initialFocus={input}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p>{props.intro}</p>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor="secret-prompt-input">{word}</label>
          <input
            ref={input}
            id="secret-prompt-input"
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? 'secret-prompt-error' : 'secret-prompt-hint'}
          />
          {error ? (
            <p className="field__error" id="secret-prompt-error" role="alert">
              {error}
            </p>
          ) : (
            <p className="field__hint" id="secret-prompt-hint">
              {props.remember && remember
                ? 'Saved in your OS keychain, replacing the saved one; never written to disk.'
                : 'Kept in memory for this run only; never written to disk.'}
            </p>
          )}
        </div>
        {props.remember ? (
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            {props.remember.label}
          </label>
        ) : null}
        <div className="form__actions">
          <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Working…' : props.submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
