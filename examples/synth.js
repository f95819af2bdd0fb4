#!/usr/bin/env node
/**
 * The app `cdk8s synth` runs (cdk8s.yaml). It runs the compiled JavaScript in build-examples/ (`npm run
 * build:examples`) with plain node when that build is at least as new as every TypeScript source it comes from under
 * lib/ and examples/; otherwise it runs the sources through ts-node (transpile only), so `npm ci && npx cdk8s synth`
 * works on a fresh clone and an edit never runs stale JavaScript. Either way in this process: no `npx` in between.
 */
const { existsSync, readdirSync, statSync } = require('fs');
const { join, relative } = require('path');

const root = join(__dirname, '..');
const outDir = join(root, 'build-examples');

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (relative(root, p) !== join('examples', 'pulumi')) out.push(...sources(p));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function compiledIsFresh() {
  if (process.env.GPUPLANE_EXAMPLES_TS_NODE) return false;
  for (const ts of [...sources(join(root, 'lib')), ...sources(join(root, 'examples'))]) {
    const js = join(outDir, relative(root, ts)).replace(/\.ts$/, '.js');
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(ts).mtimeMs) return false;
  }
  return true;
}

let main;
if (compiledIsFresh()) {
  main = require(join(outDir, 'examples', 'main.js'));
} else {
  require('ts-node').register({ transpileOnly: true });
  main = require(join(root, 'examples', 'main.ts'));
}
const app = main.buildApp();
app.synth();
