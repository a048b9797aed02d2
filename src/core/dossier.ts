// The Dossier: a loaded corpus, what was extracted from it and its passage index. Answers are pure
// functions over it. A new Dossier is built (or updated copy-on-write) rather than mutated in place,
// so queries in flight keep the one they started with.
//
// buildDossier reads the persisted cache (src/core/cache.ts) when there is one: files whose content hash
// is unchanged are neither segmented nor extracted again, the saved passage index is loaded and only
// changed, added or removed files are updated in it. Pass `cache: false` (or set DOSSIER_CACHE=off)
// to build everything from the files.
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import MiniSearch from 'minisearch';
import { ARTICLE_EXTENSIONS, MAX_ARTICLE_BYTES, idOf, loadFile, sha256 } from '../corpus/load.js';
import { EXTRACTOR_VERSION, extract } from '../extract/index.js';
import type { Extraction } from '../extract/types.js';
import { type AliasTable, loadAliases } from '../search/aliases.js';
import { type PassageDoc, PassageIndex, SEARCH_OPTIONS } from '../search/passages.js';
import { type CachedEntry, cacheKey, defaultCacheDir, readArticles, readIndex, writeArticles, writeIndex } from './cache.js';
import type { Article, CorpusProblem, Sentence } from './types.js';

export interface Dossier {
  dir: string;
  articles: Article[];
  byId: Map<string, Article>;
  extractions: Map<string, Extraction>;
  problems: CorpusProblem[];
  aliases: AliasTable;
  passages: PassageIndex;
  /** How this dossier was built: what came from the cache, what was redone, and how long each stage took. */
  build?: BuildReport;
}

export interface CacheOptions {
  /** The cache folder (default: $DOSSIER_CACHE_DIR, else `.cache/dossier/<hash of the corpus path>` in the project). */
  dir?: string;
  /** Read the cache but never write it (replicas that load an index built once). Also DOSSIER_CACHE=readonly. */
  readOnly?: boolean;
}

export interface BuildOptions {
  /** Extracts one article (default: the extractor). Tests count calls through it. */
  extractFn?: (article: Article) => Extraction;
  /**
   * The persisted cache: on by default, `false` to build everything from the files (also DOSSIER_CACHE=off).
   * Cached extractions are keyed by `extractorVersion`, so a custom `extractFn` should pass its own.
   */
  cache?: boolean | CacheOptions;
  /** Version of `extractFn`'s results, part of the cache key (default: EXTRACTOR_VERSION). */
  extractorVersion?: string | number;
}

export interface BuildReport {
  /** 'off': no cache used; else where the articles came from. */
  cache: 'off' | 'hit' | 'partial' | 'miss';
  /** Why the cache's articles or index were not used, if they were not (missing, stale, corrupt …). */
  rejected: string[];
  cacheDir: string | null;
  /** Articles read back from the cache / (re)loaded and extracted from their files / dropped since the cache was written. */
  reused: number;
  loaded: number;
  removed: number;
  /** The passage index: loaded as saved, loaded and updated for changed files, or built from scratch. */
  index: 'loaded' | 'updated' | 'built';
  /** Whether the cache was written (and the error if writing failed: the dossier is served anyway). */
  saved: boolean;
  saveError?: string;
  /** Milliseconds per stage: scan (list, read, hash), load (parse, clean, segment), extract, cacheRead, index, save. */
  ms: Record<'scan' | 'load' | 'extract' | 'cacheRead' | 'index' | 'save' | 'total', number>;
}

function cacheConfig(opt: BuildOptions['cache'], dir: string): { dir: string; readOnly: boolean } | null {
  const env = (process.env.DOSSIER_CACHE ?? '').toLowerCase();
  if (opt === false || env === 'off' || env === '0' || env === 'false') return null;
  // Test runs build many throw-away corpora: they get no cache unless a test asks for one.
  if (opt === undefined && process.env.VITEST && !env) return null;
  const o = typeof opt === 'object' ? opt : {};
  return { dir: o.dir ?? defaultCacheDir(dir), readOnly: o.readOnly ?? env === 'readonly' };
}

