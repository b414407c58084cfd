/**
 * Typed calls to the token channels (shared/contract/tokens.ts) and their
 * events. Same transport and error handling as lib/api.ts `call`; kept
 * separate so the inventory screens are typed against the tokens contract
 * directly.
 */
import type { z } from 'zod';
import type { tokensContract, TokensEvents } from '../../../shared/contract/tokens';
import type { IpcResult } from '../../../shared/errors';
import { RequestError } from './api';

type TokensContract = typeof tokensContract;
export type TokenChannel = keyof TokensContract;
export type TokenRequest<C extends TokenChannel> = z.input<TokensContract[C]['request']>;
export type TokenResponse<C extends TokenChannel> = NonNullable<TokensContract[C]['response']>;

interface LooseBridge {
  invoke(channel: string, request?: unknown): Promise<IpcResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

const bridge = (): LooseBridge => window.vaultDesk as unknown as LooseBridge;

export async function tcall<C extends TokenChannel>(channel: C, request?: TokenRequest<C>): Promise<TokenResponse<C>> {
  const result = await bridge().invoke(channel, request);
  if (!result.ok) throw new RequestError(result.error);
  return result.value as TokenResponse<C>;
}

/**
 * Subscribes to a token event. Returns an unsubscribe function; a bridge that
 * does not carry the event (an older main) simply never calls back.
 */
export function onTokenEvent<E extends keyof TokensEvents>(event: E, listener: (payload: TokensEvents[E]) => void): () => void {
  try {
    return bridge().on(event, listener as (payload: unknown) => void);
  } catch {
    return () => undefined;
  }
}
