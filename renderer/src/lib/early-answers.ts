/**
 * Answers from main asked for ahead of the code that uses them: when the app starts (before
 * React's first render) and on a keystroke (before React renders it), so main works while the
 * renderer does. Each slot holds the latest request; whoever next needs that answer takes it
 * once, by key, and only while it is fresh.
 */
import { use } from 'react';

/** Older than this, an early answer is not used (it was asked for something that never came). */
const MAX_AGE_MS = 2_000;

interface Early {
  key: string;
  at: number;
  answer: Promise<unknown>;
  arrived: boolean;
  value?: unknown;
}

const slots = new Map<string, Early>();

/** Asks now (`ask()`), for `key`, replacing what `slot` held. */
export function askEarly<T>(slot: string, key: string, ask: () => Promise<T>): Promise<T> {
  const answer = ask();
  const early: Early = { key, at: performance.now(), answer, arrived: false };
  // A failure surfaces where the answer is taken.
  answer.then(
    (value) => {
      early.value = value;
      early.arrived = true;
    },
    () => undefined,
  );
  slots.set(slot, early);
  return answer;
}

/** The answer in `slot` when it is for `key` and fresh, else null; the slot is emptied either way. */
export function takeEarly<T>(slot: string, key: string): Promise<T> | null {
  const early = slots.get(slot);
  slots.delete(slot);
  return early && early.key === key && performance.now() - early.at <= MAX_AGE_MS ? (early.answer as Promise<T>) : null;
}

/**
 * The value in `slot` when it is for `key` and has already arrived, else undefined. The slot keeps
 * it: a first render can show it and the effect that loads the data then takes it (takeEarly).
 */
export function peekArrived<T>(slot: string, key: string): T | undefined {
  const early = slots.get(slot);
  return early?.arrived && early.key === key ? (early.value as T) : undefined;
}

let startWait: { settled: Promise<void>; done: boolean } | null = null;

/**
 * At app start: the first render that calls useStartWait waits until `answers` are all here (or
 * failed), or `maxMs` at most. Meanwhile React commits nothing, so the screen appears once, with
 * its data, instead of a loading state first and everything laid out and painted again a moment
 * later. (This relies on no Suspense boundary above the caller: a boundary would show its fallback
 * and hold the reveal for React's fallback throttle, about 300 ms.)
 */
export function waitAtStart(answers: Promise<unknown>[], maxMs: number): void {
  const wait = { settled: Promise.resolve(), done: false };
  const all = Promise.all(answers.map((a) => a.catch(() => undefined)));
  wait.settled = Promise.race([all, new Promise((resolve) => setTimeout(resolve, maxMs))]).then(() => {
    wait.done = true;
  });
  startWait = wait;
}

/** Suspends the caller's render while what waitAtStart asked for is on its way; then never again. */
export function useStartWait(): void {
  const wait = startWait;
  if (!wait) return;
  if (wait.done) {
    startWait = null;
    return;
  }
  use(wait.settled);
}
