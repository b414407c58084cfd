/**
 * The one object the renderer sees as `window.vaultDesk`. The preload builds
 * it over ipcRenderer; the browser test harness runs that same built preload
 * over shims of contextBridge and ipcRenderer. Only contract channels and events pass.
 */
import type { IpcResult } from './errors';
import type { Channel, EventMap, EventName, RequestIn, ResponseOf } from './contract';

export interface VaultDeskApi {
  invoke<C extends Channel>(channel: C, request?: RequestIn<C>): Promise<IpcResult<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

export interface BridgeNames {
  channels: readonly string[];
  events: readonly string[];
}

export interface BridgeTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/**
 * `names` comes from main (the preload reads it from its process arguments),
 * so the preload does not bundle the schemas just to know the channel names.
 */
export function buildVaultDeskApi(transport: BridgeTransport, names: BridgeNames): VaultDeskApi {
  const channels = new Set<string>(names.channels);
  const events = new Set<string>(names.events);
  return Object.freeze({
    invoke(channel, request) {
      if (!channels.has(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel ${String(channel)}.` },
        });
      }
      return transport.invoke(channel, request) as Promise<never>;
    },
    on(event, listener) {
      if (!events.has(event)) throw new Error(`Unknown event ${String(event)}.`);
      return transport.subscribe(event, listener as (payload: unknown) => void);
    },
  } satisfies VaultDeskApi);
}
