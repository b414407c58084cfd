/**
 * Main writes the clipboard (the renderer has no clipboard permission) and
 * clears it after a while — unless the user copied something else meanwhile,
 * which we must not wipe.
 */
/** Electron 45's clipboard is promise-based; a sync implementation fits too. */
export interface TextClipboard {
  readText(): Promise<string> | string;
  writeText(text: string): Promise<void> | void;
}

export const CLIPBOARD_CLEAR_MS = 30_000;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class SecretClipboard {
  private pending: unknown = null;

  constructor(
    private readonly clipboard: TextClipboard,
    private readonly timers: Timers = realTimers,
    readonly clearAfterMs = CLIPBOARD_CLEAR_MS,
  ) {}

  async copy(value: string): Promise<void> {
    await this.clipboard.writeText(value);
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = this.timers.setTimeout(() => {
      this.pending = null;
      void (async () => {
        if ((await this.clipboard.readText()) === value) await this.clipboard.writeText('');
      })();
    }, this.clearAfterMs);
  }
}

/** For tests and the CLI (which prints instead of copying). */
export class MemoryClipboard implements TextClipboard {
  text = '';
  readText(): string {
    return this.text;
  }
  writeText(text: string): void {
    this.text = text;
  }
}
