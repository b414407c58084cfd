/**
 * "Enter it again", with the field to enter it (issue 13, item 1): after Vault refused a password
 * or token, type the right one here, optionally replacing the saved one, and test again.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { Connection } from '../../../../shared/domain';
import { SECRET_WORD } from '../../components/SecretPrompt';
import { call, errorInfo } from '../../lib/api';
import { rememberOption } from '../../lib/unlock';

export function SecretRetry(props: { connection: Connection; onUnlocked: () => void }) {
  const { connection } = props;
  const id = useId();
  const word = SECRET_WORD[connection.authMethod];
  const remember = rememberOption(connection);
  const [secret, setSecret] = useState('');
  const [replace, setReplace] = useState(remember?.checked ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!secret) {
      setError(`Enter the ${word.toLowerCase()}.`);
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await call('connections:unlock', { id: connection.id, secret, remember: Boolean(remember) && replace });
      setSecret('');
      props.onUnlocked();
    } catch (err) {
      setError(errorInfo(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="secret-retry" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={id}>{word}</label>
      <input
        ref={input}
        id={id}
        type="password"
        autoComplete="off"
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {remember ? (
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          {remember.label}
        </label>
      ) : null}
      <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
        {busy ? 'Testing…' : 'Test again'}
      </button>
      {error ? (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
