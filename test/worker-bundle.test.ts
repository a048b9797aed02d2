// Worker threads started from the sources run a bundle of them (src/corpus/bundle.ts): the same code,
// started without tsx compiling ~100 modules in each worker. Never a stale bundle, never no worker.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorkerBundle, workerBundle } from '../src/corpus/bundle.js';
import { loadFile } from '../src/corpus/load.js';
import { fromReply, type WorkerReply } from '../src/corpus/transfer.js';
import { extract } from '../src/extract/index.js';
import { spawnCorpusWorker, workerEntry } from '../src/corpus/worker.js';
import { CORPUS, ROOT } from './helpers.js';

const temps: string[] = [];
const temp = (prefix: string, under = tmpdir()) => {
  mkdirSync(under, { recursive: true });
  const d = mkdtempSync(join(under, prefix));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A copy of the project's sources (and its node_modules, linked) to change without touching the real ones. */
function projectCopy(): string {
  const dir = temp('dossier-bundle-project-');
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every .mjs file of a bundle folder, as text. */
const bundleText = (dir: string): string =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');

describe('corpus workers started from the sources', () => {
  it('run a bundle of them, which reads and extracts a file exactly as the sources do', async () => {
    // Under the project, as its bundles are: their packages are found in its node_modules.
    const dir = temp('test-bundle-', join(ROOT, '.cache'));
    const url = workerBundle(ROOT, 'corpus/extract-worker', { dir });
    expect(url).not.toBeNull();
    expect(fileURLToPath(url!).startsWith(dir)).toBe(true);
    // Touched whenever a worker starts from it, so that it is not swept while in use.
    const folder = join(fileURLToPath(url!), '..', '..');
    const old = new Date(Date.now() - 48 * 3600_000);
    utimesSync(folder, old, old);
    workerBundle(ROOT, 'corpus/extract-worker', { dir });
    expect(Date.now() - statSync(folder).mtimeMs).toBeLessThan(3600_000);
    const file = join(CORPUS, readdirSync(CORPUS).find((n) => n.endsWith('.md'))!);
    const w = new Worker(url!);
    try {
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        w.on('message', (m: WorkerReply) => {
          if (m.ready) w.postMessage({ id: 1, path: file });
          else resolve(m);
        });
        w.once('error', reject);
      });
      const here = loadFile(file);
      if (!('article' in here)) throw new Error(here.problem.reason);
      expect(fromReply(reply, file)).toEqual({ article: here.article, extraction: extract(here.article), extractError: null });
    } finally {
      await w.terminate();
    }
    // The timeline's merge worker is in it too; another module is not.
    expect(workerBundle(ROOT, 'extract/merge-worker', { dir })).not.toBeNull();
    expect(workerBundle(ROOT, 'cli', { dir })).toBeNull();
  }, 60_000);

  it('get a new bundle when a source changes, and none (tsx then) when the sources do not build', () => {
    const root = projectCopy();
    const base = temp('dossier-bundle-');
    const first = buildWorkerBundle(root, base);
    expect(first).not.toBeNull();
    // Unchanged: the same bundle, not built again.
    expect(buildWorkerBundle(root, base)).toEqual(first);
    expect(bundleText(first!.dir)).not.toContain('changed-source-probe');

    // Bundles of other keys: one no worker has started from for two days, one in use an hour ago.
    const stale = join(base, 'f'.repeat(32));
    const inUse = join(base, 'e'.repeat(32));
    for (const [d, hoursAgo] of [[stale, 48], [inUse, 1]] as const) {
      mkdirSync(d);
      const t = new Date(Date.now() - hoursAgo * 3600_000);
      utimesSync(d, t, t);
    }
    appendFileSync(join(root, 'src', 'extract', 'merge-worker.ts'), "\nexport const probe = 'changed-source-probe';\n");
    const second = buildWorkerBundle(root, base);
    expect(second).not.toBeNull();
    expect(second!.dir).not.toBe(first!.dir);
    expect(bundleText(second!.dir)).toContain('changed-source-probe');
    // The new build swept the one left unused, not the others.
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(inUse)).toBe(true);
    expect(existsSync(first!.dir)).toBe(true);

    appendFileSync(join(root, 'src', 'extract', 'merge-worker.ts'), '\nexport const broken = ;\n');
    expect(buildWorkerBundle(root, base)).toBeNull();
    // No half-built folder is left behind to be taken for a bundle.
    expect(readdirSync(base).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('are the bot\'s corpus and merge workers: spawnCorpusWorker starts from the bundle, and it starts', async () => {
    expect(workerEntry('corpus/extract-worker').via).toBe('bundle');
    expect(workerEntry('extract/merge-worker').via).toBe('bundle');
    const w = spawnCorpusWorker();
    try {
      await new Promise<void>((resolve, reject) => {
        w.once('message', (m: WorkerReply) => (m.ready ? resolve() : reject(new Error('not ready'))));
        w.once('error', reject);
      });
    } finally {
      await w.terminate();
    }
  }, 60_000);

  it('run through tsx with DOSSIER_BUNDLE=off', () => {
    const before = process.env.DOSSIER_BUNDLE;
    process.env.DOSSIER_BUNDLE = 'off';
    try {
      const dir = temp('dossier-bundle-');
      expect(workerBundle(ROOT, 'corpus/extract-worker', { dir })).toBeNull();
      expect(existsSync(join(dir, 'corpus'))).toBe(false);
      expect(workerEntry('corpus/extract-worker').via).toBe('tsx');
    } finally {
      if (before === undefined) delete process.env.DOSSIER_BUNDLE;
      else process.env.DOSSIER_BUNDLE = before;
    }
  });
});
