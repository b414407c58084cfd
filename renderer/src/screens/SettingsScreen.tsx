import { useEffect, useState, type FormEvent } from 'react';
import { parseThresholdsText } from '../../../shared/contract/reminders';
import { MAX_THRESHOLD_DAYS, type SettingsView } from '../../../shared/reminders';
import { MAX_STALE_AFTER_DAYS } from '../../../shared/nudges';
import { call, errorInfo } from '../lib/api';
import { useResource } from '../lib/use-resource';
import { Banner } from '../components/Banner';
import { LoadState } from '../components/LoadState';
import { SelectField, TextField } from '../components/Field';
import '../styles/forms.css';

function thresholdsText(days: readonly number[]): string {
  return days.join(', ');
}

function describeThresholds(days: readonly number[]): string {
  if (days.length === 0) return 'No reminders.';
  const before = days.filter((d) => d > 0);
  const parts = before.length
    ? [`${before.join(', ')} day${before.length === 1 && before[0] === 1 ? '' : 's'} before expiry`]
    : [];
  if (days.includes(0)) parts.push('on expiry');
  return `Reminders ${parts.join(' and ')}.`;
}

/** Reminders and app settings: global thresholds, the expiring-soon window, login and tray, per-connection thresholds. */
export function SettingsScreen() {
  const settings = useResource(() => call('settings:get'));
  const info = useResource(() => call('app:info'));
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const onSaved = (view: SettingsView, text: string) => {
    setNotice({ tone: 'success', text });
    void settings.reload();
    return view;
  };

  return (
    <section className="screen" aria-labelledby="settings-title">
      <header className="screen__header">
        <div>
          <h1 id="settings-title">Settings</h1>
          <p className="muted">Expiry reminders, the tray and start-up.</p>
        </div>
      </header>
      {notice ? (
        <Banner
          tone={notice.tone}
          title={notice.tone === 'success' ? 'Saved' : 'That did not work'}
          action={
            <button type="button" className="btn btn--ghost" onClick={() => setNotice(null)}>
              Close
            </button>
          }
        >
          {notice.text}
        </Banner>
      ) : null}
      <LoadState resource={settings} what="settings">
        {(view) => (
          <div className="settings__sections">
            <GeneralSettings
              key={JSON.stringify(view.settings)}
              view={view}
              platform={info.data?.platform ?? null}
              onSaved={onSaved}
              onError={(text) => setNotice({ tone: 'error', text })}
            />
            <ConnectionThresholds
              view={view}
              onSaved={onSaved}
              onError={(text) => setNotice({ tone: 'error', text })}
            />
            <TokenValuesNote platform={info.data?.platform ?? null} />
          </div>
        )}
      </LoadState>
    </section>
  );
}

interface SectionProps {
  view: SettingsView;
  onSaved: (view: SettingsView, text: string) => void;
  onError: (text: string) => void;
}

