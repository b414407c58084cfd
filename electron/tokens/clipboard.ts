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
  /** The value this app put on the clipboard, until it is cleared (or replaced by the person). */
  private held: string | null = null;

  constructor(
    private readonly clipboard: TextClipboard,
    private readonly timers: Timers = realTimers,
    readonly clearAfterMs = CLIPBOARD_CLEAR_MS,
  ) {}

  async copy(value: string): Promise<void> {
    await this.clipboard.writeText(value);
    this.held = value;
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = this.timers.setTimeout(() => {
      this.pending = null;
      void this.clearIfHeld(value);
    }, this.clearAfterMs);
  }

  /**
   * Clears a copied value now, if the clipboard still holds it: on quit, so that a token copied
   * seconds before quitting does not outlive the app (issue 11, finding 10). Anything the person
   * copied since is left alone.
   */
  async clearNow(): Promise<void> {
    if (this.pending !== null) this.timers.clearTimeout(this.pending);
    this.pending = null;
    if (this.held !== null) await this.clearIfHeld(this.held);
  }

  private async clearIfHeld(value: string): Promise<void> {
    if ((await this.clipboard.readText()) === value) await this.clipboard.writeText('');
    if (this.held === value) this.held = null;
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
