/**
 * The inventory screen in Debian's Chromium against the real service (real SQLite with 100,000
 * tokens across 500 connections, the real handler table, the real preload through
 * test/helpers/app-harness.ts, the built renderer in out/renderer):
 *
 *  - open: a cold page load of `index.html#/inventory` (new document, HTTP cache off), from
 *    navigation start (performance.timeOrigin) to the frame that paints the first grid rows;
 *  - keystroke: one real key press in the search box (CDP key events, as a person types), from the
 *    keydown event's timestamp to the frame that paints the rows of the new search; 1-, 2- and
 *    3+-character searches, no match, match everything, and Backspace.
 *
 * "Painted" is the first task after the requestAnimationFrame that follows the DOM commit: the
 * frame with the new rows has been produced by then. A keystroke only counts once the grid shows
 * exactly the rows the service returns for that search (ids by row index, and the count in the
 * heading), or the "No tokens match" state: every case is chosen so that it differs from what
 * was on screen before the key, and the bench checks that. Playwright's round trips are outside
 * every measured interval (all times are taken in the page).
 *
 *   npx tsx test/bench/ui.ts     # prints a table; VTD_BENCH_DETAIL=1 adds every sample
 *
 * And the Reminders screen (issue 13 item 6) on its own database of 3,200 tokens across 40
 * connections (buildReminderInventory): a cold load of `index.html#/reminders`, navigation start
 * to the frame that paints the first reminder rows (the same `[data-row-id]` instrumentation).
 *
 *   VTD_BENCH_ONLY=reminders npx tsx test/bench/ui.ts     # only the Reminders measurement
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { openDatabase } from '../../electron/store/database';
import { databasePath } from '../../electron/paths';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import type { InventoryQuery } from '../../shared/tokens';
import { startHarness, type Harness } from '../helpers/app-harness';
import { tempDir } from '../helpers/temp-dir';
import { buildInventory } from './inventory-query';
import { ConnectionsRepo } from '../../electron/connections/connections-repo';
import { TokensRepo } from '../../electron/tokens/tokens-repo';
import { planSync } from '../../electron/tokens/reconcile';
import type { Db } from '../../electron/store/database';
import type { VaultTokenRow } from '../../electron/vault/types';
import { mulberry32 } from '../helpers/fuzz-payloads';

export interface UiBenchResult {
  name: string;
  medianMs: number;
  p95Ms: number;
  runs: number;
  target?: string;
  note?: string;
}

const OPEN_RUNS = 30;
const OPEN_WARMUP = 1;
/** Pause between keystrokes once the previous answer is painted, about a person's typing gap. */
const TYPING_GAP_MS = 250;
/**
 * The first rows in the inventory's default order (renderer/src/screens/InventoryScreen.tsx): more
 * than the grid draws, so every row on screen can be checked against them by index.
 */
const FIRST_ROWS: InventoryQuery = { sort: { column: 'expiresAt', direction: 'asc' }, offset: 0, limit: 100 };

/**
 * [text already in the box, key pressed]. 1- and 2-character searches and those matching every row
 * ("v" and "veevavault.com": every Vault's DNS has them) are the costly shapes for a query layer
 * built on a trigram index (which answers 3+ characters); Backspace widens a search.
 */
export const KEYSTROKES: [before: string, key: string][] = [
  // 1 character
  ['', 's'],
  ['', 'n'],
  ['', 'j'],
  ['', 'w'],
  ['', 'k'],
  ['', 'b'],
  ['', 'q'],
  // 2 characters
  ['s', 'a'],
  ['r', 'i'],
  ['j', 'e'],
  ['w', 'a'],
  ['b', 'o'],
  ['m', 'u'],
  ['c', 'i'],
  // 3+ characters
  ['sa', 'l'],
  ['et', 'l'],
  ['jen', 'k'],
  ['tab', 'l'],
  ['snow', 'f'],
  ['mul', 'e'],
  ['au', 'd'],
  ['bo', 'o'],
  ['py', 't'],
  ['in', 't'],
  ['salesforce sync ', '1'],
  ['etl nightly load 3', '9'],
  // no match
  ['etl', 'q'],
  ['ci ', 'p'],
  ['qx', 'z'],
  ['salesforce', 'x'],
  ['jenkins deplo', 'w'],
  // match everything
  ['vq', 'Backspace'],
  ['vx', 'Backspace'],
  ['veevavault.comq', 'Backspace'],
  ['veevavault.comz', 'Backspace'],
  // Backspace to a shorter search
  ['sal', 'Backspace'],
  ['etl n', 'Backspace'],
  ['mulex', 'Backspace'],
  ['boomi process 1x', 'Backspace'],
];

