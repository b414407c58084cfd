/**
 * The renderer's only way to main: `window.vaultDesk`, built by the preload
 * (or by the browser test harness) from shared/contract.ts.
 */
import type { VaultDeskApi } from '../../../shared/bridge';
import type { Channel, RequestIn, ResponseOf } from '../../../shared/contract';
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

export async function call<C extends Channel>(channel: C, request?: RequestIn<C>): Promise<ResponseOf<C>> {
  const result = await window.vaultDesk.invoke(channel, request);
  if (!result.ok) throw new RequestError(result.error);
  return result.value;
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof RequestError) return error.info;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
