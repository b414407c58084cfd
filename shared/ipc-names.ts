/** Wire names for main→renderer events, kept apart from request channels. */
export const eventChannel = (event: string): string => `event:${event}`;

/** The preload finds the contract's names in its argv under this flag (webPreferences.additionalArguments). */
export const BRIDGE_NAMES_ARG = '--vault-desk-bridge=';

export function encodeBridgeNames(names: { channels: readonly string[]; events: readonly string[] }): string {
  return BRIDGE_NAMES_ARG + encodeURIComponent(JSON.stringify(names));
}

export function decodeBridgeNames(argv: readonly string[]): { channels: string[]; events: string[] } {
  const arg = argv.find((a) => a.startsWith(BRIDGE_NAMES_ARG));
  if (!arg) return { channels: [], events: [] };
  const parsed = JSON.parse(decodeURIComponent(arg.slice(BRIDGE_NAMES_ARG.length))) as {
    channels?: unknown;
    events?: unknown;
  };
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { channels: strings(parsed.channels), events: strings(parsed.events) };
}