/** What the grid must show once it has answered a search. */
interface Expected {
  total: number;
  /** Row ids of the first page, by row index. */
  ids: number[];
}

// In-page code is passed as source text: the TypeScript loaders wrap functions in helpers that do
// not exist inside the page. Installed before any app script on every document of the page.
export const PAGE_INSTRUMENTATION = `(() => {
  const bench = (window.__vtdBench = { rowsCommittedAt: null, rowsPaintedAt: null, keystroke: null });
  performance.setResourceTimingBufferSize(100000);
  // Main-thread tasks of 50 ms or more (for the detail printout: what held the first rows up).
  bench.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]);
  }).observe({ type: 'longtask', buffered: true });
  // The first task after the next frame: that frame (with the DOM as it is now) has been produced.
  const afterNextPaint = (done) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => done(performance.now());
      channel.port2.postMessage(null);
    });
  bench.afterNextPaint = afterNextPaint;
  const firstRows = new MutationObserver(() => {
    if (bench.rowsCommittedAt !== null || !document.querySelector('[data-row-id]')) return;
    bench.rowsCommittedAt = performance.now();
    firstRows.disconnect();
    afterNextPaint((t) => (bench.rowsPaintedAt = t));
  });
  firstRows.observe(document, { childList: true, subtree: true });

  // Does the grid show exactly this answer?
  bench.shows = (expected) => {
    const heading = document.querySelector('#inventory-title + p');
    if (expected.total === 0) {
      return !document.querySelector('[data-row-id]') &&
        [...document.querySelectorAll('.empty h2')].some((h) => h.textContent === 'No tokens match');
    }
    const count = new Intl.NumberFormat('en').format(expected.total);
    if (!heading || !(heading.textContent || '').startsWith(count + ' token')) return false;
    const rows = document.querySelectorAll('[data-row-id]');
    if (rows.length < Math.min(expected.total, 10)) return false;
    for (const row of rows) {
      const index = Number(row.getAttribute('aria-rowindex')) - 2;
      if (index < expected.ids.length && Number(row.getAttribute('data-row-id')) !== expected.ids[index]) return false;
    }
    return true;
  };

  // Arms one keystroke measurement: keydown's timestamp to the paint of the expected answer.
  bench.armKeystroke = (expected) => {
    const input = document.querySelector('#inventory-search');
    let keyAt = null;
    bench.keystroke = new Promise((resolve, reject) => {
      const onKey = (e) => {
        if (keyAt === null) keyAt = e.timeStamp;
      };
      input.addEventListener('keydown', onKey, { capture: true });
      const observer = new MutationObserver(() => {
        if (keyAt === null || !bench.shows(expected)) return;
        observer.disconnect();
        clearTimeout(timer);
        input.removeEventListener('keydown', onKey, { capture: true });
        const committedAt = performance.now();
        const queries = performance
          .getEntriesByType('resource')
          .filter((r) => r.name.endsWith('/tokens%3Aquery') && r.startTime >= keyAt)
          .map((r) => ({ start: r.startTime - keyAt, end: r.responseEnd - keyAt }));
        afterNextPaint((paintedAt) => resolve({ keyAt, committedAt, paintedAt, queries }));
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error('the grid never showed the expected rows'));
      }, 10000);
    });
  };
})();`;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  // Nearest rank: the smallest sample with at least q of all samples at or below it.
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

