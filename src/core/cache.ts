// The persisted dossier: segmented articles, their extraction results and the passage index, saved so
// that a start-up over an unchanged corpus reads them back instead of segmenting (wink-nlp),
// extracting and indexing every file again.
//
// Two files in the cache folder, each one header line then a JSON payload:
//   articles.json  every article file's name, content hash, segmented Article and Extraction
//   index.json     MiniSearch's own serialisation of the passage index, and which file versions it holds
// The header carries the format, the cache key and the payload's sha256 and length. The key covers
// everything the cached data depends on besides the file itself: the extractor's version, a hash of the
// source of the cleaning, segmentation, extraction and search code, the installed dependency versions
// (package-lock.json) and the alias table. A file whose header, key, length or checksum does not match,
// or whose payload does not parse to the expected shape, is ignored and rebuilt — never trusted.
//
// Writes go to a temporary file in the same folder, then rename() over the old one, so two processes
// starting at once each see either the old or the new complete file, never half of one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Extraction } from '../extract/types.js';
import type { AliasTable } from '../search/aliases.js';
import type { Article, Paragraph } from './types.js';

/** Bump when the layout of the cache files changes. */
export const CACHE_FORMAT = 1;
const MAGIC = 'DOSSIER-CACHE';

const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

/** The project's root folder (where package.json and src/ are), found from this module's location. */
export function projectRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'core'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Source folders whose code decides what is cached: any change to them makes the cache stale. */
const CODE_PATHS = ['src/corpus', 'src/extract', 'src/search', 'src/core/types.ts', 'src/core/cache.ts', 'package-lock.json'];

let codeVersionMemo: string | null | undefined;
/**
 * A hash of the code the cached data was made by: the cleaning, segmentation, extraction and search
 * sources and the locked dependency versions. Null when the sources cannot be found (no cache then).
 */
export function codeVersion(): string | null {
  if (codeVersionMemo !== undefined) return codeVersionMemo;
  const root = projectRoot();
  if (!root) return (codeVersionMemo = null);
  const h = createHash('sha256');
  const addFile = (path: string, rel: string) => {
    h.update(`${rel}\0`);
    h.update(readFileSync(path));
    h.update('\0');
  };
  try {
    for (const rel of CODE_PATHS) {
      const path = join(root, rel);
      if (!existsSync(path)) continue;
      if (statSync(path).isDirectory()) {
        for (const name of readdirSync(path).sort()) if (/\.(ts|js|mjs|json)$/.test(name)) addFile(join(path, name), `${rel}/${name}`);
      } else addFile(path, rel);
    }
  } catch {
    return (codeVersionMemo = null);
  }
  return (codeVersionMemo = h.digest('hex'));
}

/** The key every cache file must carry to be used. */
export function cacheKey(extractorVersion: string | number, aliases: AliasTable): string | null {
  const code = codeVersion();
  if (!code) return null;
  return sha256(JSON.stringify({ format: CACHE_FORMAT, extractor: String(extractorVersion), code, aliases }));
}

/**
 * Where the cache of a corpus lives: $DOSSIER_CACHE_DIR when set (used as it is), else
 * `<project>/.cache/dossier/<hash of the corpus's absolute path>/` (git-ignored, outside the corpus,
 * so neither the loader nor a watcher of the corpus folder sees it).
 */
export function defaultCacheDir(corpusDir: string): string {
  const env = process.env.DOSSIER_CACHE_DIR;
  if (env) return resolve(env);
  const root = projectRoot() ?? process.cwd();
  return join(root, '.cache', 'dossier', sha256(resolve(corpusDir)).slice(0, 16));
}

// ---- file format ---------------------------------------------------------------------------------

