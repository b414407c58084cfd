/**
 * The renderer's only way to main: `call` for channels and `on` for events,
 * typed by shared/contract, over `window.vaultDesk` (built by the preload, or
 * by the browser test harness). Nothing else in the renderer touches it.
 */
import type { VaultDeskApi } from '../../../shared/bridge';
import type { Channel, EventMap, EventName, RequestIn, ResponseOf } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';

declare global {
  interface Window {
    vaultDesk: VaultDeskApi;
  }
}

/** A refused request, carrying main's stable code and plain-words message. */
export class RequestError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** Calls one contract channel; a refusal from main throws a RequestError. */
export async function call<C extends Channel>(channel: C, request?: RequestIn<C>): Promise<ResponseOf<C>> {
  const result = await window.vaultDesk.invoke(channel, request);
  if (!result.ok) throw new RequestError(result.error);
  return result.value;
}

/** Subscribes to one contract event; returns the unsubscribe function (for useEffect). */
export function on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
  return window.vaultDesk.on(event, listener);
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof RequestError) return error.info;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