function stats(name: string, samples: number[], target: string): UiBenchResult {
  return {
    name,
    medianMs: round(quantile(samples, 0.5)),
    p95Ms: round(quantile(samples, 0.95)),
    runs: samples.length,
    target,
  };
}

async function expectedFor(h: Harness, search: string): Promise<Expected> {
  const page = await h.ctx.service.queryTokens({ ...FIRST_ROWS, search: search.trim() || undefined });
  return { total: page.total, ids: page.rows.map((r) => r.rowId) };
}

function sameAnswer(a: Expected, b: Expected): boolean {
  return a.total === b.total && a.ids.slice(0, 40).join() === b.ids.slice(0, 40).join();
}

interface KeystrokeSample {
  keyAt: number;
  committedAt: number;
  paintedAt: number;
  /** tokens:query calls since the key, ms from the key. */
  queries: { start: number; end: number }[];
}

interface OpenSample {
  painted: number;
  committed: number;
  /** When each bridged call went out and came back, by channel (ms from navigation start). */
  calls: { channel: string; start: number; end: number }[];
  scriptEnd: number;
  domContentLoaded: number;
  /** [start, duration] of main-thread tasks ≥ 50 ms before the rows were painted. */
  longTasks: [number, number][];
}

/**
 * Resolves once `condition` (page source text) is true, checked every 50 ms in the page. Not
 * page.waitForFunction: with a string it compiles the text in the page, which the app's CSP forbids.
 */
async function waitInPage(page: Page, condition: string, timeoutMs: number): Promise<void> {
  await page.evaluate(`new Promise((resolve, reject) => {
    const until = performance.now() + ${timeoutMs};
    const check = () => {
      if (${condition}) resolve();
      else if (performance.now() > until) reject(new Error('timed out waiting for: ' + ${JSON.stringify(condition)}));
      else setTimeout(check, 50);
    };
    check();
  })`);
}

async function openOnce(page: Page, url: string): Promise<OpenSample> {
  await page.goto('about:blank');
  await page.goto(url);
  await waitInPage(page, 'window.__vtdBench && window.__vtdBench.rowsPaintedAt !== null', 30_000);
  return page.evaluate<OpenSample>(`(() => {
    const b = window.__vtdBench;
    const resources = performance.getEntriesByType('resource');
    const nav = performance.getEntriesByType('navigation')[0];
    const script = resources.find((r) => r.initiatorType === 'script' && r.name.endsWith('.js'));
    return {
      painted: b.rowsPaintedAt,
      committed: b.rowsCommittedAt,
      scriptEnd: script ? script.responseEnd : 0,
      domContentLoaded: nav ? nav.domContentLoadedEventEnd : 0,
      longTasks: b.longTasks.filter(([start]) => start < b.rowsPaintedAt),
      calls: resources
        .filter((r) => r.name.includes('/__vault-desk/invoke/') && r.startTime < b.rowsCommittedAt)
        .map((r) => ({ channel: decodeURIComponent(r.name.split('/').pop()), start: r.startTime, end: r.responseEnd })),
    };
  })()`);
}

function median(values: number[]): number {
  return values.length ? quantile(values, 0.5) : NaN;
}

/** Median milestones of the open runs, for the report: where the time before the first rows goes. */
function openBreakdown(samples: OpenSample[]): string {
  const channels = [...new Set(samples.flatMap((s) => s.calls.map((c) => c.channel)))];
  const parts = [
    `script loaded ${median(samples.map((s) => s.scriptEnd)).toFixed(0)}`,
    `DOMContentLoaded ${median(samples.map((s) => s.domContentLoaded)).toFixed(0)}`,
    ...channels.map((ch) => {
      const calls = samples.flatMap((s) => s.calls.filter((c) => c.channel === ch));
      return `${ch} ${median(calls.map((c) => c.start)).toFixed(0)}→${median(calls.map((c) => c.end)).toFixed(0)}`;
    }),
    `rows in DOM ${median(samples.map((s) => s.committed)).toFixed(0)}`,
    `painted ${median(samples.map((s) => s.painted)).toFixed(0)}`,
  ];
  return `medians, ms from navigation start: ${parts.join(', ')}`;
}

