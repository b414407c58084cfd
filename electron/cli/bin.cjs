#!/usr/bin/env node
// The `vault-token-desk` command (package.json "bin"). Plain CommonJS so that
// `node` 20+ runs it without a loader; the CLI itself is the bundle that
// `npm run build` writes to out/cli/index.js (electron/cli/vite.config.mts).
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', '..', 'out', 'cli', 'index.js');

if (!existsSync(bundle)) {
  process.stderr.write('vault-token-desk: the command line is not built yet; run `npm run build` in the Vault Token Desk checkout first.\n');
  process.exit(1);
}

const { run } = require(bundle);

// The command has finished (database closed, Vault sessions ended): once stdout and
// stderr have drained, leave without waiting for idle keep-alive sockets to time out.
function exitWith(code) {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

run(process.argv.slice(2)).then(exitWith, (error) => {
  const message = error && error.message ? String(error.message).split('\n')[0] : String(error);
  process.stderr.write(`error: unexpected failure: ${message}\n`);
  exitWith(1);
});
