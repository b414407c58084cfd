import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { Connection } from '../../../shared/domain';
import type {
  ConnectionHealth,
  GenerateManyOutcome,
  GenerateResult,
  TokenTarget,
  VaultUserSummary,
} from '../../../shared/tokens';
import { MAX_ACTIVE_TOKENS_PER_USER } from '../../../shared/tokens';
import { TokenName } from '../../../shared/contract/tokens';
import { call, errorInfo } from '../lib/api';
import { queryPage } from '../lib/inventory-source';
import { plural, relative } from '../lib/format';
import { useAskSecrets, useWithUnlock } from '../lib/unlock';
import { Modal } from '../components/Modal';
import { Banner } from '../components/Banner';
import { DEFAULT_EXPIRY, ExpiryPicker, toExpiry, type ExpiryChoice } from '../components/ExpiryPicker';
import { UserPicker } from '../components/UserPicker';
import { VaultPicker } from './generate/VaultPicker';
import { VaultMultiPicker } from './generate/VaultMultiPicker';
import { notUnlocked, PreflightList } from './generate/Preflight';
import { SandboxField } from './generate/SandboxField';
import { preselectConnectionId } from './generate/vault-choices';
import { enterSubmitsOnlyFromTextFields, firstInvalidField, focusedElement, useReturnFocus } from './generate/focus';

type TargetKind = TokenTarget['kind'];
/** Whom the token is for, as the "Token for" radio group offers it. */
const TARGET_CHOICES: readonly (readonly [TargetKind, string])[] = [
  ['me', 'Me'],
  ['user', 'Another user'],
  ['sandbox', 'Me, in a sandbox'],
];
/** One Vault (the combobox, the default) or several at once (the checklist: issue 16, item 1). */
type Mode = 'one' | 'several';
const MODES: readonly (readonly [Mode, string])[] = [
  ['one', 'One Vault'],
  ['several', 'Several Vaults'],
];

/** "Several Vaults" starts on the selected rows' connections, else the Vault filter's, else none. */
function initialSeveral(
  connections: readonly Connection[],
  selected: readonly (string | null)[],
  filtered: readonly string[],
): string[] {
  const fromSelection = new Set(selected.filter((id): id is string => id !== null));
  const pick = fromSelection.size ? fromSelection : new Set(filtered);
  return connections.filter((c) => pick.has(c.id)).map((c) => c.id);
}

/**
 * How many active tokens a user already holds on this connection's Vault,
 * from the local inventory (what the last sync saw). null = not known.
 */
async function activeCountFor(connectionId: string, user: { id?: string; userName: string }): Promise<number | null> {
  const attempts = user.id ? [user.id, user.userName] : [user.userName];
  for (const search of attempts) {
    const page = await queryPage({ connectionIds: [connectionId], search, statuses: ['active', 'expiring'] }, 0, 200);
    const name = user.userName.toLowerCase();
    const row = page.rows.find(
      (r) => (user.id ? r.userId === user.id : false) || (r.userName ?? '').toLowerCase() === name,
    );
    if (row) return row.userActiveCount;
    if (page.total === 0 && search === attempts[attempts.length - 1]) return 0;
  }
  return null;
}

