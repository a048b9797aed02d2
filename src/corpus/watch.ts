// The living corpus: watches the corpus folder and, a moment after files are added, changed or removed,
// builds a new Dossier next to the one serving and swaps the reference. Queries keep being answered
// from the previous Dossier while the new one is built (it is never mutated in place), and a file that
// fails to load keeps its previous good version serving, if it had one, while the failure is logged and
// listed (holder.failing(), `dossier check`).
//
// The rebuild is off the hot path: each changed file is read, segmented and extracted in a worker thread
// (src/corpus/extract-worker.ts), so interactions that arrive during an update are answered from the
// previous Dossier meanwhile; only the final assembly (the passage index over the new set) runs on the
// main thread. A file whose processing takes longer than `fileTimeoutMs` (a hostile file) is given up
// on: the worker is ended and replaced, and the file is reported like any other that fails. Unchanged
// files are not read again (size, mtime and inode tell), and their articles and extractions are reused.
import { type FSWatcher, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { updatedPassageIndex } from '../core/cache.js';
import { type Dossier, assemble, buildDossier } from '../core/dossier.js';
import type { PassageIndex } from '../search/passages.js';
import type { Article, CorpusProblem } from '../core/types.js';
import { extract } from '../extract/index.js';
import type { Extraction } from '../extract/types.js';
import { loadAliases } from '../search/aliases.js';
import { ARTICLE_EXTENSIONS, loadFile, sameIdProblem, sha256 } from './load.js';
import { type WorkerReply, fromReply } from './transfer.js';
import { spawnCorpusWorker } from './worker.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** What the Discord runtime, the console and the CLI read the Dossier from. */
export interface DossierHolder {
  /** The Dossier serving now. Take it once per query: a swap never changes a Dossier already taken. */
  current(): Dossier;
  /**
   * A Dossier-shaped object whose every field reads the current Dossier, for code that takes a Dossier
   * (the console). A synchronous query sees one Dossier throughout: swaps happen between event-loop turns.
   */
  view(): Dossier;
  /** Files that failed to load at the last update; `serving: true` when their previous version still serves. */
  failing(): FailingFile[];
  /** Looks at the folder now (after a change the caller made) and resolves with the Dossier then serving. */
  refresh(): Promise<Dossier>;
  /** Called after each swap with the new and previous Dossier. Returns an unsubscribe function. */
  onSwap(fn: (next: Dossier, prev: Dossier) => void): () => void;
  /** Stops watching. The current Dossier keeps serving. */
  close(): void;
}

export interface FailingFile extends CorpusProblem {
  /** True when a previous good version of the file keeps serving. */
  serving: boolean;
}

/** The subset of a pino logger the watcher uses. */
export interface WatchLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WatchOptions {
  /** Quiet time after the last file event before rebuilding (editors write in bursts). Default 300 ms. */
  debounceMs?: number;
  /**
   * Also look at the folder every this many ms, in case file events are not delivered (network file
   * systems, some container mounts). A look at an unchanged folder only stats its files. Default 5000; 0 = never.
   */
  pollMs?: number;
  /** Watch for file events (default true). With false only refresh() and polling update. */
  watch?: boolean;
  logger?: WatchLogger;
  /** Builds the first Dossier (default buildDossier, which uses the persisted cache). */
  build?: (dir: string) => Dossier;
  /** Extracts one changed article (default the extractor). Given, it runs on the main thread (no worker). */
  extractFn?: (a: Article) => Extraction;
  /** Read and extract changed files in a worker thread (default true unless `extractFn` is given). */
  worker?: boolean;
  /** A file that takes longer than this to read and extract in the worker is given up on. Default 60 s. */
  fileTimeoutMs?: number;
  /**
   * Prepares a new Dossier before it starts serving (the bot warms its indexes there, so nobody's query
   * pays for them); the previous Dossier serves meanwhile. A failure is logged and the swap goes ahead.
   */
  prepare?: (next: Dossier) => Promise<void>;
}

interface FileState {
  /** size:mtime:ctime:inode when last looked at. */
  sig: string;
  /** The last version that loaded, with its extraction; kept when a later version fails. */
  good: { article: Article; extraction: Extraction } | null;
  /** Why the file on disk does not load now, or null. */
  problem: CorpusProblem | null;
}

const SILENT: WatchLogger = { info() {}, warn() {}, error() {} };

function sigOf(path: string): string | null {
  try {
    const s = statSync(path);
    if (!s.isFile()) return null;
    return `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
  } catch {
    return null;
  }
}

/** True for a name in the corpus folder that holds an article (not a dotfile, temp file or the trash). */
export function isArticleName(name: string): boolean {
  return !name.startsWith('.') && ARTICLE_EXTENSIONS.has(extname(name).toLowerCase());
}

/** A holder over a Dossier that never changes (tests, one-shot CLI runs). */
export function fixedHolder(d: Dossier): DossierHolder {
  return {
    current: () => d,
    view: () => d,
    failing: () => [],
    refresh: async () => d,
    onSwap: () => () => {},
    close() {},
  };
}

/**
 * Builds the Dossier for `dir` (synchronously, so the caller can serve at once) and watches the folder.
 * Never throws after the first build and never rejects: an update that fails is logged and the
 * previous Dossier keeps serving.
 */
export function watchCorpus(dir: string, opts: WatchOptions = {}): DossierHolder {
  const log = opts.logger ?? SILENT;
  const debounceMs = opts.debounceMs ?? 300;
  const pollMs = opts.pollMs ?? 5000;
  const extractFn = opts.extractFn ?? extract;
  let dossier = (opts.build ?? ((d: string) => buildDossier(d)))(dir);
  const listeners = new Set<(next: Dossier, prev: Dossier) => void>();
  const files = new Map<string, FileState>();
  let aliasSig = sigOf(join(dir, 'aliases.yaml'));
  let closed = false;

  // The first build's articles are the files' good versions; its failures have none.
  for (const a of dossier.articles) {
    const extraction = dossier.extractions.get(a.id) ?? { article: a.id, dates: [], events: [], statements: [] };
    files.set(a.file, { sig: sigOf(a.file) ?? '', good: { article: a, extraction }, problem: null });
  }
  for (const p of dossier.problems) {
    if (p.severity !== 'error' || files.has(p.file) || p.reason.startsWith('extraction failed')) continue;
    files.set(p.file, { sig: sigOf(p.file) ?? '', good: null, problem: p });
  }

  const pool = opts.worker ?? opts.extractFn === undefined ? new ExtractWorker(opts.fileTimeoutMs ?? 60_000, log) : null;
  /** Loads and extracts one file: in the worker when there is one, else here. */
  async function processFile(path: string): Promise<Processed> {
    if (pool) {
      const r = await pool.process(path);
      if (r) return r;
    }
    await nextTurn();
    return processHere(path, extractFn);
  }

  /** One look at the folder; returns the new Dossier or null when nothing changed. Yields between files. */
  async function update(): Promise<Dossier | null> {
    let names: string[];
    try {
      names = readdirSync(dir).filter(isArticleName).sort();
    } catch (e) {
      log.error({ dir, err: (e as Error).message }, 'cannot read the corpus folder; the previous corpus keeps serving');
      return null;
    }
    const changed: string[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (closed) return null;
      const path = join(dir, name);
      const sig = sigOf(path);
      if (sig === null) continue; // gone (or a folder) since the listing
      seen.add(path);
      const prev = files.get(path);
      if (prev && prev.sig === sig) continue;
      await nextTurn();
      // Same bytes as the version serving (a touch, a rewrite with the same text): nothing to redo.
      if (prev?.good && !prev.problem && sameBytes(path, prev.good.article.hash)) {
        prev.sig = sig;
        continue;
      }
      changed.push(name);
      const r = await processFile(path);
      if ('article' in r) {
        let extraction = r.extraction;
        if (r.extractError !== null) {
          log.error({ file: path, err: r.extractError }, 'extraction failed; the article serves without dates and statements');
          extraction = { article: r.article.id, dates: [], events: [], statements: [] };
        }
        files.set(path, { sig, good: { article: r.article, extraction }, problem: null });
        if (prev?.problem) log.info({ file: path }, 'corpus file loads again');
      } else {
        const good = prev?.good ?? null;
        files.set(path, { sig, good, problem: r.problem });
        log.warn(
          { file: path, line: r.problem.line, reason: r.problem.reason, serving: good ? 'previous version' : 'nothing' },
          good ? 'corpus file failed to load; its previous version keeps serving' : 'corpus file failed to load',
        );
      }
    }
    for (const path of [...files.keys()]) {
      if (!seen.has(path)) {
        files.delete(path);
        changed.push(path);
      }
    }
    const sig = sigOf(join(dir, 'aliases.yaml'));
    const aliasesChanged = sig !== aliasSig;
    aliasSig = sig;
    if (changed.length === 0 && !aliasesChanged) return null;
    await nextTurn();
    if (closed) return null;

    const { table, problem } = loadAliases(dir);
    const articles: Article[] = [];
    const extractions = new Map<string, Extraction>();
    const problems: CorpusProblem[] = [];
    const ids = new Map<string, string>();
    for (const [path, st] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (st.problem) problems.push(withServing(st.problem, st.good !== null));
      if (!st.good) continue;
      const first = ids.get(st.good.article.id);
      if (first !== undefined) {
        problems.push(sameIdProblem(path, st.good.article.id, first));
        continue;
      }
      ids.set(st.good.article.id, path);
      articles.push(st.good.article);
      extractions.set(st.good.article.id, st.good.extraction);
      for (const w of st.good.article.warnings) problems.push({ file: path, line: null, reason: w, severity: 'warning' });
    }
    if (problem) problems.push({ file: join(dir, 'aliases.yaml'), line: null, reason: problem, severity: 'warning' });
    // The passage index: when a few articles changed (the usual case: one added, edited or removed) and
    // the aliases did not, a copy of the serving index brought up to date (loaded a slice at a time),
    // rather than every article indexed again on this thread (seconds at 10,000 articles).
    let index: PassageIndex | undefined;
    const before = new Map(dossier.articles.map((a) => [a.file, a]));
    const now = new Map(articles.map((a) => [a.file, a]));
    const gone = [...before.values()].filter((a) => now.get(a.file)?.hash !== a.hash);
    const added = articles.filter((a) => before.get(a.file)?.hash !== a.hash);
    if (!aliasesChanged && gone.length + added.length <= Math.max(20, articles.length * 0.2)) {
      try {
        index = await updatedPassageIndex(dossier.passages, table, gone, added);
      } catch (e) {
        log.warn({ err: (e as Error).message }, 'could not update the passage index; it is built again');
      }
    }
    if (closed) return null;
    const next = assemble(dir, articles, problems, table, (a) => extractions.get(a.id) ?? extractFn(a), index);
    log.info({ articles: articles.length, changed: changed.length, failing: problems.filter((p) => p.severity === 'error').length }, 'corpus updated');
    return next;
  }

  function swap(next: Dossier): void {
    const prev = dossier;
    dossier = next;
    for (const fn of listeners) {
      try {
        fn(next, prev);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'a corpus swap listener failed');
      }
    }
  }

  let running: Promise<Dossier> | null = null;
  let again = false;
  function kick(): Promise<Dossier> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const next = await update();
          if (next && !closed && opts.prepare) await opts.prepare(next).catch((e: unknown) => log.warn({ err: (e as Error)?.message ?? String(e) }, 'preparing the updated corpus failed; it serves anyway'));
          if (next && !closed) swap(next);
        } catch (e) {
          log.error({ err: (e as Error).stack ?? String(e) }, 'corpus update failed; the previous corpus keeps serving');
        }
      } while (again && !closed);
      running = null;
      return dossier;
    })();
    return running;
  }

  let timer: NodeJS.Timeout | null = null;
  function schedule(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void kick();
    }, debounceMs);
    timer.unref();
  }

  let watcher: FSWatcher | null = null;
  if (opts.watch !== false) {
    try {
      // Not persistent: the watcher alone does not keep the process running (the console ends with its input).
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name && name.toString().startsWith('.') && !name.toString().startsWith('.trash')) return; // temp files of atomic writes
        schedule();
      });
      watcher.on('error', (e) => {
        log.warn({ dir, err: e.message }, 'watching the corpus folder failed; looking at it periodically instead');
        watcher?.close();
        watcher = null;
      });
    } catch (e) {
      log.warn({ dir, err: (e as Error).message }, 'cannot watch the corpus folder; looking at it periodically instead');
    }
  }
  const poll = pollMs > 0 ? setInterval(() => void kick(), pollMs) : null;
  poll?.unref();

  const holder: DossierHolder = {
    current: () => dossier,
    view: () => liveView(() => dossier),
    failing: () =>
      [...files.values()].filter((s) => s.problem).map((s) => ({ ...withServing(s.problem!, s.good !== null), serving: s.good !== null })),
    refresh: () => {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      return kick();
    },
    onSwap: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: () => {
      closed = true;
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      pool?.close();
      watcher?.close();
      watcher = null;
    },
  };
  return holder;
}

function withServing(p: CorpusProblem, serving: boolean): CorpusProblem {
  return serving && !p.reason.endsWith(PREVIOUS) ? { ...p, reason: `${p.reason}${PREVIOUS}` } : p;
}
const PREVIOUS = ' (its previous version keeps serving)';

function sameBytes(path: string, hash: string): boolean {
  try {
    return sha256(readFileSync(path)) === hash;
  } catch {
    return false;
  }
}

/** An object that reads every property from `get()`'s Dossier at the moment it is read. */
export function liveView(get: () => Dossier): Dossier {
  return new Proxy({} as Dossier, {
    get: (_t, k) => Reflect.get(get(), k),
    has: (_t, k) => Reflect.has(get(), k),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, k) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), k);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}

type Processed = { article: Article; extraction: Extraction; extractError: string | null } | { problem: CorpusProblem };

function processHere(path: string, extractFn: (a: Article) => Extraction): Processed {
  const r = loadFile(path);
  if ('problem' in r) return r;
  try {
    return { article: r.article, extraction: extractFn(r.article), extractError: null };
  } catch (e) {
    return { article: r.article, extraction: { article: r.article.id, dates: [], events: [], statements: [] }, extractError: (e as Error).message };
  }
}

/**
 * One worker thread that loads and extracts files, one at a time, started when first needed and
 * replaced after a file it had to give up on. If it cannot start (no TypeScript loader where the bot
 * runs), process() returns null and the caller does the work itself.
 */
class ExtractWorker {
  private worker: Worker | null = null;
  private broken = false;
  private next = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly ready = new WeakSet<Worker>();

  constructor(
    private readonly timeoutMs: number,
    private readonly log: WatchLogger,
  ) {}

  private start(): Worker | null {
    if (this.worker) return this.worker;
    if (this.broken) return null;
    try {
      const w = spawnCorpusWorker();
      w.unref();
      w.on('message', (m: { ready?: boolean }) => {
        if (m.ready) this.ready.add(w);
      });
      w.on('error', (e) => {
        this.log.warn({ err: e.message }, 'the corpus worker failed; it is restarted for the next file');
        if (this.worker === w) this.worker = null;
      });
      this.worker = w;
      return w;
    } catch (e) {
      this.broken = true;
      this.log.warn({ err: (e as Error).message }, 'cannot start a worker thread for the corpus; files are processed on the main thread');
      return null;
    }
  }

  /** The file loaded and extracted, or null when no worker can do it. */
  process(path: string): Promise<Processed | null> {
    const run = this.queue.then(() => this.once(path));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private once(path: string): Promise<Processed | null> {
    const w = this.start();
    if (!w) return Promise.resolve(null);
    const id = this.next++;
    return new Promise((resolve) => {
      const done = (r: Processed | null) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.id !== id) return;
        const r = fromReply(m, path);
        done('article' in r ? { ...r, extraction: r.extraction ?? { article: r.article.id, dates: [], events: [], statements: [] } } : r);
      };
      const onExit = (code: number) => {
        if (this.worker === w) this.worker = null;
        if (!this.ready.has(w)) {
          // It never came up (no TypeScript loader here, say): the main thread does the work from now on.
          this.broken = true;
          this.log.warn({ code }, 'the corpus worker thread did not start; files are processed on the main thread');
          done(null);
          return;
        }
        // It died on this file (out of memory on a hostile file): the file fails, the next gets a new worker.
        done({ problem: { file: path, line: null, reason: `reading it stopped the worker (exit code ${code}), so it was given up on`, severity: 'error' } });
      };
      const timer = setTimeout(() => {
        this.log.warn({ file: path, ms: this.timeoutMs }, 'a corpus file took too long to read and extract; given up on');
        if (this.worker === w) this.worker = null;
        w.off('exit', onExit);
        void w.terminate();
        done({ problem: { file: path, line: null, reason: `took longer than ${Math.round(this.timeoutMs / 1000)} s to read and extract, so it was given up on (is it a real article?)`, severity: 'error' } });
      }, this.timeoutMs);
      w.on('message', onMessage);
      w.on('exit', onExit);
      w.postMessage({ id, path });
    });
  }

  close(): void {
    this.broken = true;
    void this.worker?.terminate();
    this.worker = null;
  }
}
