import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AuthMethod, Connection, ConnectionEnvironment } from '../../../shared/domain';
import { AUTH_SECRET_LABEL, DEFAULT_API_VERSION, DEFAULT_CLIENT_ID } from '../../../shared/domain';
import { EnvironmentOptions } from '../components/GroupFilterFields';
import { ConnectionCreate, ConnectionUpdate, fieldErrors } from '../../../shared/schemas';
import { call, errorInfo } from '../lib/api';
import type { ResponseOf } from '../../../shared/contract';
import { SelectField, TextField } from '../components/Field';
import { ClientField } from '../components/ClientField';
import { Banner } from '../components/Banner';
import { normaliseVaultDns } from '../../../shared/dns';
import { signInDomainKey, signInUsers } from '../../../shared/signin-accounts';
import { addOthersLabel } from './connections/DiscoverVaultsDialog';

type Detected = { tone: 'info' | 'warn' | 'error'; text: string } | null;

/** Plain words for what discovery found (docs/vault-api.md §3.5). */
function describeDiscovery(found: ResponseOf<'connections:discover'>): { method: AuthMethod | null; note: Detected } {
  if (found.authType === 'password') {
    return { method: 'password', note: { tone: 'info', text: 'This user signs in with a password.' } };
  }
  if (found.profiles.length === 0) {
    return {
      method: null,
      note: {
        tone: 'warn',
        text: 'This Vault’s single sign-on is SAML only, which apps cannot use. Use an API access token or a session id instead.',
      },
    };
  }
  const mapped = found.profiles.find((p) => p.mapsClientId) ?? null;
  if (!mapped) {
    return {
      method: 'sso',
      note: {
        tone: 'warn',
        text: `Single sign-on with ${found.profiles.map((p) => p.label).join(', ')}, but no profile maps this app’s client id. Ask the Vault admin for a Client ID mapping, or enter the identity-provider client id under Advanced.`,
      },
    };
  }
  return {
    method: 'sso',
    note: { tone: 'info', text: `Single sign-on with ${mapped.label}. Sign in with your browser after saving.` },
  };
}

interface Props {
  editing: Connection | null;
  /** Clients already in use, offered as completions (client groups, issue 15). */
  clients?: readonly string[];
  /** `check`: whether a Vault answered at the DNS before saving ('failed' after "Save anyway"). */
  onSaved: (c: Connection, check: 'ok' | 'failed' | 'skipped') => void;
  onClose: () => void;
  /** Every connection, to say how many share this saved sign-in (shared/signin-accounts.ts). */
  all?: readonly Connection[];
  /** How many Vaults this login reaches that have no connection yet, when known (after a test). */
  reachableOthers?: number | null;
  /** Opens "Add the other Vaults you can reach" for the connection being edited. */
  onDiscover?: (c: Connection) => void;
}

/** "Used by N connections": what a saved sign-in typed here changes (issue 15, item 2). */
function sharedSignInNote(
  editing: Connection | null,
  all: readonly Connection[],
  form: { authMethod: AuthMethod; dns: string; username: string },
): string | null {
  const dns = normaliseVaultDns(form.dns);
  if (!dns.ok || !form.username.trim() || form.authMethod === 'session') return null;
  const fields = { authMethod: form.authMethod, dns: dns.dns, username: form.username };
  const users = signInUsers(all, fields);
  const word = form.authMethod === 'sso' ? 'single sign-on renewal' : AUTH_SECRET_LABEL[form.authMethod].toLowerCase();
  const where = form.authMethod === 'token' ? dns.dns : signInDomainKey(dns.dns);
  const includesThis = Boolean(editing && users.some((c) => c.id === editing.id));
  if (includesThis && users.length > 1)
    return `Saved ${word} used by ${users.length} connections (${form.username.trim()} on ${where}): changing it here changes it for all of them.`;
  const others = users.filter((c) => c.id !== editing?.id).length;
  if (!includesThis && others > 0)
    return `A saved ${word} of ${form.username.trim()} on ${where} is used by ${others} connection${others === 1 ? '' : 's'}: one entered here replaces it for ${others === 1 ? 'it' : 'all of them'} too.`;
  return null;
}

