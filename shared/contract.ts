/**
 * The typed IPC contract: channel name (`domain:verb`) → request schema →
 * response type, plus the service method that answers it. Both the preload
 * bridge and the main-side handler table are derived from this one map
 * (pattern: GitHub Desktop's ipc-shared.ts, see ../shared/field-notes.md).
 */
import type { z } from 'zod';
import type { AppInfo, AuditEntry, Connection } from './domain';
import { AuditQuery, ByConnectionId, ConnectionCreate, ConnectionUpdate, NoInput } from './schemas';
import { CHANNEL_NAMES, type ChannelName, type EventName } from './channels';

interface ChannelSpec<Req extends z.ZodType, Res, Method extends string> {
  request: Req;
  method: Method;
  /** Phantom: carries the response type only. */
  response?: Res;
}

const channel =
  <Res>() =>
  <Req extends z.ZodType, Method extends string>(method: Method, request: Req): ChannelSpec<Req, Res, Method> => ({
    request,
    method,
  });

export const contract = {
  'app:info': channel<AppInfo>()('appInfo', NoInput),
  'connections:list': channel<Connection[]>()('listConnections', NoInput),
  'connections:create': channel<Connection>()('createConnection', ConnectionCreate),
  'connections:update': channel<Connection>()('updateConnection', ConnectionUpdate),
  'connections:remove': channel<{ removed: true }>()('removeConnection', ByConnectionId),
  'audit:list': channel<AuditEntry[]>()('listAudit', AuditQuery),
} as const satisfies Record<ChannelName, ChannelSpec<z.ZodType, unknown, string>>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

export type RequestIn<C extends Channel> = z.input<Contract[C]['request']>;
export type RequestOut<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<Contract[C]['response']>;

/** The application service: one method per channel, named by the contract. */
export type ServiceMethods = {
  [C in Channel as Contract[C]['method']]: (request: RequestOut<C>) => Promise<ResponseOf<C>>;
};

/** Events pushed from main to the renderer through typed subscriptions. */
export interface EventMap {
  'connections:changed': { reason: string };
  'app:notice': { level: 'info' | 'warn' | 'error'; message: string };
}
export type { EventName };
// Every event name has a payload type, and every payload type a name.
type _EventsMatch = [EventName] extends [keyof EventMap] ? ([keyof EventMap] extends [EventName] ? true : never) : never;
export const eventsMatch: _EventsMatch = true;
