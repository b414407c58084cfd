/** A settable clock for `options.now`. */
export class ManualClock {
  private t: number;

  constructor(start: Date | string | number = Date.now()) {
    this.t = new Date(start).getTime();
  }

  /** Pass as `options.now` (bound). */
  readonly now = (): Date => new Date(this.t);

  advance(ms: number): Date {
    this.t += ms;
    return this.now();
  }

  set(to: Date | string | number): Date {
    this.t = new Date(to).getTime();
    return this.now();
  }
}
