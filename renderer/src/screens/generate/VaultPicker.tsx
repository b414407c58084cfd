/**
 * Generate's Vault field (issue 13, item 5): a searchable picker grouped by client, with
 * production Vaults marked PROD, instead of a 40-option select that opens on the first Vault
 * alphabetically. Typed text that was not picked does not count: leaving the field puts back the
 * chosen Vault (or nothing), so a token is only ever minted where the person chose.
 */
import { useCallback, useEffect, useId, useState, type Ref } from 'react';
import type { Connection } from '../../../../shared/domain';
import type { ConnectionHealth } from '../../../../shared/tokens';
import { plural } from '../../lib/format';
import { Combobox, type ComboGroup } from './Combobox';
import { fold, groupByClient, isProductionVault, vaultMatches } from './vault-choices';
import '../../styles/generate.css';

/** "PROD" as a word beside the name (never colour alone). */
export function ProdTag() {
  return (
    <span className="prod-tag" title="Production Vault">
      PROD
    </span>
  );
}

/** A Vault as both pickers list it: its name, PROD for production, its DNS, and whether it is offline. */
export function VaultOption(props: { connection: Connection; offline: boolean }) {
  const c = props.connection;
  return (
    <span className="vault-option">
      <span className="vault-option__name">{c.name}</span>
      {isProductionVault(c) ? <ProdTag /> : null}
      <span className="vault-option__meta">
        {c.dns}
        {props.offline ? ' · offline' : ''}
      </span>
    </span>
  );
}

export function VaultPicker(props: {
  connections: Connection[];
  health: Map<string, ConnectionHealth>;
  value: string | null;
  onChange: (connectionId: string) => void;
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const inputId = `${id}-input`;
  const { connections, health, onChange } = props;
  const chosen = connections.find((c) => c.id === props.value) ?? null;
  const [text, setText] = useState(chosen?.name ?? '');

  // A choice made elsewhere (or a renamed connection) shows in the input.
  const chosenName = chosen?.name ?? '';
  useEffect(() => setText(chosenName), [chosenName]);

  const optionsFor = useCallback(
    (query: string): ComboGroup[] =>
      groupByClient(connections.filter((c) => vaultMatches(c, query))).map((g) => ({
        label: g.label,
        options: g.connections.map((c) => {
          const offline = health.get(c.id)?.reachable === false;
          return {
            key: c.id,
            text: c.name,
            content: <VaultOption connection={c} offline={offline} />,
          };
        }),
      })),
    [connections, health],
  );

  /** Leaving the field: an exact name counts as picking it; anything else goes back to the choice. */
  const settle = (): boolean => {
    if (text === chosenName) return false;
    const exact = connections.find((c) => fold(c.name) === fold(text.trim()));
    if (exact && text.trim()) {
      setText(exact.name);
      if (exact.id !== props.value) onChange(exact.id);
      return true;
    }
    setText(chosenName);
    return true;
  };

  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const offline = chosen ? health.get(chosen.id)?.reachable === false : false;
  return (
    <div className={`field vault-picker${props.error ? ' field--invalid' : ''}`}>
      <label htmlFor={inputId}>Vault connection</label>
      <Combobox
        id={inputId}
        inputRef={props.inputRef}
        listLabel="Vaults"
        toggleLabel="Show every Vault"
        text={text}
        onTextChange={setText}
        optionsFor={optionsFor}
        chosenKey={props.value}
        onPick={(option) => {
          setText(option.text);
          if (option.key !== props.value) onChange(option.key);
        }}
        onSettle={settle}
        countLabel={(n) => `${plural(n, 'Vault')} listed`}
        invalid={Boolean(props.error)}
        describedBy={props.error ? `${errorId} ${hintId}` : hintId}
        placeholder={`Type to search ${plural(connections.length, 'Vault')}`}
      />
      {props.error ? (
        <p className="field__error" id={errorId} role="alert">
          {props.error}
        </p>
      ) : null}
      <p className="field__hint vault-picker__hint" id={hintId}>
        {chosen ? (
          <>
            {isProductionVault(chosen) ? (
              <>
                <ProdTag /> <span className="sr-only">Production Vault: </span>
              </>
            ) : null}
            <span className="mono">{chosen.dns}</span>
            {offline ? ' · offline' : ''}
          </>
        ) : (
          'Type part of a name or DNS, or press ↓ to list every Vault; Enter picks.'
        )}
      </p>
    </div>
  );
}