/** Add or edit a connection. Validates as you submit with the same zod schema main uses. */
export function ConnectionForm({
  editing,
  clients = [],
  onSaved,
  onClose,
  all = [],
  reachableOthers = null,
  onDiscover,
}: Props) {
  const [form, setForm] = useState(() => ({
    name: editing?.name ?? '',
    dns: editing?.dns ?? '',
    username: editing?.username ?? '',
    authMethod: (editing?.authMethod ?? 'password') as AuthMethod,
    secret: '',
    rememberSecret: editing?.secretStored ?? false,
    apiVersion: editing?.apiVersion ?? DEFAULT_API_VERSION,
    clientId: editing?.clientId ?? DEFAULT_CLIENT_ID,
    loginHost: editing?.loginHost ?? '',
    idpClientId: editing?.idpClientId ?? '',
    client: editing?.client ?? '',
    environment: (editing?.environment ?? '') as ConnectionEnvironment | '',
  }));
  const [detected, setDetected] = useState<Detected>(
    editing?.ssoProfile ? { tone: 'info', text: `Single sign-on with ${editing.ssoProfile.label}.` } : null,
  );
  const [detecting, setDetecting] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [checking, setChecking] = useState(false);
  /** Why the save-time check found no Vault; the form then offers "Save anyway". */
  const [probeFailed, setProbeFailed] = useState<string | null>(null);
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => firstField.current?.focus(), []);

  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const detect = async () => {
    if (!form.username.trim()) {
      setErrors((e) => ({ ...e, username: 'Enter the Vault user name first.' }));
      return;
    }
    setDetecting(true);
    setDetected(null);
    try {
      const found = await call('connections:discover', {
        username: form.username.trim(),
        loginHost: form.loginHost.trim() || null,
        clientId: form.clientId.trim() || DEFAULT_CLIENT_ID,
      });
      const { method, note } = describeDiscovery(found);
      if (method) set('authMethod', method);
      setDetected(note);
    } catch (error) {
      const info = errorInfo(error);
      if (info.fields?.loginHost) setErrors((e) => ({ ...e, loginHost: info.fields!.loginHost! }));
      setDetected({ tone: 'error', text: info.message });
    } finally {
      setDetecting(false);
    }
  };

  // On a failed submit, focus goes to the first invalid field (issue 13, item 7).
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const submit = async (event: FormEvent | null, saveAnyway = false) => {
    event?.preventDefault();
    const sso = form.authMethod === 'sso';
    const payload = {
      ...form,
      secret: sso ? undefined : form.secret || undefined,
      // For single sign-on "remember" means: keep the identity provider's refresh token in the keychain.
      rememberSecret: form.authMethod === 'session' ? false : sso ? true : form.rememberSecret,
      loginHost: form.loginHost.trim() || null,
      idpClientId: form.idpClientId.trim() || null,
      client: form.client.trim() || null,
      environment: form.environment || null,
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
    setProbeFailed(null);
    try {
      // Test it on save (issue 13, item 4): a short check that a Vault answers at this DNS, sending no
      // credentials. A new connection or a changed DNS only; "Save anyway" skips it.
      const dnsChanged = !editing || editing.dns !== (check.data as { dns: string }).dns;
      let probe: 'ok' | 'failed' | 'skipped' = saveAnyway ? 'failed' : 'skipped';
      if (dnsChanged && !saveAnyway) {
        setChecking(true);
        try {
          await call('connections:probe', { dns: form.dns });
          probe = 'ok';
        } catch (error) {
          setProbeFailed(errorInfo(error).message);
          return;
        } finally {
          setChecking(false);
        }
      }
      const saved = editing
        ? await call('connections:update', payload as never)
        : await call('connections:create', payload as never);
      onSaved(saved, probe);
    } catch (error) {
      const info = errorInfo(error);
      if (info.fields) setErrors(info.fields);
      else setFormError(info.message);
    } finally {
      setSaving(false);
    }
  };

  const secretLabel = AUTH_SECRET_LABEL[form.authMethod];
  const sharedNote = sharedSignInNote(editing, all, form);
  // Issue 13 item 4: while a DNS or user change requires the secret again, do not offer to keep it.
  const mustRetypeSecret = Boolean(
    editing &&
    (editing.dns !== form.dns.trim().toLowerCase() ||
      editing.username.toLowerCase() !== form.username.trim().toLowerCase()),
  );
  return (
    <aside className="panel" aria-labelledby="connection-form-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header className="panel__header">
        <h2 id="connection-form-title">{editing ? `Edit ${editing.name}` : 'Add a Vault connection'}</h2>
        <button type="button" className="btn btn--ghost" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </header>
      <form ref={formRef} className="panel__body form" onSubmit={(e) => void submit(e)} noValidate>
        {formError ? (
          <Banner tone="error" title="Not saved">
            {formError}
          </Banner>
        ) : null}
        {probeFailed ? (
          <Banner
            tone="warn"
            title="No Vault answered at this DNS"
            action={
              <button type="button" className="btn btn--small" onClick={() => void submit(null, true)}>
                Save anyway
              </button>
            }
          >
            {probeFailed} Check the Vault DNS, or save it anyway (for example while you are off the VPN).
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
        <div className="form__row">
          <ClientField
            label="Client"
            clients={clients}
            value={form.client}
            error={errors.client}
            hint="Groups Vaults by customer; pick one in use or type a new one."
            onChange={(e) => set('client', e.target.value)}
          />
          <SelectField
            label="Environment"
            value={form.environment}
            error={errors.environment}
            onChange={(e) => set('environment', e.target.value as ConnectionEnvironment | '')}
          >
            <EnvironmentOptions none="Not set" />
          </SelectField>
        </div>
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
        <div className="field-with-action">
          <TextField
            label="User name"
            value={form.username}
            error={errors.username}
            onChange={(e) => set('username', e.target.value)}
            placeholder="you@acme.com"
            autoComplete="off"
            spellCheck={false}
          />
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void detect()}
            disabled={detecting}
            aria-describedby="detect-hint"
          >
            {detecting ? 'Detecting…' : 'Detect'}
          </button>
          <p className="field__hint" id="detect-hint">
            Asks Vault how this user signs in.
          </p>
        </div>
        {detected ? (
          <p className={`note note--${detected.tone}`} role={detected.tone === 'error' ? 'alert' : 'status'}>
            {detected.text}
          </p>
        ) : null}
        <SelectField
          label="Sign in with"
          value={form.authMethod}
          error={errors.authMethod}
          onChange={(e) => set('authMethod', e.target.value as AuthMethod)}
        >
          <option value="password">User name and password</option>
          <option value="token">API access token (Bearer)</option>
          <option value="sso">Single sign-on (company login, in the browser)</option>
          <option value="session">Session id (pasted, not stored)</option>
        </SelectField>
        {sharedNote ? (
          <p className="note note--info" id="shared-signin-note">
            {sharedNote}
          </p>
        ) : null}
        {form.authMethod === 'sso' ? (
          <p className="muted">
            No password here: after saving, you sign in with your browser at your identity provider. If it allows
            renewal, the app keeps that in your OS keychain and signs in silently next time.
          </p>
        ) : form.authMethod !== 'session' ? (
          <>
            <TextField
              label={secretLabel}
              type="password"
              value={form.secret}
              error={errors.secret}
              onChange={(e) => set('secret', e.target.value)}
              autoComplete="off"
              placeholder={
                editing?.secretStored && !mustRetypeSecret ? 'Stored in the keychain — leave empty to keep it' : ''
              }
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
        {editing && onDiscover && reachableOthers !== 0 ? (
          <div className="form__discover">
            <button
              type="button"
              className="btn btn--small"
              onClick={() => onDiscover(editing)}
              aria-describedby="discover-hint"
            >
              {reachableOthers ? addOthersLabel(reachableOthers) : 'Add other Vaults this login reaches…'}
            </button>
            <p className="field__hint" id="discover-hint">
              Same user and saved sign-in; each is tested and synced.
            </p>
          </div>
        ) : null}
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
          <TextField
            label="Login host"
            value={form.loginHost}
            error={errors.loginHost}
            hint="For single sign-on and Detect. Empty: login.veevavault.com (or VAULT_TOKEN_DESK_LOGIN_HOST)."
            onChange={(e) => set('loginHost', e.target.value)}
            placeholder="login.veevavault.com"
            spellCheck={false}
          />
          <TextField
            label="Identity-provider client id"
            value={form.idpClientId}
            error={errors.idpClientId}
            hint="Single sign-on only. Empty: the one the Vault admin mapped to this app's client id."
            onChange={(e) => set('idpClientId', e.target.value)}
            spellCheck={false}
          />
        </details>
        <div className="form__actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={saving}>
            {checking ? 'Checking…' : saving ? 'Saving…' : editing ? 'Save changes' : 'Add connection'}
          </button>
        </div>
      </form>
    </aside>
  );
}
