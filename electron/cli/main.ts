/**
 * Entry of the `vault-token-desk` command line (bundled into out/cli/index.js;
 * electron/cli/bin.cjs calls `run`). It builds the same app context as the
 * Electron app — same data directory, same SQLite file, same OS keychain
 * items — and calls the same service methods through the contract schemas.
 */
import { createAppContext, type AppContext } from '../app/app-context';
import { resolveDataDir } from '../paths';
import { KeyringSecretStore } from '../secrets/keyring-store';
import { createLogger, silentLogger, type Logger } from '../log';
import type { EventEmitterFn } from '../app/events';
import { parseCommandLine } from './args';
import { CliError, describeFailure, EXIT, type ExitCode, oneLine, UsageError } from './errors';
import { palette } from './format';
import { colourEnabled, processIO, type CliIO } from './io';
import { ImportProgressReporter, SyncProgressReporter } from './progress';
import { RotationProgressReporter } from './rotation-progress';
import type { RotationProgress } from '../../shared/contract/rotation';
import type { Runtime } from './runtime';
import { usageHint } from './usage';
import { createHttpsFetch } from './https-fetch';
import { openBrowser } from './browser';
import type { SsoProgressEvent } from '../../shared/contract/connections';

/** Single sign-on prompts on stderr: the address in case the browser did not open, or the device code. */
function ssoProgressText(p: SsoProgressEvent): string {
  if (p.stage === 'browser')
    return `Sign in with your browser. If it did not open, visit:\n  ${p.url}\nWaiting up to 5 minutes…\n`;
  if (p.stage === 'device')
    return `To sign in, open ${p.verificationUri} on any device and enter the code:\n  ${p.userCode}\nWaiting for approval…\n`;
  return '';
}

declare const __VTD_VERSION__: string | undefined;

export const VERSION: string = typeof __VTD_VERSION__ === 'string' ? __VTD_VERSION__ : '0.0.0-dev';

/** Logs only with VAULT_TOKEN_DESK_LOG=debug: JSON lines on stderr, redacted by electron/log.ts. */
export function cliLogger(io: CliIO): Logger {
  if (io.env.VAULT_TOKEN_DESK_LOG?.trim().toLowerCase() !== 'debug') return silentLogger;
  return createLogger(
    (record) => {
      io.stderr.write(`${JSON.stringify(record)}\n`);
    },
    'debug',
    { component: 'cli' },
  );
}

export interface RunOptions {
  /** For in-process tests: an app context factory instead of the real one (real keychain, Node fetch). */
  createContext?: (dataDir: string, emit: EventEmitterFn, logger: Logger) => AppContext;
}

export async function run(
  argv: readonly string[],
  io: CliIO = processIO(),
  options: RunOptions = {},
): Promise<ExitCode> {
  const logger = cliLogger(io);
  const errPaint = palette(colourEnabled(io.stderr, io.env));
  const fail = (message: string): void => {
    io.stderr.write(`${errPaint.red('error:')} ${message}\n`);
  };

  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      fail(oneLine(error.message));
      io.stderr.write(`${usageHint(error.command)}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(parsed.text);
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }

  const { spec } = parsed;
  const dataDir = resolveDataDir({
    ...(parsed.dataDir !== undefined ? { explicit: parsed.dataDir } : {}),
    env: io.env,
  });
  const progress = new SyncProgressReporter(io.stderr, errPaint);
  const importProgress = new ImportProgressReporter(io.stderr);
  const rotationProgress = new RotationProgressReporter(io.stderr);
  const emit: EventEmitterFn = (event, payload) => {
    if (event === 'sync:progress') progress.onProgress(payload as Parameters<SyncProgressReporter['onProgress']>[0]);
    else if (event === 'import:progress')
      importProgress.onProgress(payload as Parameters<ImportProgressReporter['onProgress']>[0]);
    else if (event === 'app:notice') io.stderr.write(`note: ${oneLine((payload as { message: string }).message)}\n`);
    else if (event === 'connections:sso-progress') io.stderr.write(ssoProgressText(payload as SsoProgressEvent));
    else if (event === 'tokens:rotate-progress') rotationProgress.onProgress(payload as RotationProgress);
  };
  let context: AppContext | null = null;
  const rt: Runtime = {
    command: spec.name,
    io,
    json: parsed.json,
    dataDir,
    values: parsed.values,
    positionals: parsed.positionals,
    paint: { out: palette(colourEnabled(io.stdout, io.env)), err: errPaint },
    progress,
    importProgress,
    out: (text) => {
      io.stdout.write(text);
    },
    note: (text) => {
      io.stderr.write(`${text}\n`);
    },
    now: io.now,
    ctx: () => {
      context ??= options.createContext
        ? options.createContext(dataDir, emit, logger)
        : createAppContext({
            dataDir,
            version: VERSION,
            secrets: new KeyringSecretStore(),
            logger,
            fetch: createHttpsFetch(),
            emit,
            // `token reveal` is typed by the person at the terminal, who is the one asking: no gate.
            revealGate: async () => true,
            openExternal: openBrowser(io.env),
            env: io.env,
          });
      return context;
    },
  };

  logger.debug('cli command', { command: spec.name, dataDir, json: parsed.json });
  try {
    return await spec.run(rt);
  } catch (error) {
    progress.finish();
    importProgress.finish();
    if (error instanceof UsageError) {
      fail(oneLine(error.message));
      io.stderr.write(`${usageHint(error.command ?? spec.name)}\n`);
      return EXIT.usage;
    }
    if (!(error instanceof CliError)) logger.debug('command failed', { command: spec.name, error });
    fail(describeFailure(error));
    return error instanceof CliError ? error.exitCode : EXIT.failure;
  } finally {
    if (context) await (context as AppContext).close().catch(() => undefined);
  }
}

/**
 * Runs the command as a whole process: electron/cli/bin.cjs under Node, and the installed app's main
 * process under Electron (electron/shell/cli-mode.ts). `exit` is process.exit or app.exit.
 */
export function runAsCommand(argv: readonly string[], exit: (code: number) => void): Promise<void> {
  // `vault-token-desk token list | head` closes the pipe early: finish the command quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  // The command has finished (database closed, Vault sessions ended): once stdout and stderr have
  // drained, leave without waiting for idle keep-alive sockets to time out.
  const exitWith = (code: number) => {
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => exit(code)));
  };
  return run(argv).then(exitWith, (error: unknown) => {
    process.stderr.write(
      `error: unexpected failure: ${oneLine(error instanceof Error ? error.message : String(error))}\n`,
    );
    exitWith(EXIT.failure);
  });
}
