/**
 * axe-core in the browser suites (issue 13): WCAG 2.2 AA plus best-practice rules, failing on any
 * serious or critical violation. The source goes in through `page.evaluate`, because the app's CSP
 * (script-src 'self') blocks an injected <script> tag.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the page (or under `selector`) and returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async ({ tags, selector }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } }).axe;
      interface AxeResults {
        violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
      }
      const results = await axe.run(selector ? document.querySelector(selector) : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
    },
    { tags: TAGS, selector },
  );
}

/** Readable failure text for `expect(…).toEqual([])`. */
export function describeAxe(findings: AxeFinding[]): string {
  return findings.map((f) => `${f.impact} ${f.id}: ${f.help} at ${f.targets.slice(0, 5).join(', ')}`).join('\n');
}

/** Fails the test on any serious or critical violation on the page (or under `selector`). */
export async function expectNoSeriousAxe(page: Page, selector?: string): Promise<void> {
  const findings = await seriousAxeViolations(page, selector);
  expect(findings, describeAxe(findings)).toEqual([]);
}

/**
 * Serious and critical violations in light and in dark mode (the app follows prefers-color-scheme),
 * each finding labelled with its scheme; the page is left in light mode.
 */
export async function seriousAxeViolationsBothSchemes(page: Page, selector?: string): Promise<AxeFinding[]> {
  const found: AxeFinding[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const f of await seriousAxeViolations(page, selector))
      found.push({ ...f, help: `[${colorScheme}] ${f.help}` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

/** Fails the test on any serious or critical violation in either scheme; `what` names the view. */
export async function expectNoSeriousAxeBothSchemes(page: Page, what: string, selector?: string): Promise<void> {
  const found = await seriousAxeViolationsBothSchemes(page, selector);
  expect(found, `${what}:\n${describeAxe(found)}`).toEqual([]);
}
