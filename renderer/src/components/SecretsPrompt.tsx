/**
 * Before "Sync all" starts (issue 13, item 1): one prompt listing every connection that needs a
 * password, token or session id for this run — none saved, or Vault refused the saved one — so a
 * sync never fails them afterwards with "enter it when asked". Each field may be left empty to skip
 * that connection; a refused saved secret can be replaced in the keychain from here.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { Connection } from '../../../shared/domain';
import type { SecretNeed } from '../../../shared/contract/connections';
import { call, errorInfo } from '../lib/api';
import { rememberOption } from '../lib/unlock';
import { Modal } from './Modal';
import { SECRET_WORD } from './SecretPrompt';

const REASON = {
  missing: 'nothing saved',
  refused: 'Vault refused the saved one',
  session: 'session ids are never saved',
} as const;

/** The prompt's words: before Sync all, or before a bulk rotation (BulkRotateDialog). */
const WORDS = {
  sync: {
    title: 'Before syncing',
    others: 'the others sync either way',
    skip: 'Skip these and sync the rest',
    go: 'Sync',
  },
  rotate: {
    title: 'Before rotating',
    others: 'its tokens are not rotated, the others are',
    skip: 'Skip these and rotate the rest',
    go: 'Rotate',
  },
} as const;

export function SecretsPrompt(props: {
  needs: { connection: Connection; need: SecretNeed }[];
  onDone: (unlocked: Set<string>) => void;
  purpose?: keyof typeof WORDS;
}) {
  const words = WORDS[props.purpose ?? 'sync'];
  const [values, setValues] = useState<Record<string, string>>({});
  const [replace, setReplace] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(
      props.needs.map(({ connection }) => [connection.id, rememberOption(connection)?.checked ?? false]),
    ),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const unlocked = new Set<string>();
    const failed: Record<string, string> = {};
    for (const { connection } of props.needs) {
      const secret = values[connection.id];
      if (!secret) continue;
      try {
        const remember = Boolean(rememberOption(connection)) && Boolean(replace[connection.id]);
        await call('connections:unlock', { id: connection.id, secret, remember });
        unlocked.add(connection.id);
      } catch (error) {
        failed[connection.id] = errorInfo(error).message;
      }
    }
    setBusy(false);
    if (Object.keys(failed).length) {
      setErrors(failed);
      return;
    }
    props.onDone(unlocked);
  };

  return (
    <Modal title={words.title} onClose={() => props.onDone(new Set())} initialFocus={first} wide>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {props.needs.length === 1 ? 'One connection needs' : `${props.needs.length} connections need`} a secret for
          this run. Leave a field empty to skip that Vault; {words.others}. Typed secrets stay in memory for this run
          unless you tick “Replace”.
        </p>
        <ul className="secrets-prompt">
          {props.needs.map(({ connection, need }, i) => {
            const word = SECRET_WORD[connection.authMethod];
            const id = `secrets-prompt-${connection.id}`;
            const remember = rememberOption(connection);
            return (
              <li key={connection.id}>
                <label htmlFor={id}>
                  <strong>{connection.name}</strong>{' '}
                  <span className="muted">
                    {word} for {connection.username} · {REASON[need.reason]}
                    {need.vaultErrorType ? ` (${need.vaultErrorType})` : ''}
                  </span>
                </label>
                <input
                  ref={i === 0 ? first : undefined}
                  id={id}
                  type="password"
                  autoComplete="off"
                  value={values[connection.id] ?? ''}
                  onChange={(e) => setValues((v) => ({ ...v, [connection.id]: e.target.value }))}
                  aria-invalid={Boolean(errors[connection.id])}
                  aria-describedby={errors[connection.id] ? `${id}-error` : undefined}
                />
                {remember && need.reason === 'refused' ? (
                  <label className="check">
                    <input
                      type="checkbox"
                      checked={Boolean(replace[connection.id])}
                      onChange={(e) => setReplace((r) => ({ ...r, [connection.id]: e.target.checked }))}
                    />
                    Replace the saved one
                  </label>
                ) : null}
                {errors[connection.id] ? (
                  <p className="field__error" id={`${id}-error`} role="alert">
                    {errors[connection.id]}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
        <div className="form__actions">
          <button type="button" className="btn" onClick={() => props.onDone(new Set())} disabled={busy}>
            {words.skip}
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Working…' : words.go}
          </button>
        </div>
      </form>
    </Modal>
  );
}
