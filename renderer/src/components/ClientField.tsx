/**
 * The client (customer) of a connection, free text completed from the clients already in use
 * (client groups, issue 15). One component for the connection form and the discover dialog.
 */
import { useId, type ComponentProps, type ReactNode } from 'react';
import { TextField } from './Field';

export function ClientField(
  props: {
    label: string;
    clients: readonly string[];
    hint: ReactNode;
    error?: string | undefined;
  } & Omit<ComponentProps<'input'>, 'list'>,
) {
  const { clients, ...field } = props;
  const listId = useId();
  return (
    <>
      <TextField placeholder="Acme" autoComplete="off" {...field} list={listId} />
      <datalist id={listId}>
        {clients.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </>
  );
}
