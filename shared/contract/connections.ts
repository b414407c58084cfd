import type { Connection } from '../domain';
import { ByConnectionId, ConnectionCreate, ConnectionUpdate, NoInput } from '../schemas';
import { channel } from './define';

export const connectionsContract = {
  'connections:list': channel<Connection[]>()('listConnections', NoInput),
  'connections:create': channel<Connection>()('createConnection', ConnectionCreate),
  'connections:update': channel<Connection>()('updateConnection', ConnectionUpdate),
  'connections:remove': channel<{ removed: true }>()('removeConnection', ByConnectionId),
} as const;

export interface ConnectionsEvents {
  'connections:changed': { reason: string };
}
