import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AuthMethod, Connection } from '../../../shared/domain';
import { DEFAULT_API_VERSION, DEFAULT_CLIENT_ID } from '../../../shared/domain';
import { ConnectionCreate, ConnectionUpdate, fieldErrors } from '../../../shared/schemas';
import { call, errorInfo } from '../lib/api';
import { SelectField, TextField } from '../components/Field';
import { Banner } from '../components/Banner';

const SECRET_LABEL: Record<AuthMethod, string> = {
  password: 'Password',
  token: 'API access token',
  session: 'Session id',
};

interface Props {
  editing: Connection | null;
  onSaved: (c: Connection) => void;
  onClose: () => void;
}

/** Add or edit a connection. Validates as you submit with the same zod schema main uses. */
export function ConnectionForm({ editing, onSaved, onClose }: Props) {
  const [form, setForm] = useState(() => ({
    name: editing?.name ?? '',
    dns: editing?.dns ?? '',
    username: editing?.username ?? '',
    authMethod: (editing?.authMethod ?? 'password') as AuthMethod,
    secret: '',
    rememberSecret: editing?.secretStored ?? false,
    apiVersion: editing?.apiVersion ?? DEFAULT_API_VERSION,
    clientId: editing?.clientId ?? DEFAULT_CLIENT_ID,
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => firstField.current?.focus(), []);

  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const payload = {
      ...form,
      secret: form.secret || undefined,
      rememberSecret: form.authMethod === 'session' ? false : form.rememberSecret,
      ...(editing ? { id: editing.id } : {}),
    };
    const schema = editing ? ConnectionUpdate : ConnectionCreate;
    const check = schema.safeParse(payload);
    // An edit may keep the stored secret without retyping it.
    const local = check.success ? {} : fieldErrors(check.error);
    if (editing && local.secret && editing.secretStored) delete local.secret;
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      const saved = editing
        ? await call('connections:update', payload as never)
        : await call('connections:create', payload as never);
      onSaved(saved);
    } catch (error) {
      const info = errorInfo(error);
      if (info.fields) setErrors(info.fields);
      else setFormError(info.message);
    } finally {
      setSaving(false);
    }
  };

  const secretLabel = SECRET_LABEL[form.authMethod];
  return (
    <aside className="panel" aria-labelledby="connection-form-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header className="panel__header">
        <h2 id="connection-form-title">{editing ? `Edit ${editing.name}` : 'Add a Vault connection'}</h2>
        <button type="button" className="btn btn--ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <form className="panel__body form" onSubmit={submit} noValidate>
        {formError ? (
          <Banner tone="error" title="Not saved">
            {formError}
          </Banner>
        ) : null}
        <TextField
          ref={firstField}
          label="Name"
          value={form.name}
          error={errors.name}
          onChange={(e) => set('name', e.target.value)}
          placeholder="Acme PromoMats (prod)"
          autoComplete="off"
        />
        <TextField
          label="Vault DNS"
          value={form.dns}
          error={errors.dns}
          hint="host or host:port — always reached over https"
          onChange={(e) => set('dns', e.target.value)}
          placeholder="acme-promomats.veevavault.com"
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          label="User name"
          value={form.username}
          error={errors.username}
          onChange={(e) => set('username', e.target.value)}
          placeholder="you@acme.com"
          autoComplete="off"
          spellCheck={false}
        />
        <SelectField
          label="Sign in with"
          value={form.authMethod}
          error={errors.authMethod}
          onChange={(e) => set('authMethod', e.target.value as AuthMethod)}
        >
          <option value="password">User name and password</option>
          <option value="token">API access token (Bearer)</option>
          <option value="session">Session id (pasted, not stored)</option>
        </SelectField>
        {form.authMethod !== 'session' ? (
          <>
            <TextField
              label={secretLabel}
              type="password"
              value={form.secret}
              error={errors.secret}
              onChange={(e) => set('secret', e.target.value)}
              autoComplete="off"
              placeholder={editing?.secretStored ? 'Stored in the keychain — leave empty to keep it' : ''}
              hint={
                form.rememberSecret ? 'Kept in your OS keychain, never on disk.' : 'Asked for each time you connect.'
              }
            />
            <label className="check">
              <input
                type="checkbox"
                checked={form.rememberSecret}
                onChange={(e) => set('rememberSecret', e.target.checked)}
              />
              Remember {secretLabel.toLowerCase()} in the OS keychain
            </label>
          </>
        ) : (
          <p className="muted">A session id is asked for when you connect and kept in memory only.</p>
        )}
        <details className="advanced">
          <summary>Advanced</summary>
          <TextField
            label="API version"
            value={form.apiVersion}
            error={errors.apiVersion}
            onChange={(e) => set('apiVersion', e.target.value)}
            spellCheck={false}
          />
          <TextField
            label="Client id"
            value={form.clientId}
            error={errors.clientId}
            hint="Sent as X-VaultAPI-ClientID; shows in Vault's API usage logs."
            onChange={(e) => set('clientId', e.target.value)}
            spellCheck={false}
          />
        </details>
        <div className="form__actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Add connection'}
          </button>
        </div>
      </form>
    </aside>
  );
}