export function buildDossier(dir: string, opts: BuildOptions = {}): Dossier {
  const t0 = performance.now();
  const extractFn = opts.extractFn ?? extract;
  const { table, problem } = loadAliases(dir);
  const cfg = cacheConfig(opts.cache, dir);
  const key = cfg ? cacheKey(opts.extractorVersion ?? EXTRACTOR_VERSION, table) : null;
  const ms = { scan: 0, load: 0, extract: 0, cacheRead: 0, index: 0, save: 0, total: 0 };
  const report: BuildReport = { cache: 'off', rejected: [], cacheDir: cfg && key ? cfg.dir : null, reused: 0, loaded: 0, removed: 0, index: 'built', saved: false, ms };

  // The previous run's articles, by file name.
  let t = performance.now();
  let prev = new Map<string, CachedEntry>();
  if (cfg && key) {
    const r = readArticles(cfg.dir, key, dir, idOf);
    if (r.ok) prev = r.value;
    else report.rejected.push(`articles: ${r.reason} (${r.detail})`);
  }
  ms.cacheRead += performance.now() - t;

  // The corpus, as loadCorpus reads it; an unchanged file is taken from the cache without parsing it.
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [];
  const extractions = new Map<string, Extraction>();
  const fresh = new Set<string>();
  const names: string[] = [];
  let listed: string[] | null = null;
  try {
    listed = readdirSync(dir).sort();
  } catch (e) {
    problems.push({ file: dir, line: null, reason: `cannot read the corpus folder: ${(e as Error).message}`, severity: 'error' });
  }
  for (const name of listed ?? []) {
    if (!ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()) || name.startsWith('.')) continue;
    const path = join(dir, name);
    let article: Article | null = null;
    t = performance.now();
    const old = prev.get(name);
    if (old) {
      try {
        const bytes = readFileSync(path);
        if (bytes.length <= MAX_ARTICLE_BYTES && sha256(bytes) === old.hash) article = old.article;
      } catch {
        /* unreadable: loadFile below names the problem */
      }
    }
    ms.scan += performance.now() - t;
    if (article) {
      extractions.set(article.id, old!.extraction);
      report.reused++;
    } else {
      t = performance.now();
      const r = loadFile(path);
      ms.load += performance.now() - t;
      if ('problem' in r) {
        problems.push(r.problem);
        continue;
      }
      article = r.article;
      fresh.add(name);
      report.loaded++;
    }
    names.push(name);
    articles.push(article);
    for (const w of article.warnings) problems.push({ file: path, line: null, reason: w, severity: 'warning' });
  }
  if (problem) problems.push({ file: `${dir}/aliases.yaml`, line: null, reason: problem, severity: 'warning' });
  const current = new Map(names.map((n, i) => [n, articles[i]!]));
  report.removed = [...prev.keys()].filter((n) => !current.has(n)).length;

  // Extraction of what is new.
  t = performance.now();
  for (const name of fresh) extractOne(current.get(name)!, extractFn, extractions, problems);
  ms.extract += performance.now() - t;

  // The passage index: the saved one when it holds exactly these file versions, updated when only a few
  // differ, built from scratch otherwise.
  t = performance.now();
  let passages: PassageIndex | null = null;
  if (cfg && key) {
    const r = readIndex(cfg.dir, key);
    ms.cacheRead += performance.now() - t;
    t = performance.now();
    if (r.ok) {
      try {
        passages = updateIndex(table, r.value.mini, r.value.docs, current, prev, report);
      } catch (e) {
        report.rejected.push(`index: corrupt (${(e as Error).message})`);
        passages = null;
      }
    } else report.rejected.push(`index: ${r.reason} (${r.detail})`);
  }
  if (!passages) {
    passages = newPassageIndex(table);
    for (const a of articles) passages.add(a);
    report.index = 'built';
  }
  ms.index += performance.now() - t;

  // Save what changed.
  if (cfg && key) {
    report.cache = report.loaded === 0 && report.removed === 0 && report.rejected.length === 0 ? 'hit' : report.reused > 0 ? 'partial' : 'miss';
    const articlesChanged = report.loaded > 0 || report.removed > 0 || report.rejected.some((r) => r.startsWith('articles'));
    if (!cfg.readOnly && (articlesChanged || report.index !== 'loaded')) {
      t = performance.now();
      try {
        if (articlesChanged) {
          const entries = new Map<string, CachedEntry>();
          for (const [name, a] of current) entries.set(name, { hash: a.hash, article: a, extraction: extractions.get(a.id)! });
          writeArticles(cfg.dir, key, entries);
        }
        if (report.index !== 'loaded') writeIndex(cfg.dir, key, { docs: names.map((n) => [n, current.get(n)!.hash, current.get(n)!.sentences.length]), mini: passages.mini.toJSON() });
        report.saved = true;
      } catch (e) {
        report.saveError = (e as Error).message;
      }
      ms.save += performance.now() - t;
    }
  }
  const d = assembleFrom(dir, articles, problems, table, extractions, passages);
  ms.total = performance.now() - t0;
  for (const k of Object.keys(ms) as (keyof typeof ms)[]) ms[k] = Math.round(ms[k] * 10) / 10;
  d.build = report;
  return d;
}

