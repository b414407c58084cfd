/**
 * C0 control characters and DEL. Stripped from text that reaches a search
 * index, a CSV cell or a terminal, where they could hide or reorder content.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** ANSI SGR sequences (colours, bold) as the CLI writes them. */
// eslint-disable-next-line no-control-regex -- ESC (\u001b) starts every ANSI sequence
export const ANSI_SGR = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, '');
}
