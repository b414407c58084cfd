/**
 * Runs once before all suites. Builds nothing heavy itself: suites that need
 * the built renderer build it lazily through test/helpers/renderer-build.ts.
 */
export default function setup(): void {
  process.env.TZ ??= 'UTC';
}
