/**
 * Channel and event names only, without schemas, so the sandboxed preload
 * bundles a few hundred bytes instead of zod. contract.ts is checked against
 * this list at compile time (`satisfies Record<ChannelName, …>`), so the two
 * cannot drift apart.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'connections:list',
  'connections:create',
  'connections:update',
  'connections:remove',
  'audit:list',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['connections:changed', 'app:notice'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
