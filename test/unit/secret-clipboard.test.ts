/** Main's clipboard guard: clears a copied token value after 30 s, and on quit (issue 11, finding 10). */
import { describe, expect, it } from 'vitest';
import { MemoryClipboard, SecretClipboard, type Timers } from '../../electron/tokens/clipboard';

function manualTimers(): Timers & { fire(): void; pending: number } {
  let next: (() => void) | null = null;
  return {
    setTimeout: (fn) => {
      next = fn;
      return 1;
    },
    clearTimeout: () => {
      next = null;
    },
    fire() {
      next?.();
      next = null;
    },
    get pending() {
      return next ? 1 : 0;
    },
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('SecretClipboard', () => {
  it('clears the value after the delay, unless the person copied something else', async () => {
    const board = new MemoryClipboard();
    const timers = manualTimers();
    const guard = new SecretClipboard(board, timers);
    await guard.copy('veeva-vault-ONE');
    timers.fire();
    await flush();
    expect(board.text).toBe('');
    await guard.copy('veeva-vault-TWO');
    board.text = 'something the person copied';
    timers.fire();
    await flush();
    expect(board.text).toBe('something the person copied');
  });

  it('on quit, clears a value still on the clipboard at once and cancels the timer', async () => {
    const board = new MemoryClipboard();
    const timers = manualTimers();
    const guard = new SecretClipboard(board, timers);
    await guard.copy('veeva-vault-QUIT');
    await guard.clearNow();
    expect(board.text).toBe('');
    expect(timers.pending).toBe(0);
  });

  it('on quit, leaves alone what the person copied after the token', async () => {
    const board = new MemoryClipboard();
    const guard = new SecretClipboard(board, manualTimers());
    await guard.copy('veeva-vault-EARLIER');
    board.text = 'an address';
    await guard.clearNow();
    expect(board.text).toBe('an address');
    await guard.clearNow(); // nothing held: a no-op
    expect(board.text).toBe('an address');
  });
});