export async function benchUi(): Promise<UiBenchResult[]> {
  if (process.env.VTD_BENCH_ONLY === 'reminders') return benchReminders();
  return [...(await benchInventoryUi()), ...(await benchReminders())];
}

async function benchInventoryUi(): Promise<UiBenchResult[]> {
  const detail = Boolean(process.env.VTD_BENCH_DETAIL);
  const dir = tempDir('vtd-uibench-');
  const db = openDatabase(databasePath(dir.path));
  buildInventory(db, new Date());
  db.close();
  const h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
  try {
    const { page } = h;
    await page.addInitScript({ content: PAGE_INSTRUMENTATION });
    // Cold loads: every load fetches the HTML, script and stylesheet again.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const url = `${h.origin}/index.html#/inventory`;
    const firstPage = await expectedFor(h, '');
    const cases = await Promise.all(
      KEYSTROKES.map(async ([before, key]) => {
        const after = key === 'Backspace' ? before.slice(0, -1) : before + key;
        const [was, want] = await Promise.all([expectedFor(h, before), expectedFor(h, after)]);
        if (sameAnswer(was, want)) throw new Error(`"${before}" and "${after}" show the same rows: not measurable`);
        return { before, key, after, was, want };
      }),
    );

    // (a) Opening the inventory: a cold load, navigation start to the first rows painted.
    const loadBefore = loadavg()[0]!;
    const openSamples: OpenSample[] = [];
    for (let i = 0; i < OPEN_WARMUP + OPEN_RUNS; i++) {
      const sample = await openOnce(page, url);
      if (i >= OPEN_WARMUP) openSamples.push(sample);
    }
    if (!(await page.evaluate<boolean>(`window.__vtdBench.shows(${JSON.stringify(firstPage)})`))) {
      throw new Error('the inventory opened on other rows than the service returns for the first page');
    }
    const open = openSamples.map((s) => s.painted);

    // (b) A keystroke in search: the text before is filled and answered first (not timed).
    const search = page.locator('#inventory-search');
    const keystroke: number[] = [];
    /** tokens:query round trips (main's part of each keystroke). */
    const answers: number[] = [];
    const lines: string[] = [];
    for (const { before, key, after, was, want } of cases) {
      await search.fill(before);
      await waitInPage(page, `window.__vtdBench.shows(${JSON.stringify(was)})`, 10_000);
      await page.waitForTimeout(TYPING_GAP_MS);
      await page.evaluate(`window.__vtdBench.armKeystroke(${JSON.stringify(want)})`);
      await page.keyboard.press(key);
      const t = await page.evaluate<KeystrokeSample>('window.__vtdBench.keystroke');
      keystroke.push(t.paintedAt - t.keyAt);
      const answer = t.queries[t.queries.length - 1];
      if (answer) answers.push(answer.end - answer.start);
      const calls = t.queries.map((q) => `${q.start.toFixed(0)}→${q.end.toFixed(0)}`).join(' ');
      lines.push(
        `${JSON.stringify(after).padEnd(22)} ${String(want.total).padStart(6)} rows ${(t.paintedAt - t.keyAt).toFixed(1).padStart(6)} ms; in DOM ${(t.committedAt - t.keyAt).toFixed(1)}; tokens:query ${calls}`,
      );
    }
    await search.fill('');
    const loadAfter = loadavg()[0]!;

    if (detail) {
      console.log(
        `open (ms, sorted): ${[...open]
          .sort((a, b) => a - b)
          .map((x) => x.toFixed(0))
          .join(' ')}`,
      );
      console.log(openBreakdown(openSamples));
      for (const s of [...openSamples].sort((a, b) => a.painted - b.painted)) {
        const calls = s.calls.map((c) => `${c.channel} ${c.start.toFixed(0)}→${c.end.toFixed(0)}`).join(', ');
        const long = s.longTasks.map(([start, d]) => `${start}+${d}`).join(' ');
        console.log(
          `  painted ${s.painted.toFixed(0)}: script ${s.scriptEnd.toFixed(0)}, DCL ${s.domContentLoaded.toFixed(0)}, ${calls}, rows in DOM ${s.committed.toFixed(0)}; long tasks ${long || 'none'}`,
        );
      }
      console.log(`keystrokes:\n${lines.join('\n')}`);
    }

    const heap = await page.evaluate<number>('performance.memory ? performance.memory.usedJSHeapSize : 0');
    const load = `load ${loadBefore.toFixed(1)}→${loadAfter.toFixed(1)}`;
    return [
      {
        ...stats(
          `open inventory → first rows painted (cold load, ${firstPage.total.toLocaleString('en-US')} rows)`,
          open,
          '< 300 ms p95',
        ),
        note: `${load}; ${openBreakdown(openSamples)}`,
      },
      {
        ...stats('keystroke in search → filtered rows painted', keystroke, '< 50 ms p95'),
        note: `${load}; 1-, 2-, 3+-character, no-match, match-all and Backspace cases; of which tokens:query round trip ${round(quantile(answers, 0.5))} ms median, ${round(quantile(answers, 0.95))} ms p95`,
      },
      {
        name: 'renderer JS heap after the runs',
        medianMs: 0,
        p95Ms: 0,
        runs: 0,
        note: `${Math.round(heap / 1048576)} MB`,
      },
      {
        name: 'peak RSS of the UI benchmark process (it builds the 100,000-row database and serves Chromium; not the app)',
        medianMs: 0,
        p95Ms: 0,
        runs: 0,
        note: `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
      },
    ];
  } finally {
    await h.close().catch(() => undefined);
    dir.cleanup();
  }
}

const DAY_MS = 86_400_000;
const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Hooli',
];
const APPS = ['PromoMats', 'QualityDocs', 'RIM', 'Safety'];
const ENVS = ['Prod', 'UAT', 'Sandbox', 'Validation'];
const FIRST_NAMES = ['Ana', 'Ben', 'Chloé', 'Dev', 'Emma', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST_NAMES = ['Okafor', 'Schmidt', 'Rossi', 'Nakamura', 'Dubois', 'Silva', 'Kowalski', 'Haddad'];
const PURPOSES = [
  'ETL nightly load',
  'Salesforce sync',
  'CI pipeline',
  'Tableau extract',
  'Boomi process',
  'Argus feed',
];

export interface ReminderInventory {
  connections: { id: string; name: string; dns: string }[];
  tokens: number;
}

/**
 * A consultant's inventory for the Reminders screen (issue 13): `connections` Vaults named as
 * clients name them ("Acme PromoMats Prod"), `perConnection` active tokens each with owners by
 * name, expiries from 60 days ago to 365 days ahead (about one in seven already expired).
 * Deterministic (seeded), written through the app's own repos.
 */
export function buildReminderInventory(
  db: Db,
  now: Date,
  options: { connections?: number; perConnection?: number; seed?: number } = {},
): ReminderInventory {
  const r = mulberry32(options.seed ?? 13);
  const count = options.connections ?? 40;
  const perConnection = options.perConnection ?? 80;
  const connections = new ConnectionsRepo(db);
  const repo = new TokensRepo(db, { timeZone: 'UTC' });
  const nowIso = now.toISOString();
  const out: ReminderInventory = { connections: [], tokens: 0 };
  db.transaction(() => {
    for (let c = 0; c < count; c++) {
      const company = COMPANIES[c % COMPANIES.length]!;
      const app = APPS[Math.floor(c / COMPANIES.length) % APPS.length]!;
      const env = ENVS[c % ENVS.length]!;
      const name = `${company} ${app} ${env}${c >= COMPANIES.length * APPS.length ? ` ${c}` : ''}`;
      const dns = `${company.toLowerCase()}-${app.toLowerCase()}-${env.toLowerCase()}-${c}.veevavault.com`;
      const id = `conn-${String(c).padStart(3, '0')}`;
      connections.insert(
        {
          id,
          name,
          dns,
          apiVersion: 'v26.2',
          username: `integration@${company.toLowerCase()}.com`,
          authMethod: 'password',
          clientId: 'vault-token-desk',
          secretStored: false,
        },
        nowIso,
      );
      const users = Array.from({ length: 6 }, (_, i) => ({
        id: String(200_000 + c * 10 + i),
        name: `${FIRST_NAMES[(c + i) % FIRST_NAMES.length]} ${LAST_NAMES[(c * 3 + i) % LAST_NAMES.length]}`,
      }));
      const remote: VaultTokenRow[] = Array.from({ length: perConnection }, (_, t) => ({
        id: `0PI${String(c).padStart(3, '0')}${String(t).padStart(6, '0')}`,
        name: `${PURPOSES[Math.floor(r() * PURPOSES.length)]} ${t + 1}`,
        userId: users[Math.floor(r() * users.length)]!.id,
        status: 'active__v',
        expiryDate: new Date(now.getTime() + Math.floor((r() * 425 - 60) * DAY_MS)).toISOString(),
        lastUsedDate: null,
        createdDate: new Date(now.getTime() - 200 * DAY_MS).toISOString(),
      }));
      const plan = planSync([], remote, { seesAllTokens: true, loginUserId: users[0]!.id, syncedAt: nowIso });
      repo.applySync(
        { id, name, dns, vaultId: 50_000 + c, userNames: Object.fromEntries(users.map((u) => [u.id, u.name])) },
        plan,
        nowIso,
      );
      out.connections.push({ id, name, dns });
      out.tokens += perConnection;
    }
  })();
  return out;
}

const REMINDER_OPEN_RUNS = 20;

/** Opening Reminders with 3,200 tokens: cold load to the first reminder rows painted (target < 300 ms). */
export async function benchReminders(): Promise<UiBenchResult[]> {
  const detail = Boolean(process.env.VTD_BENCH_DETAIL);
  const dir = tempDir('vtd-remindersbench-');
  const db = openDatabase(databasePath(dir.path));
  const seeded = buildReminderInventory(db, new Date());
  db.close();
  const h = await startHarness({ dataDir: dir.path, secrets: new MemorySecretStore() });
  try {
    const { page } = h;
    await page.addInitScript({ content: PAGE_INSTRUMENTATION });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const url = `${h.origin}/index.html#/reminders`;
    const upcoming = await h.ctx.service.listUpcomingReminders({ days: 90, weekStartsOn: 1 });
    const listed = upcoming.expired.length + upcoming.weeks.reduce((n, w) => n + w.tokens.length, 0);
    const loadBefore = loadavg()[0]!;
    const samples: OpenSample[] = [];
    for (let i = 0; i < OPEN_WARMUP + REMINDER_OPEN_RUNS; i++) {
      const sample = await openOnce(page, url);
      if (i >= OPEN_WARMUP) samples.push(sample);
    }
    const drawn = await page.evaluate<number>(`document.querySelectorAll('[data-row-id]').length`);
    const loadAfter = loadavg()[0]!;
    const open = samples.map((s) => s.painted);
    if (detail) {
      console.log(
        `reminders open (ms, sorted): ${[...open]
          .sort((a, b) => a - b)
          .map((x) => x.toFixed(0))
          .join(' ')}`,
      );
      console.log(openBreakdown(samples));
    }
    return [
      {
        ...stats(
          `open Reminders → first rows painted (cold load, ${seeded.tokens.toLocaleString('en-US')} tokens, ${seeded.connections.length} Vaults)`,
          open,
          '< 300 ms p95',
        ),
        note: `load ${loadBefore.toFixed(1)}→${loadAfter.toFixed(1)}; ${listed.toLocaleString('en-US')} tokens in the 90-day list (${upcoming.expired.length} expired, collapsed), ${drawn} token rows in the DOM; ${openBreakdown(samples)}`,
      },
    ];
  } finally {
    await h.close().catch(() => undefined);
    dir.cleanup();
  }
}

if (require.main === module) {
  void benchUi().then((rows) => console.table(rows.map(({ note: _note, ...r }) => r)));
}
