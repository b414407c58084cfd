/**
 * The CLI's window on the world: streams, environment and clock, injectable
 * so that the parser and formatters can be tested in-process. `processIO()`
 * is what bin.cjs uses.
 */
export interface CliInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliOutput {
  write(chunk: string): boolean;
  isTTY?: boolean;
}

export interface CliIO {
  stdin: CliInput;
  stdout: CliOutput;
  stderr: CliOutput;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

export function processIO(): CliIO {
  return {
    stdin: process.stdin as CliInput,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
  };
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function colourEnabled(stream: CliOutput, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
