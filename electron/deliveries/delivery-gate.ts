/**
 * The confirmation before a new delivery target may receive a token's value (deliveries-service.ts
 * DeliveryGate). Until the desktop shell passes a gate of its own wording, the reveal gate stands
 * in (tokens-service.ts RevealGate): the same person, asked by main, outside the renderer's reach.
 * The CLI's and the tests' reveal gates answer yes (the person at the terminal is the one asking);
 * a context without one refuses.
 */
import type { RevealGate } from '../tokens/tokens-service';
import type { DeliveryGate } from './deliveries-service';

export function deliveryGateFromRevealGate(reveal: RevealGate): DeliveryGate {
  return (request) =>
    reveal({
      purpose: 'reveal',
      tokenName: request.tokenName,
      tokenId: request.tokenId,
      connectionName: `${request.connectionName}, to deliver it to ${request.detail}`,
    });
}
