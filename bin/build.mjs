#!/usr/bin/env node
// `npm run build` (and `prepack`): the package users install. tsc compiles harness/, adapters/,
// scenarios/ and reports/ to ESM JavaScript with declarations and source maps in dist/; this script
// then finishes what tsc leaves: declaration files keep the `.ts` extensions of the source's
// relative imports (tsc rewrites them in JavaScript only), and the files that are read at run time
// rather than imported (the JSON Schemas, the example scenario file) are copied beside the code.
//
// tsc rather than a bundler: the package keeps one file per module, so a stack trace or a source
// map points at the file a reader knows, and tsc's declarations are exact.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('[faultline build] tsc failed; dist/ is incomplete and must not be packed.');
  rmSync(dist, { recursive: true, force: true });
  process.exit(1);
}

// Relative specifiers only: './x.ts' and '../y/z.ts' become '.js'; package imports are untouched.
const relativeTs = /((?:from\s+|import\s*\(\s*)['"])(\.{1,2}\/[^'"]*?)\.ts(['"])/g;
let rewritten = 0;
for (const file of walk(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const next = text.replace(relativeTs, '$1$2.js$3');
  if (next !== text) {
    writeFileSync(file, next);
    rewritten += 1;
  }
}

const assets = [
  ['scenarios/scenario.schema.json', 'scenarios/scenario.schema.json'],
  ['reports/report.schema.json', 'reports/report.schema.json'],
  ['scenarios/examples', 'scenarios/examples'],
];
for (const [from, to] of assets) {
  mkdirSync(path.dirname(path.join(dist, to)), { recursive: true });
  cpSync(path.join(root, from), path.join(dist, to), { recursive: true, filter: (source) => !source.endsWith('.ts') });
}
console.log(`[faultline build] dist/ written: ${rewritten} declaration files' relative imports pointed at .js, ${assets.length} assets copied.`);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}