const Header = z.object({
  format: z.literal(CACHE_FORMAT),
  kind: z.enum(['articles', 'index']),
  key: z.string(),
  length: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type CacheRead<T> = { ok: true; value: T } | { ok: false; reason: 'missing' | 'stale' | 'corrupt'; detail: string };

/** Reads one cache file, checking its header, key, length and checksum; the payload is parsed JSON. */
function readCacheFile(path: string, kind: 'articles' | 'index', key: string): CacheRead<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, reason: 'missing', detail: `${path} does not exist` };
  }
  try {
    const nl = text.indexOf('\n');
    if (nl < 0 || !text.startsWith(`${MAGIC} `)) return { ok: false, reason: 'corrupt', detail: 'no header' };
    const header = Header.safeParse(JSON.parse(text.slice(MAGIC.length + 1, nl)));
    if (!header.success) {
      const format = /"format":\s*(\d+)/.exec(text.slice(0, nl))?.[1];
      return format && Number(format) !== CACHE_FORMAT
        ? { ok: false, reason: 'stale', detail: `format ${format}, expected ${CACHE_FORMAT}` }
        : { ok: false, reason: 'corrupt', detail: 'bad header' };
    }
    if (header.data.kind !== kind) return { ok: false, reason: 'corrupt', detail: `holds ${header.data.kind}, not ${kind}` };
    if (header.data.key !== key) return { ok: false, reason: 'stale', detail: 'made by other code, extractor version or aliases' };
    const payload = text.slice(nl + 1);
    if (payload.length !== header.data.length) return { ok: false, reason: 'corrupt', detail: 'truncated' };
    if (sha256(payload) !== header.data.sha256) return { ok: false, reason: 'corrupt', detail: 'checksum mismatch' };
    return { ok: true, value: JSON.parse(payload) };
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
}

/** Writes a cache file atomically: a temporary file in the same folder, then rename over the old one. */
function writeCacheFile(path: string, kind: 'articles' | 'index', key: string, payload: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const header = JSON.stringify({ format: CACHE_FORMAT, kind, key, length: payload.length, sha256: sha256(payload) });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, `${MAGIC} ${header}\n${payload}`);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never written */
    }
    throw e;
  }
}

/** Removes temporary files left by a process that died while writing (older than ten minutes). */
function sweepTemps(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.tmp')) continue;
      const p = join(dir, name);
      if (Date.now() - statSync(p).mtimeMs > 10 * 60_000) unlinkSync(p);
    }
  } catch {
    /* best effort */
  }
}

/** Cache folders kept side by side under `.cache/dossier/` (one per corpus path); older ones are removed. */
export const KEEP_CORPORA = 16;

