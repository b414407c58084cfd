// Bundled into an IIFE and injected with page.addInitScript: builds
// window.vaultDesk from the same shared/bridge.ts the preload uses, over
// Playwright bindings instead of ipcRenderer.
import { buildVaultDeskApi } from '../../shared/bridge';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();
const w = window as unknown as {
  __vtdEmit: (event: string, payload: unknown) => void;
  __vtdNames: { channels: string[]; events: string[] };
  vaultDesk: unknown;
};

w.__vtdEmit = (event, payload) => listeners.get(event)?.forEach((l) => l(payload));
w.vaultDesk = buildVaultDeskApi(
  {
    // Same-origin POST to the harness server, which calls the real handler table.
    async invoke(channel, request) {
      const response = await fetch(`/__vault-desk/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ request }),
      });
      return response.json() as Promise<unknown>;
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  },
  w.__vtdNames,
);