export function GenerateDialog(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  /** The connection of each selected inventory row ("all matching" passes none: the filter describes it). */
  selectedConnectionIds?: readonly (string | null)[];
  /** The inventory's Vault filter. */
  filteredConnectionIds?: readonly string[];
  /**
   * Set to the element that had focus when the dialog opened (the button or row that opened it);
   * focus goes back there when Generate is cancelled, and the token panel after it does the same.
   */
  openerRef?: RefObject<HTMLElement | null>;
  onClose: () => void;
  onGenerated: (result: GenerateResult, ownerLabel: string) => void;
  /** After "Several Vaults": every chosen Vault's outcome, in the order shown (GenerateResults). */
  onGeneratedMany: (outcomes: GenerateManyOutcome[], name: string) => void;
  onRecheck: () => Promise<void>;
}) {
  // Preselected from the selection or the Vault filter, else nothing: at 40 Vaults the first one
  // alphabetically is a wrong guess (issue 13, item 5).
  const [preselected] = useState(() =>
    preselectConnectionId({
      connections: props.connections,
      selectedConnectionIds: props.selectedConnectionIds ?? [],
      filteredConnectionIds: props.filteredConnectionIds ?? [],
    }),
  );
  const [connectionId, setConnectionId] = useState<string | null>(preselected);
  const [mode, setMode] = useState<Mode>('one');
  const [chosenIds, setChosenIds] = useState<string[]>(() =>
    initialSeveral(props.connections, props.selectedConnectionIds ?? [], props.filteredConnectionIds ?? []),
  );
  /** The last check of "Several Vaults", valid while the Vaults, name and expiry are what was checked. */
  const [preflight, setPreflight] = useState<{ key: string; outcomes: GenerateManyOutcome[] } | null>(null);
  const askSecrets = useAskSecrets();
  const [targetKind, setTargetKind] = useState<TargetKind>('me');
  const [user, setUser] = useState<VaultUserSummary | null>(null);
  const [sandboxName, setSandboxName] = useState('');
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const errorsRef = useRef(errors);
  errorsRef.current = errors;
  const [failure, setFailure] = useState<{ message: string; vaultErrorType?: string | undefined; code: string } | null>(
    null,
  );
  const [busy, setBusy] = useState(false);
  const [activeCount, setActiveCount] = useState<number | null>(null);
  const [rechecking, setRechecking] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const vaultRef = useRef<HTMLInputElement>(null);
  const recheckRef = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const withUnlock = useWithUnlock();

  // Before the dialog takes focus (Modal focuses in a passive effect): remember who opened it.
  const { openerRef } = props;
  useLayoutEffect(() => {
    if (openerRef) (openerRef as { current: HTMLElement | null }).current = focusedElement();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on open
  }, []);
  useReturnFocus(openerRef);

  // After a refused submit, focus goes to the first invalid field (issue 13, item 7).
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (!refusals) return;
    const field = firstInvalidField(formRef.current);
    if (field) field.focus();
    else if (errorsRef.current.offline) recheckRef.current?.focus();
    else if (errorsRef.current.limit)
      formRef.current?.querySelector<HTMLElement>('input[name="gen-target"]:checked')?.focus();
  }, [refusals]);

  const connection = props.connections.find((c) => c.id === connectionId);
  const health = connection ? props.health.get(connection.id) : undefined;
  const offline = health?.reachable === false;

  // The 25-token limit, from the inventory, for "me" or the picked user.
  useEffect(() => {
    setActiveCount(null);
    if (!connection || targetKind === 'sandbox') return;
    const who =
      targetKind === 'me' ? { userName: connection.username } : user ? { id: user.id, userName: user.userName } : null;
    if (!who) return;
    let live = true;
    activeCountFor(connection.id, who)
      .then((n) => live && setActiveCount(n))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [connection, targetKind, user]);

  const whoLabel = targetKind === 'me' ? (connection?.username ?? 'You') : (user?.displayName ?? 'This user');
  const atLimit = activeCount !== null && activeCount >= MAX_ACTIVE_TOKENS_PER_USER;

  const clearError = (key: string) => {
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };

  const manyKey = JSON.stringify([chosenIds, name.trim(), expiry]);
  const checked = mode === 'several' && preflight?.key === manyKey ? preflight : null;
  // A change of Vaults, name or expiry discards the check: going back to what was checked checks again.
  useEffect(() => {
    setPreflight((p) => (p && p.key !== manyKey ? null : p));
  }, [manyKey]);
  const readyIds = checked ? checked.outcomes.filter((o) => o.ok).map((o) => o.connectionId) : [];

  const showFailure = (err: unknown) => {
    const info = errorInfo(err);
    const fields: Record<string, string> = {};
    for (const [key, message] of Object.entries(info.fields ?? {})) {
      if (key === 'name') fields.name = message;
      else if (key.startsWith('expiry')) fields.expiry = message;
      else if (key.startsWith('target.userId')) fields.user = message;
      else if (key.startsWith('target.sandboxName')) fields.sandbox = message;
      else if (key.startsWith('connectionIds')) fields.connections = message;
    }
    setErrors(fields);
    setFailure({ code: info.code, message: info.message, vaultErrorType: info.vaultErrorType });
    if (Object.keys(fields).length) setRefusals((n) => n + 1);
  };

  /**
   * "Several Vaults", in two presses: Check runs every Vault's guard rails (the 25-token limit, the
   * expiry, offline; `checkOnly`, nothing is sent to generate) after asking once for any missing
   * secrets; Generate then mints in the Vaults that are ready. Changing a Vault, the name or the
   * expiry asks for a new check.
   */
  const submitMany = async () => {
    const local: Record<string, string> = {};
    if (!chosenIds.length) local.connections = 'Choose at least one Vault to generate in.';
    const checkedName = TokenName.safeParse(name);
    if (!checkedName.success) local.name = checkedName.error.issues[0]?.message ?? 'Check the name.';
    const exp = toExpiry(expiry);
    if (!exp.ok) local.expiry = exp.message;
    setErrors(local);
    if (Object.keys(local).length || !exp.ok || !checkedName.success) {
      setRefusals((n) => n + 1);
      return;
    }
    const request = { name: checkedName.data, expiry: exp.expiry };
    setBusy(true);
    try {
      if (!checked) {
        const byId = new Map(props.connections.map((c) => [c.id, c]));
        const needs = (await call('connections:needs-secret', { ids: chosenIds })).flatMap((need) => {
          const c = byId.get(need.connectionId);
          return c ? [{ connection: c, need }] : [];
        });
        const unlocked = needs.length ? await askSecrets(needs) : new Set<string>();
        const locked = new Set(needs.filter((n) => !unlocked.has(n.connection.id)).map((n) => n.connection.id));
        const toCheck = chosenIds.filter((id) => !locked.has(id));
        const answers = toCheck.length
          ? await call('tokens:generate-many', { ...request, connectionIds: toCheck, checkOnly: true })
          : [];
        const byConnection = new Map(answers.map((o) => [o.connectionId, o]));
        setPreflight({
          key: manyKey,
          outcomes: chosenIds.map(
            (id) => byConnection.get(id) ?? notUnlocked(byId.get(id) ?? { id, name: 'A removed connection' }),
          ),
        });
        return;
      }
      if (!readyIds.length) return;
      const done = await call('tokens:generate-many', { ...request, connectionIds: readyIds });
      const doneById = new Map(done.map((o) => [o.connectionId, o]));
      props.onGeneratedMany(
        checked.outcomes.map((o) => doneById.get(o.connectionId) ?? o),
        request.name,
      );
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (mode === 'several') return submitMany();
    const local: Record<string, string> = {};
    if (!connection) local.connection = 'Choose the Vault to generate the token in.';
    const checkedName = TokenName.safeParse(name);
    if (!checkedName.success) local.name = checkedName.error.issues[0]?.message ?? 'Check the name.';
    let target: TokenTarget = { kind: 'me' };
    if (targetKind === 'user') {
      if (!user) local.user = 'Pick the Vault user who will own the token.';
      else target = { kind: 'user', userId: user.id };
    } else if (targetKind === 'sandbox') {
      if (!sandboxName.trim()) local.sandbox = 'Enter the sandbox name as shown on My Vaults.';
      else target = { kind: 'sandbox', sandboxName: sandboxName.trim() };
    }
    const exp = toExpiry(expiry);
    if (!exp.ok) local.expiry = exp.message;
    if (atLimit)
      local.limit = `${whoLabel} already holds ${activeCount} active tokens on this Vault; Vault allows at most ${MAX_ACTIVE_TOKENS_PER_USER}. Revoke one first.`;
    if (offline && connection)
      local.offline = `${connection.name} could not be reached at the last check, and generating needs Vault. Check the connection again first.`;
    setErrors(local);
    if (Object.keys(local).length || !connection || !exp.ok) {
      setRefusals((n) => n + 1);
      return;
    }

    setBusy(true);
    try {
      const result = await withUnlock(connection, () =>
        call('tokens:generate', {
          connectionId: connection.id,
          target,
          name: checkedName.data ?? name,
          expiry: exp.expiry,
          ...(targetKind === 'user' && user ? { userName: user.userName } : {}),
        }),
      );
      props.onGenerated(
        result,
        targetKind === 'user' && user ? `${user.displayName} (${user.userName})` : connection.username,
      );
    } catch (err) {
      showFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const recheck = async () => {
    if (!connection) return;
    setRechecking(true);
    try {
      await withUnlock(connection, () => call('connections:test', { id: connection.id }));
      clearError('offline');
    } catch (err) {
      const info = errorInfo(err);
      setErrors((x) => ({ ...x, offline: `Still unreachable: ${info.message}` }));
    } finally {
      await props.onRecheck();
      setRechecking(false);
    }
  };

  return (
    <Modal
      title="Generate an API access token"
      wide
      onClose={props.onClose}
      // Straight to the Vault when it must be chosen; to the name when it came preselected.
      initialFocus={preselected ? nameRef : vaultRef}
      footer={
        <>
          <button type="button" className="btn" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          {mode === 'one' ? (
            <button type="submit" form="generate-form" className="btn btn--primary" disabled={busy}>
              {busy ? 'Generating…' : 'Generate token'}
            </button>
          ) : (
            <button
              type="submit"
              form="generate-form"
              className="btn btn--primary"
              disabled={busy || (checked !== null && readyIds.length === 0)}
            >
              {busy
                ? checked
                  ? 'Generating…'
                  : 'Checking…'
                : checked
                  ? readyIds.length
                    ? `Generate in ${plural(readyIds.length, 'Vault')}`
                    : 'No Vault is ready'
                  : `Check ${chosenIds.length ? plural(chosenIds.length, 'Vault') : 'Vaults'}`}
            </button>
          )}
        </>
      }
    >
      <form
        ref={formRef}
        id="generate-form"
        className="form"
        onSubmit={(e) => void submit(e)}
        onKeyDown={enterSubmitsOnlyFromTextFields}
        noValidate
      >
        {failure ? (
          <Banner
            tone="error"
            title={
              failure.code === 'GUARD'
                ? 'Not generated: a guard rail stopped it'
                : failure.code === 'VAULT'
                  ? 'Vault refused'
                  : 'Not generated'
            }
          >
            <p>{failure.message}</p>
            {failure.vaultErrorType ? (
              <p>
                Vault error type: <code className="mono">{failure.vaultErrorType}</code>
              </p>
            ) : null}
          </Banner>
        ) : null}
        <div className="gen-mode" role="radiogroup" aria-label="Generate in">
          {MODES.map(([value, label]) => (
            <label className="check" key={value}>
              <input
                type="radio"
                name="gen-mode"
                checked={mode === value}
                onChange={() => {
                  setMode(value);
                  setErrors({});
                }}
              />
              {label}
            </label>
          ))}
        </div>
        {mode === 'several' ? (
          <VaultMultiPicker
            connections={props.connections}
            health={props.health}
            value={chosenIds}
            onChange={(ids) => {
              setChosenIds(ids);
              clearError('connections');
            }}
            error={errors.connections}
          />
        ) : (
          <VaultPicker
            connections={props.connections}
            health={props.health}
            value={connectionId}
            inputRef={vaultRef}
            onChange={(id) => {
              setConnectionId(id);
              setUser(null);
              clearError('connection');
              clearError('offline');
            }}
            error={errors.connection}
          />
        )}
        {mode === 'one' && offline && connection ? (
          <div className="inline-warning" role={errors.offline ? 'alert' : 'status'}>
            <p>
              <strong>{connection.name} is offline.</strong> It could not be reached{' '}
              {health?.lastCheckedAt ? relative(health.lastCheckedAt) : 'at the last check'}
              {errors.offline ? ` — ${errors.offline}` : '. Generating a token needs Vault.'}
            </p>
            <button
              ref={recheckRef}
              type="button"
              className="btn btn--small"
              onClick={() => void recheck()}
              disabled={rechecking}
            >
              {rechecking ? 'Checking…' : 'Check again'}
            </button>
          </div>
        ) : null}

        {mode === 'several' ? (
          <fieldset className="fieldset">
            <legend>Token for</legend>
            <p className="muted">
              You: the signed-in user of each Vault. For another user or a sandbox, generate in one Vault.
            </p>
          </fieldset>
        ) : (
          <fieldset className="fieldset">
            <legend>Token for</legend>
            <div className="choice-row">
              {TARGET_CHOICES.map(([kind, label]) => (
                <label key={kind} className="check">
                  <input
                    type="radio"
                    name="gen-target"
                    checked={targetKind === kind}
                    onChange={() => setTargetKind(kind)}
                  />
                  {kind === 'me' && connection ? `${label} (${connection.username})` : label}
                </label>
              ))}
            </div>
            {targetKind === 'user' && connection ? (
              <UserPicker
                connection={connection}
                value={user}
                onChange={(u) => {
                  setUser(u);
                  clearError('user');
                }}
                error={errors.user}
                offline={offline}
              />
            ) : null}
            {targetKind === 'sandbox' && connection ? (
              <SandboxField
                connection={connection}
                offline={offline}
                value={sandboxName}
                onChange={(v) => {
                  setSandboxName(v);
                  clearError('sandbox');
                }}
                error={errors.sandbox}
              />
            ) : null}
            {activeCount !== null && activeCount >= 20 ? (
              <p className={atLimit ? 'field__error' : 'text-warn'} role={atLimit ? 'alert' : undefined}>
                {atLimit
                  ? (errors.limit ??
                    `${whoLabel} already holds ${activeCount} active tokens on this Vault; Vault allows at most ${MAX_ACTIVE_TOKENS_PER_USER}. Revoke one first.`)
                  : `${whoLabel} holds ${activeCount} of at most ${MAX_ACTIVE_TOKENS_PER_USER} active tokens on this Vault.`}
              </p>
            ) : null}
          </fieldset>
        )}

        <div className={`field${errors.name ? ' field--invalid' : ''}`}>
          <label htmlFor="gen-name">Token name</label>
          <input
            ref={nameRef}
            id="gen-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              clearError('name');
            }}
            placeholder="e.g. Data warehouse nightly export"
            aria-invalid={Boolean(errors.name)}
            aria-describedby={errors.name ? 'gen-name-error' : 'gen-name-hint'}
            autoComplete="off"
            maxLength={200}
          />
          {errors.name ? (
            <p className="field__error" id="gen-name-error" role="alert">
              {errors.name}
            </p>
          ) : (
            <p className="field__hint" id="gen-name-hint">
              Say what will use it; the name shows in Vault and in this inventory.
            </p>
          )}
        </div>

        <ExpiryPicker
          value={expiry}
          onChange={(v) => {
            setExpiry(v);
            clearError('expiry');
          }}
          error={errors.expiry}
        />
        {checked ? <PreflightList outcomes={checked.outcomes} connections={props.connections} /> : null}
      </form>
    </Modal>
  );
}
