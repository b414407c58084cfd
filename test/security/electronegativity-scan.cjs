#!/usr/bin/env node
// Runs Doyensec's Electronegativity on a staged copy of the app and writes what it found as JSON, for
// test/security/electronegativity.test.ts (SECURITY.md, "Electronegativity").
//
//   node test/security/electronegativity-scan.cjs <input dir> <electron version> <output.json>
//
// Plain CommonJS so that `node` runs it as a child process of the test: the scanner is CommonJS, prints to
// stdout, sets globals (i18n's `__`) and leaves timers behind, none of which should reach the test runner.
//
// No network. The scanner uses `got` twice: to fetch translations (i18n.js, every run) and to fetch
// Electron's release list (AvailableSecurityFixesGlobalCheck, which the caller excludes). Offline on Node 24
// the first crashes the process from a retry timer ("The `onCancel` handler was attached after the promise
// settled"), and online it would make the result depend on a download. So `got` is replaced by a stub that
// refuses every request and records its address; the scanner then uses its bundled en-US strings.
'use strict';

const Module = require('node:module');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

const [input, electronVersion, output] = process.argv.slice(2);
if (!input || !electronVersion || !output) {
  process.stderr.write('usage: electronegativity-scan.cjs <input dir> <electron version> <output.json>\n');
  process.exit(2);
}

const networkAttempts = [];
function refuse(url) {
  networkAttempts.push(String(url));
  return Promise.reject(new Error('network disabled for the Electronegativity test'));
}
const gotStub = Object.assign(refuse, { head: refuse, get: refuse, default: refuse });
const load = Module._load;
Module._load = function loadWithoutNetwork(request, ...rest) {
  if (request === 'got') return gotStub;
  return load.call(this, request, ...rest);
};

const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const dist = (path) => join(packageDir, 'dist', path);
const run = require(dist('runner.js'));
const { Parser, sourceTypes } = require(dist('parser'));
const scannerVersion = require(join(packageDir, 'package.json')).version;

// What the runner did with each file it listed: parsed it, skipped it (a type it has no parser for), or
// failed. The runner reports failures in `errors` too; this also shows the files it read successfully.
const files = [];
const parse = Parser.prototype.parse;
Parser.prototype.parse = function recordParse(filename, content) {
  const entry = { file: relative(input, filename), status: 'parsed' };
  files.push(entry);
  try {
    const result = parse.call(this, filename, content);
    if (result[1] === null) entry.status = 'skipped';
    return result;
  } catch (error) {
    entry.status = 'error';
    entry.message = error instanceof Error ? error.message : String(error);
    throw error;
  }
};

/**
 * Every `new BrowserWindow(...)` / `new BrowserView(...)` and the option properties the scanner's checks can
 * see in it: the same calls its atomic checks make (scope.resolveVarValue, then findNodeByType with its
 * property depth), so a flag missing here is a flag no check reads.
 */
function windowSites(file) {
  const parser = new Parser(false, true); // as runner.js constructs it
  const [type, data] = parse.call(parser, join(input, file), readFileSync(join(input, file))); // not recorded
  if (type !== sourceTypes.JAVASCRIPT || !data) return [];
  const sites = [];
  data.astParser.traverseTree(data, {
    enter(visited) {
      const node = data.astParser.getNode(visited);
      if (!node || node.type !== 'NewExpression' || node.arguments.length === 0) return;
      if (node.callee.name !== 'BrowserWindow' && node.callee.name !== 'BrowserView') return;
      const target = data.Scope.resolveVarValue(node);
      const found = data.astParser.findNodeByType(
        target,
        data.astParser.PropertyName,
        data.astParser.PropertyDepth,
        false,
        () => true,
      );
      sites.push({
        file,
        line: node.loc.start.line,
        properties: found.map((property) => ({
          key: property.key.name ?? property.key.value,
          line: property.key.loc.start.line,
          // Literal values only; anything else (an identifier, a call) is reported as null.
          value: property.value && 'value' in property.value ? property.value.value : null,
        })),
      });
    },
  });
  return sites;
}

async function main() {
  const started = Date.now();
  const result = await run({
    input,
    electronVersionOverride: electronVersion,
    excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
    isRelative: true,
  });
  const durationMs = Date.now() - started;
  const parsedScripts = files.filter((f) => f.status === 'parsed' && /\.(jsx?|tsx?)$/.test(f.file));
  writeFileSync(
    output,
    JSON.stringify(
      {
        scannerVersion,
        electronVersion,
        durationMs,
        globalChecks: result.globalChecks,
        atomicChecks: result.atomicChecks,
        networkAttempts,
        files,
        errors: result.errors.map((e) => ({
          file: relative(input, e.file),
          message: e.message,
          tolerable: e.tolerable,
        })),
        issues: result.issues.map((issue) => ({
          id: issue.id,
          severity: issue.severity.name,
          confidence: issue.confidence.name,
          file: issue.file,
          line: issue.location.line,
          column: issue.location.column,
          sample: issue.sample,
          manualReview: Boolean(issue.manualReview),
          description: issue.description,
          url: issue.shortenedURL,
        })),
        windows: parsedScripts.flatMap((f) => windowSites(f.file)),
      },
      null,
      2,
    ),
  );
}

main().then(
  // The scanner leaves timers behind; the result is written, so do not wait for them.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`electronegativity-scan: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
