/**
 * A build of the `vault-token-desk` command of the crash-safety suite's own, in a temp directory:
 * the same vite config as `npm run build:cli`, written to DIR/out/cli/index.js next to a copy of
 * electron/cli/bin.cjs (DIR/electron/cli/bin.cjs finds it exactly as in the checkout) and a link
 * to node_modules for the two native addons. cli.test.ts builds out/cli in a parallel fork (vite
 * empties the directory first), so a shared bundle could vanish under a process being started.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI_BIN, CLI_VITE_CONFIG, CliRunner, ROOT, type CliResult, type CliRunOptions } from './cli-runner';

/** Builds the CLI under `dir` and returns the path of its bin.cjs. */
export async function buildPrivateCli(dir: string): Promise<string> {
  const bin = join(dir, 'electron', 'cli', 'bin.cjs');
  const bundle = join(dir, 'out', 'cli', 'index.js');
  mkdirSync(dirname(bin), { recursive: true });
  copyFileSync(CLI_BIN, bin);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '-c', CLI_VITE_CONFIG, '--outDir', dirname(bundle), '--logLevel', 'warn'];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ code: exitCode, output: Buffer.concat(chunks).toString('utf8') }));
  });
  if (code !== 0 || !existsSync(bundle)) throw new Error(`building the CLI failed (exit ${code}):\n${output}`);
  return bin;
}

/** A CliRunner that runs the private build. */
export class CrashCliRunner extends CliRunner {
  constructor(
    dataDir: string,
    readonly bin: string,
    env: Record<string, string | undefined> = {},
  ) {
    super(dataDir, env);
  }

  override run(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
    return super.run(args, { bin: this.bin, ...options });
  }
}
