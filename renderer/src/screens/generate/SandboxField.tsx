/**
 * "Me, in a sandbox": the sandbox's name (docs/vault-api.md §1.4: `sandbox_name` = the name shown
 * on My Vaults), with the Vaults the parent's login reaches offered as choices (`connections:reachable`,
 * the login's `vaultIds`, §3.2) and free text still allowed. API-token and pasted-session logins
 * tell nothing about other Vaults, so they get free text and a hint only.
 */
import { useCallback, useEffect, useId, useMemo, useState, type Ref } from 'react';
import type { Connection } from '../../../../shared/domain';
import { call, errorInfo } from '../../lib/api';
import { plural } from '../../lib/format';
import { useWithUnlock } from '../../lib/unlock';
import { Combobox, type ComboGroup } from './Combobox';
import { fold, sandboxChoices } from './vault-choices';
import '../../styles/generate.css';

type Choices =
  | { state: 'loading' }
  | { state: 'ready'; choices: { name: string; dns: string }[] }
  | { state: 'unlisted'; why: 'token' | 'offline' }
  | { state: 'failed'; message: string };

/** Logins whose answer lists the Vaults they reach (§3.2, §3.4); API tokens and pasted sessions do not. */
const LISTS_VAULTS: ReadonlySet<Connection['authMethod']> = new Set(['password', 'sso']);

export function SandboxField(props: {
  connection: Connection;
  offline: boolean;
  value: string;
  onChange: (name: string) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const inputId = `${id}-input`;
  const withUnlock = useWithUnlock();
  const { connection, offline } = props;
  const [choices, setChoices] = useState<Choices>(() => unlisted(connection, offline) ?? { state: 'loading' });

  useEffect(() => {
    const none = unlisted(connection, offline);
    if (none) {
      setChoices(none);
      return;
    }
    let live = true;
    setChoices({ state: 'loading' });
    withUnlock(connection, () => call('connections:reachable', { id: connection.id }))
      .then((reachable) => live && setChoices({ state: 'ready', choices: sandboxChoices(reachable) }))
      .catch((e) => live && setChoices({ state: 'failed', message: errorInfo(e).message }));
    return () => {
      live = false;
    };
  }, [connection, offline, withUnlock]);

  const list = useMemo(() => (choices.state === 'ready' ? choices.choices : []), [choices]);
  const optionsFor = useCallback(
    (query: string): ComboGroup[] => {
      const q = fold(query.trim());
      const shown = list.filter((c) => !q || fold(c.name).includes(q));
      return [
        {
          label: null,
          options: shown.map((c) => ({
            key: c.name,
            text: c.name,
            content: (
              <span className="vault-option">
                <span className="vault-option__name">{c.name}</span>
                <span className="vault-option__meta">{c.dns}</span>
              </span>
            ),
          })),
        },
      ];
    },
    [list],
  );

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${props.error ? ' field--invalid' : ''}`}>
      <label htmlFor={inputId}>Sandbox name</label>
      <Combobox
        id={inputId}
        inputRef={props.inputRef}
        listLabel={`Vaults ${connection.name}’s login reaches`}
        toggleLabel="List the Vaults this login reaches"
        text={props.value}
        onTextChange={props.onChange}
        optionsFor={optionsFor}
        chosenKey={list.find((c) => fold(c.name) === fold(props.value.trim()))?.name ?? null}
        onPick={(option) => props.onChange(option.text)}
        countLabel={(n) => `${plural(n, 'Vault')} listed`}
        invalid={Boolean(props.error)}
        describedBy={props.error ? `${errorId} ${hintId}` : hintId}
        placeholder={list.length ? 'Pick or type the sandbox name' : 'The sandbox name shown on My Vaults'}
      />
      {props.error ? (
        <p className="field__error" id={errorId} role="alert">
          {props.error}
        </p>
      ) : null}
      <p className="field__hint" id={hintId}>
        For a production Vault: asks it for a token for you in one of its sandboxes. {sandboxHint(choices, connection)}
      </p>
    </div>
  );
}

/** Why there is no list to ask for (and nothing to sign in for), or null when Vault can be asked. */
function unlisted(connection: Connection, offline: boolean): Choices | null {
  if (!LISTS_VAULTS.has(connection.authMethod)) return { state: 'unlisted', why: 'token' };
  if (offline) return { state: 'unlisted', why: 'offline' };
  return null;
}

function sandboxHint(choices: Choices, connection: Connection): string {
  switch (choices.state) {
    case 'loading':
      return 'Asking Vault which Vaults this login reaches…';
    case 'ready':
      return choices.choices.length
        ? `Pick one of the ${plural(choices.choices.length, 'other Vault')} this login reaches (↓ lists them), or type the name shown on My Vaults. Vault does not say which are sandboxes; it refuses a name that is not a sandbox of ${connection.name}.`
        : 'Vault lists no other Vaults for this login: type the sandbox name shown on My Vaults.';
    case 'unlisted':
      return choices.why === 'token'
        ? 'This connection signs in with an API access token, and Vault lists the Vaults a login reaches only for a password or single sign-on: type the sandbox name shown on My Vaults.'
        : `${connection.name} is offline, so its Vaults cannot be listed: type the sandbox name shown on My Vaults.`;
    case 'failed':
      return `The Vaults this login reaches could not be listed (${choices.message}): type the sandbox name shown on My Vaults.`;
  }
}
