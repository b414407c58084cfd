import type { EventMap, EventName } from '../../shared/contract';

/** Pushes an event to the renderer (Electron: every window; tests: the page; CLI: nowhere). */
export type EventEmitterFn = <E extends EventName>(event: E, payload: EventMap[E]) => void;
export const noEvents: EventEmitterFn = () => undefined;
