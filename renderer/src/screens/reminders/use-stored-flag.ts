/**
 * A yes/no view preference of the Reminders screen, remembered across reloads in localStorage
 * like the inventory's column layout (inventory/use-column-layout.ts): not secret, one flag.
 */
import { useCallback, useState } from 'react';

/** "Group by client" (client groups, issue 15). */
export const GROUP_BY_CLIENT_STORAGE_KEY = 'vault-token-desk.reminders.group-by-client.v1';

function readFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === 'true';
  } catch {
    return false; // storage disabled: off, for this run
  }
}

export function useStoredFlag(key: string): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => readFlag(key));
  const set = useCallback(
    (next: boolean) => {
      setOn(next);
      try {
        window.localStorage.setItem(key, String(next));
      } catch {
        // Not remembered (storage full or disabled); it still applies now.
      }
    },
    [key],
  );
  return [on, set];
}