/**
 * SEARCH_OPTIONS with processTerm memoised: stemming is most of the cost of indexing, and a corpus uses
 * the same words again and again. The results are exactly processTerm's.
 */
const MEMO_LIMIT = 500_000;
const termMemo = new Map<string, string | null>();
export const INDEX_OPTIONS: typeof SEARCH_OPTIONS = {
  ...SEARCH_OPTIONS,
  processTerm: (term: string, fieldName?: string) => {
    if (fieldName === 'entities') return SEARCH_OPTIONS.processTerm(term, fieldName);
    const hit = termMemo.get(term);
    if (hit !== undefined) return hit;
    const v = SEARCH_OPTIONS.processTerm(term, fieldName);
    if (termMemo.size >= MEMO_LIMIT) termMemo.clear();
    termMemo.set(term, v);
    return v;
  },
};

/** An empty passage index with the memoised options. */
export function newPassageIndex(aliases: AliasTable): PassageIndex {
  return new PassageIndex(aliases, new MiniSearch<PassageDoc>(INDEX_OPTIONS));
}

/** The saved index brought up to date with the current files, or null when rebuilding is simpler. */
function updateIndex(
  table: AliasTable,
  mini: unknown,
  docs: [string, string, number][],
  current: Map<string, Article>,
  prev: Map<string, CachedEntry>,
  report: BuildReport,
): PassageIndex | null {
  const held = new Map(docs.map(([name, hash, n]) => [name, { hash, n }]));
  const stale = docs.filter(([name, hash]) => current.get(name)?.hash !== hash);
  const missing = [...current].filter(([name, a]) => held.get(name)?.hash !== a.hash);
  // Many changes: a fresh index is as quick and exactly what a build from the files gives.
  if (stale.length + missing.length > Math.max(20, current.size * 0.2)) return null;
  // Removing a document needs its indexed text: the old article must still be in the cache.
  if (stale.some(([name, hash]) => prev.get(name)?.hash !== hash)) return null;
  const passages = new PassageIndex(table, MiniSearch.loadJS<PassageDoc>(mini as Parameters<typeof MiniSearch.loadJS>[0], INDEX_OPTIONS));
  if (passages.mini.documentCount !== docs.reduce((n, d) => n + d[2], 0)) throw new Error('document count differs from its list of files');
  for (const [name] of stale) passages.mini.removeAll(passages.docsOf(prev.get(name)!.article));
  for (const [, a] of missing) passages.add(a);
  report.index = stale.length + missing.length === 0 ? 'loaded' : 'updated';
  return passages;
}

function extractOne(a: Article, extractFn: (a: Article) => Extraction, into: Map<string, Extraction>, problems: CorpusProblem[]): void {
  try {
    into.set(a.id, extractFn(a));
  } catch (e) {
    problems.push({ file: a.file, line: null, reason: `extraction failed: ${(e as Error).message}`, severity: 'error' });
    into.set(a.id, { article: a.id, dates: [], events: [], statements: [] });
  }
}

function assembleFrom(dir: string, articles: Article[], problems: CorpusProblem[], aliases: AliasTable, extractions: Map<string, Extraction>, passages: PassageIndex): Dossier {
  return { dir, articles, byId: new Map(articles.map((a) => [a.id, a])), extractions, problems, aliases, passages };
}

/** A Dossier from articles already loaded: extracts each (or reuses `cached` extractions) and indexes them unless `index` is given. */
export function assemble(
  dir: string,
  articles: Article[],
  problems: CorpusProblem[],
  aliases: AliasTable,
  extractFn: (a: Article) => Extraction = extract,
  index?: PassageIndex,
  cached?: Map<string, Extraction>,
): Dossier {
  const extractions = new Map<string, Extraction>();
  for (const a of articles) {
    const c = cached?.get(a.id);
    if (c) extractions.set(a.id, c);
    else extractOne(a, extractFn, extractions, problems);
  }
  let passages = index;
  if (!passages) {
    passages = newPassageIndex(aliases);
    for (const a of articles) passages.add(a);
  }
  return assembleFrom(dir, articles, problems, aliases, extractions, passages);
}

export function sentenceOf(d: Dossier, article: string, index: number): Sentence | undefined {
  return d.byId.get(article)?.sentences[index];
}
