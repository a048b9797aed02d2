// Worker threads started from the TypeScript sources (npm start, the tests, the CLI's bundle) load their
// modules through tsx's loader: ~100 modules resolved and compiled one by one, ~1.2 s before a corpus
// worker can take its first file, on every core at once. A cold build waits for that with nothing else to
// do. The worker modules bundled by esbuild (installed with tsx) are ready in ~0.5 s.
//
// The bundle is the project's own code only: every package stays an import, loaded from node_modules as
// the sources load it. It lives in `.cache/workers/<key>/` under the project, where `key` is a sha256 of
// every file under src/, package.json, package-lock.json, tsconfig.json, the Node and esbuild versions:
// changed code is a new key and a new bundle, never a stale one. The key is taken once per process, when
// its first worker starts (so its workers all run one version of the code, as its main thread does,
// unless the sources changed between its start and its first worker), and again after a build: a source
// that changed during the build discards that build. A bundle is touched whenever a worker starts from it
// and removed once no process has started one from it for a day. Anything that goes wrong (no esbuild, a
// build error, a folder that cannot be written) makes workers run through tsx as before
// (DOSSIER_DEBUG=1 says why). DOSSIER_BUNDLE=off turns it off, as it does the CLI's bundle.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The worker modules bundled (paths under src/, without extension). */
export const WORKER_MODULES = ['corpus/extract-worker', 'extract/merge-worker'] as const;

/** Files outside src/ that change how the sources compile or resolve. */
const SENTINELS = ['package.json', 'package-lock.json', 'tsconfig.json'];

interface Esbuild {
  version: string;
  buildSync(options: Record<string, unknown>): unknown;
  /** Ends the service buildSync leaves running (a thread and a child process). */
  stop?(): void;
}

/** A bundle not started from for this long is removed by the next build of another key. */
const UNUSED_MS = 24 * 60 * 60 * 1000;

const debug = (why: string) => {
  if (process.env.DOSSIER_DEBUG) process.stderr.write(`[dossier workers] no bundle, running through tsx: ${why}\n`);
};

/** esbuild, as tsx installs it (or the project's own), or null. */
function loadEsbuild(root: string): Esbuild | null {
  try {
    const req = createRequire(join(root, 'package.json'));
    let path: string;
    try {
      path = req.resolve('esbuild');
    } catch {
      path = createRequire(req.resolve('tsx/package.json')).resolve('esbuild');
    }
    return createRequire(import.meta.url)(path) as Esbuild;
  } catch {
    return null;
  }
}

/** Every file under `dir`, sorted. */
function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The key of the sources under `root` as they are now. */
export function bundleKey(root: string, esbuildVersion: string): string {
  const h = createHash('sha256');
  h.update(`node ${process.versions.node} esbuild ${esbuildVersion}\n`);
  for (const p of [...sourcesUnder(join(root, 'src')), ...SENTINELS.map((s) => join(root, s))]) {
    h.update(`${relative(root, p)}\n`);
    try {
      h.update(readFileSync(p));
    } catch {
      h.update('(absent)');
    }
    h.update('\n');
  }
  return h.digest('hex').slice(0, 32);
}

export interface BundleOptions {
  /** Where bundles are kept (default: `<root>/.cache/workers`); under `root`, whose node_modules the bundles import from. */
  dir?: string;
}

/** Bundles made by this process, by root and folder: the key is taken once. */
const made = new Map<string, { dir: string } | null>();

/**
 * The URL of `module` (a path under src/, without extension, one of WORKER_MODULES) in a bundle of the
 * project at `root`, built now if there is none for the sources as they are; null when there can be none.
 */
export function workerBundle(root: string, module: string, opts: BundleOptions = {}): URL | null {
  if (process.env.DOSSIER_BUNDLE === 'off' || !(WORKER_MODULES as readonly string[]).includes(module)) return null;
  const base = opts.dir ?? join(root, '.cache', 'workers');
  const memo = `${root}\0${base}`;
  let b = made.get(memo);
  if (b === undefined) {
    b = buildWorkerBundle(root, base);
    made.set(memo, b);
  }
  if (!b) return null;
  const file = join(b.dir, `${module}.mjs`);
  if (!existsSync(file)) {
    debug(`${file} is gone`);
    return null;
  }
  try {
    const now = new Date();
    utimesSync(b.dir, now, now);
  } catch {
    /* read-only: it is only kept a day less */
  }
  return pathToFileURL(file);
}

/** The bundle folder (under `base`) for the sources under `root` as they are, built if missing; null on any failure. */
export function buildWorkerBundle(root: string, base: string): { dir: string } | null {
  const esbuild = loadEsbuild(root);
  if (!esbuild) {
    debug('esbuild not found');
    return null;
  }
  try {
    const key = bundleKey(root, esbuild.version);
    const dir = join(base, key);
    if (WORKER_MODULES.every((m) => existsSync(join(dir, `${m}.mjs`)))) return { dir };
    mkdirSync(base, { recursive: true });
    const tmp = join(base, `.${key}.${process.pid}.${Date.now().toString(36)}`);
    try {
      esbuild.buildSync({
        entryPoints: Object.fromEntries(WORKER_MODULES.map((m) => [m, join(root, 'src', `${m}.ts`)])),
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        packages: 'external',
        outdir: tmp,
        outExtension: { '.js': '.mjs' },
        logLevel: 'silent',
      });
      // A source changed while it was built: this build may hold either version.
      if (bundleKey(root, esbuild.version) !== key) {
        debug('a source changed while the bundle was built');
        return null;
      }
      try {
        renameSync(tmp, dir);
      } catch {
        // Another process built the same key first: its bundle is this one.
        if (!WORKER_MODULES.every((m) => existsSync(join(dir, `${m}.mjs`)))) return null;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      esbuild.stop?.();
    }
    sweep(base, key);
    return { dir };
  } catch (e) {
    debug((e as Error)?.message?.split('\n')[0] ?? String(e));
    return null;
  }
}

/** Removes bundles of other keys no worker has started from for a day (a long-running bot still uses its own). */
function sweep(base: string, keep: string): void {
  try {
    for (const name of readdirSync(base)) {
      if (name === keep) continue;
      const p = join(base, name);
      if (Date.now() - statSync(p).mtimeMs > UNUSED_MS) rmSync(p, { recursive: true, force: true });
    }
  } catch {
    /* best effort */
  }
}
