/** Wire names for main→renderer events, kept apart from request channels. */
export const eventChannel = (event: string): string => `event:${event}`;