/** Under the project's default cache root only: keeps the most recently used KEEP_CORPORA folders. */
function pruneSiblings(cacheDir: string): void {
  const root = projectRoot();
  if (!root) return;
  const parent = join(root, '.cache', 'dossier');
  if (dirname(resolve(cacheDir)) !== parent) return;
  try {
    const dirs = readdirSync(parent)
      .filter((n) => /^[0-9a-f]{16}$/.test(n) && join(parent, n) !== resolve(cacheDir))
      .map((n) => ({ p: join(parent, n), t: statSync(join(parent, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const d of dirs.slice(KEEP_CORPORA - 1)) rmSync(d.p, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}

// ---- articles and extractions --------------------------------------------------------------------

/** An article as stored: sentence texts are not repeated (they are slices of the body). */
interface StoredArticle {
  hash: string;
  meta: Article['meta'];
  body: string;
  bodyLine: number;
  paragraphs: Paragraph[];
  /** [start, end, paragraph, caption ? 1 : 0] per sentence, in order. */
  sentences: [number, number, number, 0 | 1][];
  warnings: string[];
}

export interface CachedEntry {
  /** sha256 of the file's bytes. */
  hash: string;
  article: Article;
  extraction: Extraction;
}

const StoredEntry = z.object({
  a: z.object({
    hash: z.string(),
    meta: z.object({ title: z.string(), outlet: z.string().nullable(), published: z.string().nullable(), url: z.string().nullable(), byline: z.string().nullable() }).passthrough(),
    body: z.string(),
    bodyLine: z.number(),
    paragraphs: z.array(z.object({ start: z.number(), end: z.number(), index: z.number(), kind: z.string() }).passthrough()),
    sentences: z.array(z.tuple([z.number(), z.number(), z.number(), z.union([z.literal(0), z.literal(1)])])),
    warnings: z.array(z.string()),
  }),
  x: z.object({ article: z.string(), dates: z.array(z.unknown()), events: z.array(z.unknown()), statements: z.array(z.unknown()) }).passthrough(),
});
const ArticlesPayload = z.object({ entries: z.record(z.string(), StoredEntry) });

function storeArticle(a: Article): StoredArticle {
  return {
    hash: a.hash,
    meta: a.meta,
    body: a.body,
    bodyLine: a.bodyLine,
    paragraphs: a.paragraphs,
    sentences: a.sentences.map((s) => [s.start, s.end, s.paragraph, s.caption ? 1 : 0]),
    warnings: a.warnings,
  };
}

function reviveArticle(s: StoredArticle, id: string, file: string): Article {
  const { body } = s;
  for (const [start, end] of s.sentences) if (!(start >= 0 && start <= end && end <= body.length)) throw new Error(`sentence span out of the body in ${id}`);
  return {
    id,
    file,
    meta: s.meta,
    body,
    bodyLine: s.bodyLine,
    paragraphs: s.paragraphs,
    sentences: s.sentences.map(([start, end, paragraph, caption], index) => ({ start, end, index, paragraph, text: body.slice(start, end), caption: caption === 1 })),
    hash: s.hash,
    warnings: s.warnings,
  };
}

export const ARTICLES_FILE = 'articles.json';
export const INDEX_FILE = 'index.json';

/** The cached entries by file name, each revived with its id and path in `corpusDir`. */
export function readArticles(cacheDir: string, key: string, corpusDir: string, idOf: (file: string) => string): CacheRead<Map<string, CachedEntry>> {
  const r = readCacheFile(join(cacheDir, ARTICLES_FILE), 'articles', key);
  if (!r.ok) return r;
  const parsed = ArticlesPayload.safeParse(r.value);
  if (!parsed.success) return { ok: false, reason: 'corrupt', detail: `unexpected shape: ${parsed.error.issues[0]?.message ?? ''}` };
  const out = new Map<string, CachedEntry>();
  try {
    for (const [name, e] of Object.entries(parsed.data.entries)) {
      const file = join(corpusDir, name);
      const id = idOf(file);
      const article = reviveArticle(e.a as unknown as StoredArticle, id, file);
      out.set(name, { hash: article.hash, article, extraction: e.x as unknown as Extraction });
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
  return { ok: true, value: out };
}

export function writeArticles(cacheDir: string, key: string, entries: Map<string, CachedEntry>): void {
  pruneSiblings(cacheDir);
  const obj: Record<string, { a: StoredArticle; x: Extraction }> = {};
  for (const [name, e] of entries) obj[name] = { a: storeArticle(e.article), x: e.extraction };
  writeCacheFile(join(cacheDir, ARTICLES_FILE), 'articles', key, JSON.stringify({ entries: obj }));
  sweepTemps(cacheDir);
}

// ---- the passage index ---------------------------------------------------------------------------

export interface StoredIndex {
  /** The file versions the index holds: [file name, content hash, number of sentences]. */
  docs: [string, string, number][];
  /** MiniSearch's toJSON(). */
  mini: unknown;
}

const IndexPayload = z.object({
  docs: z.array(z.tuple([z.string(), z.string(), z.number().int().nonnegative()])),
  mini: z.object({ serializationVersion: z.number(), documentCount: z.number(), index: z.array(z.unknown()) }).passthrough(),
});

export function readIndex(cacheDir: string, key: string): CacheRead<StoredIndex> {
  const r = readCacheFile(join(cacheDir, INDEX_FILE), 'index', key);
  if (!r.ok) return r;
  const parsed = IndexPayload.safeParse(r.value);
  if (!parsed.success) return { ok: false, reason: 'corrupt', detail: `unexpected shape: ${parsed.error.issues[0]?.message ?? ''}` };
  return { ok: true, value: parsed.data };
}

export function writeIndex(cacheDir: string, key: string, index: StoredIndex): void {
  writeCacheFile(join(cacheDir, INDEX_FILE), 'index', key, JSON.stringify(index));
}
