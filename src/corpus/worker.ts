// Starting a corpus worker thread (src/corpus/extract-worker.ts), wherever the bot's code runs from:
// its TypeScript sources (npm start, tests), or the CLI's esbuild bundle in .cache/cli (whose own folder
// holds no worker module, so the worker is loaded from the project's sources there too). From the sources,
// a worker runs their bundle (src/corpus/bundle.ts), or through tsx when there can be none.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerBundle } from './bundle.js';

/**
 * A corpus worker's heap: a hostile file ends the worker (1 GB), not the bot. Its young generation may grow
 * to 32 MB: what one article's extraction makes is garbage within milliseconds, and a young generation of
 * 8 MB (the limit set here before) collected ~2,800 times per worker in a cold build of
 * 10,000 articles, ~3.7 s of each worker's time. Alternating cold builds of that corpus (6 December
 * 2026): 41.5–48.8 s with 32 MB against 48.0–56.5 s with 8 MB, quicker in 9 of 10 pairs, for ~50–70 MB
 * more at the build's peak (the two workers' young generations).
 */
const LIMITS = { resourceLimits: { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 32 } };

/** A worker module's URL (`module`: its path under src/, without extension), and whether it is TypeScript. */
function workerModule(module: string): { url: URL; ts: boolean } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL(`../${module}.ts`, here), ts: true };
  const js = new URL(`../${module}.js`, here);
  if (existsSync(fileURLToPath(js))) return { url: js, ts: false };
  // A bundle (the CLI's): the sources of the project it was built from.
  let dir = dirname(fileURLToPath(here));
  for (let i = 0; i < 8; i++) {
    const src = join(dir, 'src', ...module.split('/')) + '.ts';
    if (existsSync(src)) return { url: pathToFileURL(src), ts: true };
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { url: js, ts: false };
}

/**
 * A new corpus worker. It posts `{ ready: true }` once its modules are loaded; one that exits before
 * that could not start (no TypeScript loader where the bot runs, say), and the caller should do the
 * work itself. Throws when a worker thread cannot be created at all.
 */
export function spawnCorpusWorker(): Worker {
  return spawnWorker('corpus/extract-worker', LIMITS);
}

/**
 * A worker thread running `module` (its path under src/, without extension), in TypeScript or built.
 * `limits`: its resource limits (default: the process's own; the timeline merge of a large corpus needs
 * more than a corpus worker's 1 GB).
 */
export function spawnWorker(module: string, limits: { resourceLimits?: { maxOldGenerationSizeMb?: number } } = {}): Worker {
  const { url, via } = workerEntry(module);
  if (via !== 'tsx') return new Worker(url, limits);
  // tsx's API: a `--import tsx` in execArgv does not reach a worker's entry module on Node 20.
  const boot = `import(${JSON.stringify(tsxApi())}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, ...limits });
}

/**
 * What a worker running `module` starts from: built JavaScript next to this code, else a bundle of the
 * TypeScript sources (src/corpus/bundle.ts; ready ~0.7 s sooner than through tsx), else the sources through tsx.
 */
export function workerEntry(module: string): { url: URL; via: 'built' | 'bundle' | 'tsx' } {
  const { url, ts } = workerModule(module);
  if (!ts) return { url, via: 'built' };
  const path = fileURLToPath(url);
  const at = path.lastIndexOf(`${sep}src${sep}`);
  const bundled = at >= 0 ? workerBundle(path.slice(0, at), module) : null;
  return bundled ? { url: bundled, via: 'bundle' } : { url, via: 'tsx' };
}

/** The URL of tsx's ESM API module (import condition), found from here. */
function tsxApi(): string {
  const meta = import.meta as ImportMeta & { resolve?: (s: string) => string };
  try {
    if (typeof meta.resolve === 'function') return meta.resolve('tsx/esm/api');
  } catch {
    /* below */
  }
  return pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
}
