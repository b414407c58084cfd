#!/usr/bin/env node
// The `vault-token-desk` command (package.json "bin"). Plain CommonJS so that
// `node` 20+ runs it without a loader; the CLI itself is the bundle that
// `npm run build` writes to out/cli/index.js (electron/cli/vite.config.mts).
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', '..', 'out', 'cli', 'index.js');

function firstLine(error) {
  const text = error && error.message ? String(error.message) : String(error);
  return text.split('\n')[0];
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write(`vault-token-desk: needs Node.js 20 or later (this is ${process.version}).\n`);
  process.exit(1);
}

if (!existsSync(bundle)) {
  process.stderr.write(
    'vault-token-desk: the command line is not built yet; run `npm run build` in the Vault Token Desk checkout first.\n',
  );
  process.exit(1);
}

let cli;
try {
  cli = require(bundle);
} catch (error) {
  // Typically a native module (better-sqlite3, @napi-rs/keyring) built for another runtime.
  process.stderr.write(`vault-token-desk: cannot load the command line: ${firstLine(error)}\n`);
  process.exit(1);
}

// `vault-token-desk token list | head` closes the pipe early: finish the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (!error || error.code !== 'EPIPE') throw error;
  });
}

// The command has finished (database closed, Vault sessions ended): once stdout and
// stderr have drained, leave without waiting for idle keep-alive sockets to time out.
function exitWith(code) {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

cli.run(process.argv.slice(2)).then(exitWith, (error) => {
  process.stderr.write(`error: unexpected failure: ${firstLine(error)}\n`);
  exitWith(1);
});
