/**
 * `npm run bench`: every benchmark, as one Markdown table for the README,
 * with the machine it ran on. Medians of several runs; nothing here is a
 * pass/fail test (targets are printed beside the numbers).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { benchInventoryQuery } from './inventory-query';
import { benchSync } from './sync';
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

async function main(): Promise<void> {
  const rows: Row[] = [];
  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${chromiumVersion()}, load ${loadavg()[0]!.toFixed(1)} at start`;

  for (const r of await benchInventoryQuery()) {
    const target = r.name.startsWith('text + status') ? '< 20 ms median' : '';
    rows.push({
      benchmark: `SQLite: ${r.name}`,
      result: r.runs
        ? `${r.medianMs.toFixed(1)} ms median, ${r.p95Ms.toFixed(1)} ms p95 (${r.runs} runs)${r.note ? `; ${r.note}` : ''}`
        : (r.note ?? ''),
      target,
    });
  }

  if (chromiumAvailable) {
    for (const r of await benchUi()) {
      rows.push({
        benchmark: r.name,
        result: r.runs ? `${r.medianMs} ms median, ${r.p95Ms} ms p95 (${r.runs} runs)` : (r.note ?? ''),
        target: r.runs ? (r.note ?? '') : '',
      });
    }
  } else {
    rows.push({ benchmark: 'Chromium benchmarks', result: `skipped: no Chromium at ${CHROMIUM_PATH}`, target: '' });
  }

  for (const r of await benchSync()) {
    const target =
      r.connections === 40
        ? '< 2000 ms'
        : `< ${r.floorMs} ms (1.5 × ⌈${r.connections}/${r.concurrency}⌉ × ${r.requestsPerConnection} requests × 100 ms)`;
    rows.push({
      benchmark: r.name,
      result: `${r.medianMs} ms median (${r.runs} runs, concurrency ${r.concurrency}, ${r.requestsPerConnection} requests per connection)`,
      target,
    });
  }

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
