/**
 * `npm run bench`: every benchmark, as one Markdown table for the README,
 * with the machine it ran on. Medians of several runs; nothing here is a
 * pass/fail test (targets are printed beside the numbers).
 *
 * VTD_BENCH_ONLY=NAME[,NAME…] runs only those: inventory, ui (or reminders, which ui.ts narrows to its
 * Reminders measurement), cli-sync, cli-discover, cli-rotate. The 2-core machine is shared; a whole run
 * takes many minutes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { benchInventoryQuery } from './inventory-query';
import { benchWrites } from './writes';
import { benchCli } from './cli-sync';
import { benchCliDiscover, describeDiscover } from './cli-discover';
import { benchCliRotate, describeRotate } from './cli-rotate';
import { benchUi } from './ui';
import { CHROMIUM_PATH, chromiumAvailable } from '../helpers/chromium';

interface Row {
  benchmark: string;
  result: string;
  target: string;
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'not found';
  }
}

const BENCHMARKS = ['inventory', 'ui', 'cli-sync', 'cli-discover', 'cli-rotate'] as const;

/** The benchmarks VTD_BENCH_ONLY names (all without it); an unknown name is an error, not an empty table. */
function selected(): Set<string> {
  const only = process.env.VTD_BENCH_ONLY;
  if (!only) return new Set(BENCHMARKS);
  const names = only.split(',').map((n) => (n.trim() === 'reminders' ? 'ui' : n.trim()));
  const unknown = names.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
  if (unknown.length)
    throw new Error(`VTD_BENCH_ONLY: unknown ${unknown.join(', ')}; one of ${BENCHMARKS.join(', ')}, reminders`);
  return new Set(names);
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const run = selected();
  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${chromiumVersion()}, load ${loadavg()[0]!.toFixed(1)} at start`;

  // Issue 14, targets 5 and 7 (reads, memory) and 4 (writes); the targets are in the results.
  const inventory = run.has('inventory') ? [...(await benchInventoryQuery()), ...(await benchWrites())] : [];
  for (const r of inventory) {
    rows.push({
      benchmark: `Inventory: ${r.name}`,
      result: r.runs
        ? `${r.medianMs.toFixed(1)} ms median, ${r.p95Ms.toFixed(1)} ms p95 (${r.runs} runs)${r.note ? `; ${r.note}` : ''}`
        : (r.note ?? ''),
      target: r.target ?? '',
    });
  }

  if (run.has('ui') && chromiumAvailable) {
    for (const r of await benchUi()) {
      rows.push({
        benchmark: r.name,
        result: r.runs
          ? `${r.medianMs} ms median, ${r.p95Ms} ms p95 (${r.runs} runs)${r.note ? `; ${r.note}` : ''}`
          : (r.note ?? ''),
        target: r.target ?? '',
      });
    }
  } else if (run.has('ui')) {
    rows.push({ benchmark: 'Chromium benchmarks', result: `skipped: no Chromium at ${CHROMIUM_PATH}`, target: '' });
  }

  // Issue 14, targets 1–3: the CLI as people run it (a fresh process, real keychain, fake Vaults in
  // another process). The in-process sync figure left out process start, keychain and sign-in.
  const cli = run.has('cli-sync') ? await benchCli() : [];
  for (const r of cli) {
    const target =
      r.latencyMs > 0
        ? `< ${r.vaults <= 40 ? 1000 : 2000} ms; ≤ ${r.kind === 'first' ? 3 : 2} requests per Vault (+ ending the session)`
        : `< 5 ms CPU per connection`;
    rows.push({
      benchmark: r.name,
      result:
        `${r.medianMs} ms median (${r.runs} runs); CPU ${r.cpuMs} ms (${r.cpuPerConnectionMs} ms/connection); ` +
        `peak RSS ${r.maxRssMb} MB; ${r.requestsPerConnection} requests per Vault: ${r.requests.join(', ')}`,
      target,
    });
  }
  const cpuAt = (vaults: number) =>
    cli.find((r) => r.vaults === vaults && r.latencyMs === 0 && r.kind === 'later')?.cpuMs;
  const [small, large] = [cpuAt(40), cpuAt(200)];
  if (small !== undefined && large !== undefined)
    rows.push({
      benchmark: 'CLI token sync, CPU per added connection (later sync, 0 ms: 40 → 200 Vaults)',
      result: `${((large - small) / 160).toFixed(1)} ms per connection (the rest is the process's fixed cost)`,
      target: '< 5 ms',
    });

  // Issue 15's "Done when": one login, 12 Vaults, from an empty app to 12 synced connections.
  if (run.has('cli-discover'))
    for (const r of await benchCliDiscover())
      rows.push({ benchmark: r.name, result: describeDiscover(r), target: '< 60 s (issue 15)' });

  // Issue 16's "Done when": everything expiring within 14 days across 10 Vaults, each token verified.
  if (run.has('cli-rotate'))
    for (const r of await benchCliRotate())
      rows.push({ benchmark: r.name, result: describeRotate(r), target: 'every token done (issue 16)' });

  const table = [
    '| Benchmark | Result | Target |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.benchmark} | ${r.result} | ${r.target} |`),
  ].join('\n');
  const out = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.\n\n${table}\n`;
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench.md', out);
  console.log(out);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