function GeneralSettings({ view, platform, onSaved, onError }: SectionProps & { platform: string | null }) {
  const [form, setForm] = useState(() => ({
    thresholds: thresholdsText(view.settings.thresholds),
    expiringSoonDays: String(view.settings.expiringSoonDays),
    staleAfterDays: String(view.settings.staleAfterDays),
    startAtLogin: view.settings.startAtLogin,
    minimiseToTray: view.settings.minimiseToTray,
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const parsedThresholds = parseThresholdsText(form.thresholds);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    if (!parsedThresholds.ok) next.thresholds = parsedThresholds.message;
    const soon = Number(form.expiringSoonDays);
    if (!/^\d+$/.test(form.expiringSoonDays.trim()) || soon < 1 || soon > MAX_THRESHOLD_DAYS)
      next.expiringSoonDays = `Enter whole days from 1 to ${MAX_THRESHOLD_DAYS}.`;
    const stale = Number(form.staleAfterDays);
    if (!/^\d+$/.test(form.staleAfterDays.trim()) || stale < 1 || stale > MAX_STALE_AFTER_DAYS)
      next.staleAfterDays = `Enter whole days from 1 to ${MAX_STALE_AFTER_DAYS}.`;
    setErrors(next);
    if (Object.keys(next).length || !parsedThresholds.ok) return;
    setSaving(true);
    try {
      const saved = await call('settings:update', {
        thresholds: parsedThresholds.value,
        expiringSoonDays: soon,
        staleAfterDays: stale,
        startAtLogin: form.startAtLogin,
        minimiseToTray: form.minimiseToTray,
      });
      onSaved(saved, 'Reminder settings saved. New thresholds apply straight away.');
    } catch (error) {
      const info = errorInfo(error);
      if (info.fields) setErrors(info.fields);
      onError(info.message);
    } finally {
      setSaving(false);
    }
  };

  const loginHint =
    platform === 'linux'
      ? 'Adds an autostart entry for your desktop session. Takes effect in the installed app.'
      : 'Opens Vault Token Desk in the tray when you log in. Takes effect in the installed app.';

  return (
    <form
      className="form settings__section"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby="settings-reminders"
    >
      <h2 id="settings-reminders">Reminders</h2>
      <TextField
        label="Remind me this many days before a token expires"
        value={form.thresholds}
        onChange={(e) => setForm({ ...form, thresholds: e.target.value })}
        error={errors.thresholds}
        hint={
          <>
            Comma-separated whole days from 0 to {MAX_THRESHOLD_DAYS}; 0 means on expiry. Leave empty for no reminders.
            Default: {thresholdsText(view.defaults.thresholds)}.{' '}
            {parsedThresholds.ok ? describeThresholds(parsedThresholds.value) : ''}
          </>
        }
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
      />
      <TextField
        label="“Expiring soon” means within (days)"
        type="number"
        min={1}
        max={MAX_THRESHOLD_DAYS}
        value={form.expiringSoonDays}
        onChange={(e) => setForm({ ...form, expiringSoonDays: e.target.value })}
        error={errors.expiringSoonDays}
        hint={`Counted in the tray, the badge and the inventory. Default: ${view.defaults.expiringSoonDays}.`}
      />
      <TextField
        label="A token not used for this many days is “stale”"
        type="number"
        min={1}
        max={MAX_STALE_AFTER_DAYS}
        value={form.staleAfterDays}
        onChange={(e) => setForm({ ...form, staleAfterDays: e.target.value })}
        error={errors.staleAfterDays}
        hint={`Flagged in the inventory and on Reminders; a token never used counts once it is this old. Revoked and expired tokens are never flagged. Default: ${view.defaults.staleAfterDays}.`}
      />
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={form.startAtLogin}
            onChange={(e) => setForm({ ...form, startAtLogin: e.target.checked })}
          />
          <span>Start at login, minimised to the tray</span>
        </label>
        <p className="field__hint">{loginHint}</p>
      </div>
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            checked={form.minimiseToTray}
            onChange={(e) => setForm({ ...form, minimiseToTray: e.target.checked })}
          />
          <span>Closing the window keeps Vault Token Desk running in the tray</span>
        </label>
        <p className="field__hint">Reminders only arrive while the app runs. Quit from the tray menu.</p>
      </div>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function ConnectionThresholds({ view, onSaved, onError }: SectionProps) {
  const connections = useResource(() => call('connections:list'));
  const [connectionId, setConnectionId] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);

  const list = connections.data ?? [];
  const override = view.overrides.find((o) => o.connectionId === connectionId) ?? null;

  useEffect(() => {
    // Picking a connection shows its own thresholds, or the global ones to start from.
    setText(thresholdsText(override?.thresholds ?? view.settings.thresholds));
    setError(undefined);
  }, [connectionId, override, view.settings.thresholds]);

  const save = async (thresholds: number[] | null) => {
    if (!connectionId) return;
    setSaving(true);
    try {
      const saved = await call('settings:connection-thresholds', { connectionId, thresholds });
      const name = list.find((c) => c.id === connectionId)?.name ?? 'This connection';
      onSaved(
        saved,
        thresholds === null
          ? `${name} follows the global thresholds again.`
          : `${name} now has its own thresholds: ${thresholdsText(thresholds) || 'none'}.`,
      );
    } catch (e) {
      onError(errorInfo(e).message);
    } finally {
      setSaving(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseThresholdsText(text);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    void save(parsed.value);
  };

  return (
    <section className="settings__section" aria-labelledby="settings-overrides">
      <h2 id="settings-overrides">Per-connection thresholds</h2>
      <p className="muted">
        A connection can remind on its own schedule, e.g. a production Vault earlier than a sandbox.
      </p>
      {connections.error ? (
        <Banner
          tone="error"
          title="Could not load connections"
          action={
            <button type="button" className="btn" onClick={() => void connections.reload()}>
              Retry
            </button>
          }
        >
          {connections.error.message}
        </Banner>
      ) : null}
      {view.overrides.length ? (
        <table className="table" aria-label="Connections with their own thresholds">
          <thead>
            <tr>
              <th scope="col">Connection</th>
              <th scope="col">Thresholds (days)</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.overrides.map((o) => (
              <tr key={o.connectionId} aria-selected={o.connectionId === connectionId}>
                <th scope="row">{o.connectionName}</th>
                <td className="mono">{thresholdsText(o.thresholds) || 'none'}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => setConnectionId(o.connectionId)}
                    aria-label={`Edit thresholds of ${o.connectionName}`}
                  >
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Every connection follows the global thresholds.</p>
      )}
      {connections.loading && !connections.data ? (
        <p className="muted" role="status">
          Loading connections…
        </p>
      ) : list.length === 0 ? (
        <p className="muted">Add a connection first.</p>
      ) : (
        <form className="form" onSubmit={submit} noValidate aria-label="Set a connection’s thresholds">
          <SelectField label="Connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            <option value="">Choose a connection…</option>
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {view.overrides.some((o) => o.connectionId === c.id) ? ' (own thresholds)' : ''}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Its thresholds (days before expiry)"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setError(undefined);
            }}
            error={error}
            hint={
              override
                ? 'This connection has its own thresholds.'
                : 'Follows the global thresholds until you save its own. Empty = no reminders for this connection.'
            }
            disabled={!connectionId}
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
          />
          <div className="form__actions">
            <button
              type="button"
              className="btn"
              disabled={!connectionId || !override || saving}
              onClick={() => void save(null)}
            >
              Use the global thresholds
            </button>
            <button type="submit" className="btn btn--primary" disabled={!connectionId || saving}>
              {saving ? 'Saving…' : 'Save for this connection'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

/** What protects a stored token value before it is shown or copied (tokens-service.ts, reveal gate). */
function TokenValuesNote({ platform }: { platform: string | null }) {
  return (
    <section className="settings__section" aria-labelledby="settings-values">
      <h2 id="settings-values">Token values</h2>
      <p>
        Showing or copying a stored token value asks first, in a{' '}
        {platform === 'darwin' ? 'Touch ID prompt (or a system dialog on Macs without it)' : 'system dialog'} that the
        app’s own window cannot answer. A value you generated in the last five minutes is shown without asking. At most
        10 values can be shown or copied per minute, and each one is recorded in Activity.
      </p>
      <p className="muted">
        Copied values are cleared from the clipboard after 30 seconds. The command line asks nothing: it runs as you, at
        your terminal.
      </p>
    </section>
  );
}
