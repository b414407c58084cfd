import { useEffect, useId, useRef, useState } from 'react';
import type { Connection } from '../../../shared/domain';
import type { VaultUserSummary } from '../../../shared/tokens';
import { call, errorInfo } from '../lib/api';
import { useDebounced } from '../lib/use-debounced';
import { useWithUnlock } from '../lib/unlock';

/**
 * Search the Vault's users as you type (main hides system users) and pick
 * one. An ARIA combobox: arrow keys move through the results, Enter picks.
 */
export function UserPicker(props: {
  connection: Connection;
  value: VaultUserSummary | null;
  onChange: (user: VaultUserSummary | null) => void;
  error?: string | undefined;
  offline: boolean;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<VaultUserSummary[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const search = useDebounced(text, 200);
  const withUnlock = useWithUnlock();
  const generation = useRef(0);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!open || props.value) return;
    const mine = ++generation.current;
    setSearching(true);
    setFailure(null);
    withUnlock(props.connection, () => call('users:search', { connectionId: props.connection.id, search }))
      .then((users) => {
        if (mine !== generation.current) return;
        setResults(users);
        setActive(0);
      })
      .catch((e) => {
        if (mine !== generation.current) return;
        const info = errorInfo(e);
        setFailure(info.vaultErrorType ? `${info.message} (Vault error type ${info.vaultErrorType})` : info.message);
        setResults(null);
      })
      .finally(() => {
        if (mine === generation.current) setSearching(false);
      });
  }, [search, open, props.connection, props.value, withUnlock]);

  const pick = (user: VaultUserSummary) => {
    props.onChange(user);
    setOpen(false);
    setText('');
  };

  if (props.value) {
    const u = props.value;
    return (
      <div className="picked-user">
        <div>
          <strong>{u.displayName}</strong> <span className="muted">{u.userName}</span>
          {u.email && u.email !== u.userName ? <div className="muted">{u.email}</div> : null}
          {!u.active ? <div className="text-warn">This user is inactive in Vault.</div> : null}
        </div>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => {
            props.onChange(null);
            setOpen(true);
            window.setTimeout(() => input.current?.focus(), 0);
          }}
        >
          Change
        </button>
      </div>
    );
  }

  const listId = `${id}-list`;
  const options = results ?? [];
  return (
    <div className={`field combo${props.error ? ' field--invalid' : ''}`}>
      <label htmlFor={`${id}-input`}>Vault user</label>
      <input
        ref={input}
        id={`${id}-input`}
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${id}-opt-${active}` : undefined}
        aria-invalid={Boolean(props.error)}
        aria-describedby={`${id}-status`}
        placeholder={props.offline ? 'Vault is offline' : 'Type a name, user name or email'}
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={props.offline}
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
            setActive((a) => Math.min(options.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const u = options[active];
            if (open && u) pick(u);
          } else if (e.key === 'Escape' && open) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      <p className="field__hint" id={`${id}-status`} role="status" aria-live="polite">
        {searching
          ? 'Searching…'
          : failure
            ? ''
            : results && open
              ? results.length
                ? `${results.length} user${results.length === 1 ? '' : 's'} found`
                : 'No users match.'
              : 'System users are not listed.'}
      </p>
      {failure ? (
        <p className="field__error" role="alert">
          {failure}
        </p>
      ) : props.error ? (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      ) : null}
      {open && options.length ? (
        <ul className="combo__list" id={listId} role="listbox" aria-label="Vault users">
          {options.map((u, i) => (
            <li
              key={u.id}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'combo__option combo__option--active' : 'combo__option'}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(u)}
            >
              <span className="combo__name">{u.displayName}</span>
              <span className="combo__meta">
                {u.userName}
                {u.email && u.email !== u.userName ? ` · ${u.email}` : ''}
                {!u.active ? ' · inactive' : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
