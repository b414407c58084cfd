/**
 * The add-a-delivery form (issue 16 item 3), shared by the token's details drawer
 * (DeliveriesSection) and each card of Generate across Vaults (GenerateResults): a dotenv file
 * (path + variable) or a command (its argument list, one per line, an optional shell and a
 * timeout). It calls `deliveries:add`; main asks the person itself before a new target may
 * receive a value, and validates the target again with zod.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DOTENV_KEY_HINT,
  DOTENV_KEY_RE,
  type Delivery,
  type DeliveryTarget,
} from '../../../../shared/contract/deliveries';
import { call, errorInfo } from '../../lib/api';
import { TextField, Field } from '../../components/Field';
import '../../styles/rotation.css';

/** Absolute paths only (main refuses others too): a relative one would mean another file elsewhere. */
const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

/** A target in one line, as the lists show it: `KEY in /path`, or the command as typed. */
export function targetText(target: DeliveryTarget): string {
  if (target.kind === 'dotenv') return `${target.key} in ${target.path}`;
  return target.shell ? `sh -c ${JSON.stringify(target.argv.join(' '))}` : target.argv.join(' ');
}

type Kind = DeliveryTarget['kind'];

const KINDS: readonly (readonly [Kind, string])[] = [
  ['dotenv', 'A dotenv file'],
  ['command', 'A command'],
];

interface Draft {
  kind: Kind;
  path: string;
  key: string;
  argvText: string;
  shell: boolean;
  timeoutText: string;
}

/** The target the draft describes, or the message of each field that is wrong. */
export function draftTarget(d: Draft): { target: DeliveryTarget } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let target: DeliveryTarget;
  if (d.kind === 'dotenv') {
    const path = d.path.trim();
    if (!path) errors.path = 'Enter the file path.';
    else if (!ABSOLUTE_PATH.test(path)) errors.path = 'Give the full path of the file.';
    if (!DOTENV_KEY_RE.test(d.key.trim())) errors.key = DOTENV_KEY_HINT;
    target = { kind: 'dotenv', path, key: d.key.trim() };
  } else {
    const argv = d.argvText.split('\n').filter((line) => line.trim() !== '');
    const seconds = Number(d.timeoutText.trim());
    if (argv.length === 0) errors.argv = 'Enter the program, then one argument per line.';
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600)
      errors.timeout = 'Use whole seconds from 1 to 3600.';
    target = { kind: 'command', argv, shell: d.shell, timeoutMs: seconds * 1000 };
  }
  return Object.keys(errors).length ? { errors } : { target };
}

export function DeliveryForm(props: {
  rowId: number;
  onAdded: (delivery: Delivery) => void;
  onCancel: () => void;
  /** The form's accessible name; several forms on one screen (one per Vault) need their own. */
  label?: string;
}) {
  const [draft, setDraft] = useState<Draft>({
    kind: 'dotenv',
    path: '',
    key: 'VAULT_TOKEN',
    argvText: '',
    shell: false,
    timeoutText: String(DEFAULT_COMMAND_TIMEOUT_MS / 1000),
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One radio group per form: two forms on a screen must not share the group's name.
  const kindName = `delivery-kind-${useId()}`;
  // The button that opened the form is gone: focus moves into the form, not to the page.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector<HTMLInputElement>('input:checked')?.focus(), []);
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = draftTarget(draft);
    if ('errors' in checked) return setErrors(checked.errors);
    setErrors({});
    setBusy(true);
    setFailure(null);
    try {
      props.onAdded(await call('deliveries:add', { rowId: props.rowId, target: checked.target }));
    } catch (err) {
      setFailure(errorInfo(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      className="deliveries__form"
      onSubmit={(e) => void submit(e)}
      aria-label={props.label ?? 'Add a delivery'}
    >
      <fieldset className="deliveries__kind">
        <legend>Deliver to</legend>
        {KINDS.map(([kind, text]) => (
          <label key={kind} className="check">
            <input type="radio" name={kindName} checked={draft.kind === kind} onChange={() => set('kind', kind)} />
            {text}
          </label>
        ))}
      </fieldset>
      {draft.kind === 'dotenv' ? (
        <>
          <TextField
            label="File"
            value={draft.path}
            onChange={(e) => set('path', e.target.value)}
            placeholder="/srv/etl/.env"
            error={errors.path}
            hint="Its other lines and mode are kept; a new file is created readable by you only."
            spellCheck={false}
          />
          <TextField
            label="Variable"
            value={draft.key}
            onChange={(e) => set('key', e.target.value)}
            error={errors.key}
            spellCheck={false}
          />
        </>
      ) : (
        <>
          <Field
            label="Command, one argument per line"
            error={errors.argv}
            hint="The program first, then each argument on its own line. The value goes to its standard input only."
          >
            {({ id, describedBy, invalid }) => (
              <textarea
                id={id}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                rows={3}
                value={draft.argvText}
                onChange={(e) => set('argvText', e.target.value)}
                placeholder={'gh\nsecret\nset\nVAULT_TOKEN'}
                spellCheck={false}
                className="mono"
              />
            )}
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.shell} onChange={(e) => set('shell', e.target.checked)} />
            Run through the shell (globbing, pipes and variables apply)
          </label>
          <TextField
            label="Stop it after (seconds)"
            inputMode="numeric"
            value={draft.timeoutText}
            onChange={(e) => set('timeoutText', e.target.value)}
            error={errors.timeout}
          />
        </>
      )}
      {failure ? (
        <p className="text-danger" role="alert">
          {failure}
        </p>
      ) : null}
      <div className="deliveries__actions">
        <button type="submit" className="btn btn--small btn--primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add delivery'}
        </button>
        <button type="button" className="btn btn--small" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
