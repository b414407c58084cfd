/** Injectable time, so that expiry and reminder logic is testable. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
