#!/usr/bin/env node
// The `vault-token-desk` command (package.json "bin"). Plain CommonJS so that `node` runs it without a
// loader; the CLI itself is the bundle out/cli/index.js (electron/cli/vite.config.mts), which `npm install`
// builds (the "prepare" script). The installed desktop app runs the same bundle in its own runtime
// (electron/shell/cli-mode.ts and build/cli/).
'use strict';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

const bundle = join(__dirname, '..', '..', 'out', 'cli', 'index.js');

function firstLine(error) {
  const text = error && error.message ? String(error.message) : String(error);
  return text.split('\n')[0];
}

// better-sqlite3 and @napi-rs/keyring are Node-API 10 addons: Node 22.14 or later (older Node crashes on them).
if (!(Number(process.versions.napi) >= 10)) {
  process.stderr.write(`vault-token-desk: needs Node.js 22.14 or later (this is ${process.version}).\n`);
  process.exit(1);
}

if (!existsSync(bundle)) {
  process.stderr.write(
    'vault-token-desk: the command line is missing from this checkout; run `npm install` (or `npm run build:cli`) in it.\n',
  );
  process.exit(1);
}

// V8's compile cache (Node 22.1+): later runs skip compiling the bundle, about a third of a cold
// start (issue 14: a cron job starts the CLI cold every time). Stored in the OS temp folder.
require('node:module').enableCompileCache?.();

let cli;
try {
  cli = require(bundle);
} catch (error) {
  // Typically a native module (better-sqlite3, @napi-rs/keyring) missing for this platform.
  process.stderr.write(`vault-token-desk: cannot load the command line: ${firstLine(error)}\n`);
  process.exit(1);
}

cli.runAsCommand(process.argv.slice(2), (code) => process.exit(code));
