/**
 * The typed IPC contract: channel name (`domain:verb`) → request schema →
 * response type, plus the service method that answers it. One file per
 * domain, merged here. The preload bridge, the main-side handler table and the
 * CLI are all derived from this map (pattern: GitHub Desktop's
 * app/src/lib/ipc-shared.ts). Adding a channel: docs/architecture.md.
 */
import type { z } from 'zod';
import { appContract, type AppEvents } from './app';
import { connectionsContract, type ConnectionsEvents } from './connections';
import { tokensContract, type TokensEvents } from './tokens';
import { remindersContract, type RemindersEvents } from './reminders';
import { deliveriesContract } from './deliveries';
import { rotationContract, type RotationEvents } from './rotation';
import { discoverContract } from './discover';

export const contract = {
  ...appContract,
  ...connectionsContract,
  ...tokensContract,
  ...remindersContract,
  ...deliveriesContract,
  ...rotationContract,
  ...discoverContract,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];

export type RequestIn<C extends Channel> = z.input<Contract[C]['request']>;
export type RequestOut<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<Contract[C]['response']>;

/** The application service: one method per channel, named by the contract. */
export type ServiceMethods = {
  [C in Channel as Contract[C]['method']]: (request: RequestOut<C>) => Promise<ResponseOf<C>>;
};
/** The methods that answer one domain's channels. */
export type MethodsFor<M extends Record<string, { method: string }>> = {
  [C in keyof M & Channel as M[C]['method']]: (request: RequestOut<C>) => Promise<ResponseOf<C>>;
};

/** Events pushed from main to the renderer through typed subscriptions. */
export interface EventMap extends AppEvents, ConnectionsEvents, TokensEvents, RemindersEvents, RotationEvents {}
export type EventName = keyof EventMap;
const EVENT_KEYS: Record<EventName, true> = {
  'app:notice': true,
  'app:navigate': true,
  'connections:changed': true,
  'connections:sso-progress': true,
  'sync:progress': true,
  'import:progress': true,
  'tokens:changed': true,
  'reminders:due': true,
  'reminders:changed': true,
  'tokens:rotate-progress': true,
};
export const EVENTS = Object.keys(EVENT_KEYS) as EventName[];
