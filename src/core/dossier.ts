// The Dossier: a loaded corpus, what was extracted from it and its passage index. Answers are pure
// functions over it. A new Dossier is built (or updated copy-on-write) rather than mutated in place,
// so queries in flight keep the one they started with.
//
// buildDossier reads the persisted cache (src/core/cache.ts) when there is one: files whose content hash
// is unchanged are neither segmented nor extracted again, the saved passage index is loaded and only
// changed, added or removed files are updated in it. Pass `cache: false` (or set DOSSIER_CACHE=off)
// to build everything from the files.
import { extract } from '../extract/index.js';
import type { Extraction } from '../extract/types.js';
import type { AliasTable } from '../search/aliases.js';
import type { PassageIndex } from '../search/passages.js';
import { extractOne, finishBuild, newPassageIndex, startBuild } from './cache.js';
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
  /**
   * Worker threads that read and extract changed files when there are many (openDossier only): default
   * one per core (DOSSIER_WORKERS overrides; 0 = all on the calling thread). Ignored with a custom `extractFn`.
   */
  workers?: number;
  /** Version of a custom `extractFn`'s results, part of the cache key (default: the extractor's EXTRACTOR_VERSION). */
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
  /** Worker threads that loaded and extracted the changed files (0: done on the calling thread; then `load` and `extract` are the work itself, else `extract` is the workers' wall time). */
  workers: number;
  /** Whether the cache files' checksums and the corpus files' hashes were computed on worker threads while this thread parsed the cache. */
  readAhead?: boolean;
  /** Whether the cache was written (and the error if writing failed: the dossier is served anyway). */
  saved: boolean;
  saveError?: string;
  /** Milliseconds per stage: scan (list, read, hash), load (parse, clean, segment), extract, cacheRead, index, save. */
  ms: Record<'scan' | 'load' | 'extract' | 'cacheRead' | 'index' | 'save' | 'total', number>;
}

/** Builds the Dossier of the corpus in `dir`, from the persisted cache where files are unchanged. */
export function buildDossier(dir: string, opts: BuildOptions = {}): Dossier {
  return finishBuild(startBuild(dir, opts), opts.extractFn ?? extract);
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
  return { dir, articles, byId: new Map(articles.map((a) => [a.id, a])), extractions, problems, aliases, passages };
}

export function sentenceOf(d: Dossier, article: string, index: number): Sentence | undefined {
  return d.byId.get(article)?.sentences[index];
}
export { openDossier } from './cache.js';
