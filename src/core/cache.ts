// The persisted dossier: segmented articles, their extraction results and the passage index, saved so
// that a start-up over an unchanged corpus reads them back instead of segmenting (wink-nlp),
// extracting and indexing every file again.
//
// Two files in the cache folder, each one header line then a JSON payload:
//   articles.json  every article file's name, content hash, segmented Article and Extraction
//   index.json     MiniSearch's own serialisation of the passage index (sentences, and articles' titles
//                  and outlets), and which file versions it holds
// The header carries the format, the cache key and the payload's sha256 and length. The key covers
// everything the cached data depends on besides the file itself: the extractor's version, a hash of the
// source of the cleaning, segmentation, extraction and search code, the installed dependency versions
// (package-lock.json) and the alias table. A file whose header, key, length or checksum does not match,
// or whose payload does not parse to the expected shape, is ignored and rebuilt — never trusted.
//
// Writes go to a temporary file in the same folder, then rename() over the old one, so two processes
// starting at once each see either the old or the new complete file, never half of one.
//
// The build itself (startBuild → finishBuild) is here too, so that it can run without the extractor
// loaded: `openDossier` imports the extractor (and its heavy NLP dependencies) only when a file has
// to be extracted, so a start-up from an unchanged cache never loads them. `buildDossier`
// (src/core/dossier.ts) is the same build, synchronous, with the extractor imported up front.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { ARTICLE_EXTENSIONS, MAX_ARTICLE_BYTES, idOf, loadFile, sameIdProblem, sha256 as sha256Bytes } from '../corpus/load.js';
import type { Processed } from '../corpus/pool.js';
import type { Extraction } from '../extract/types.js';
import { type AliasTable, loadAliases } from '../search/aliases.js';
import { packFieldLengths, readMiniSearch, writeMiniSearch } from '../search/load.js';
import { Hasher, readShared } from './hasher.js';
import { HEAD_FIELDS, type HeadDoc, type PassageDoc, PassageIndex, SEARCH_OPTIONS } from '../search/passages.js';
import type { BuildOptions, BuildReport, Dossier } from './dossier.js';
import { packExtraction, type StoredArticle, storeArticle, reviveArticle, readExtraction } from './stored.js';
import type { Article, CorpusProblem } from './types.js';

/** Bump when the layout of the cache files changes. */
export const CACHE_FORMAT = 4;
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
const CODE_PATHS = ['src/corpus', 'src/extract', 'src/search', 'src/core/types.ts', 'src/core/cache.ts', 'src/core/stored.ts', 'package-lock.json'];

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

/** EXTRACTOR_VERSION as src/extract/index.ts declares it, read from the source (so the extractor need not be loaded). */
export function sourceExtractorVersion(): string {
  const root = projectRoot();
  try {
    const src = root ? readFileSync(join(root, 'src', 'extract', 'index.ts'), 'utf8') : '';
    return /EXTRACTOR_VERSION\s*=\s*([^;\n]+)/.exec(src)?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The key every cache file must carry to be used: the cache format, the extractor's version (the
 * default extractor's EXTRACTOR_VERSION, or the version a custom extractFn is given), the code hash and
 * the alias table.
 */
export function cacheKey(extractorVersion: string | number | undefined, aliases: AliasTable): string | null {
  const code = codeVersion();
  if (!code) return null;
  const extractor = extractorVersion === undefined ? `default:${sourceExtractorVersion()}` : `custom:${extractorVersion}`;
  return sha256(JSON.stringify({ format: CACHE_FORMAT, extractor, code, aliases }));
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
  // The file's bytes are let go before the payload is parsed: a large cache is not in memory three times.
  const payload = readPayload(path, kind, key);
  if (!payload.ok) return payload;
  return parseJson(payload.value);
}

function parseJson(text: string): CacheRead<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
}

/** A cache file whose header is read and matches: its payload's bytes, not yet checked against the checksum. */
interface Opened {
  header: z.infer<typeof Header>;
  body: Buffer;
}

/** Reads a cache file's bytes (with `read`) and checks its header: format, kind and key. */
function openPayload(path: string, kind: 'articles' | 'index', key: string, read: (path: string) => Buffer = readFileSync): CacheRead<Opened> {
  let bytes: Buffer;
  try {
    bytes = read(path);
  } catch {
    return { ok: false, reason: 'missing', detail: `${path} does not exist` };
  }
  try {
    const nl = bytes.indexOf(10);
    const head = bytes.toString('utf8', 0, nl < 0 ? Math.min(bytes.length, 1024) : nl);
    if (nl < 0 || !head.startsWith(`${MAGIC} `)) return { ok: false, reason: 'corrupt', detail: 'no header' };
    const header = Header.safeParse(JSON.parse(head.slice(MAGIC.length + 1)));
    if (!header.success) {
      const format = /"format":\s*(\d+)/.exec(head)?.[1];
      return format && Number(format) !== CACHE_FORMAT
        ? { ok: false, reason: 'stale', detail: `format ${format}, expected ${CACHE_FORMAT}` }
        : { ok: false, reason: 'corrupt', detail: 'bad header' };
    }
    if (header.data.kind !== kind) return { ok: false, reason: 'corrupt', detail: `holds ${header.data.kind}, not ${kind}` };
    if (header.data.key !== key) return { ok: false, reason: 'stale', detail: 'made by other code, extractor version or aliases' };
    return { ok: true, value: { header: header.data, body: bytes.subarray(nl + 1) } };
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
}

/**
 * The payload's text once its checksum (`digest`, the sha256 of its bytes) and length match the header.
 * `text`: the bytes already decoded, if they were.
 */
function checkPayload(o: Opened, digest: string, text = o.body.toString('utf8')): CacheRead<string> {
  // The checksum is of the payload's UTF-8 bytes: checked on the bytes as read.
  if (digest !== o.header.sha256) return { ok: false, reason: 'corrupt', detail: text.length !== o.header.length ? 'truncated' : 'checksum mismatch' };
  if (text.length !== o.header.length) return { ok: false, reason: 'corrupt', detail: 'truncated' };
  return { ok: true, value: text };
}

/** One cache file's payload text, once its header, key, length and checksum are checked. */
function readPayload(path: string, kind: 'articles' | 'index', key: string): CacheRead<string> {
  const o = openPayload(path, kind, key);
  if (!o.ok) return o;
  try {
    return checkPayload(o.value, sha256(o.value.body));
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
}

const NON_ASCII = /[\u0080-\uffff]/g;
const toAscii = (s: string) => s.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Room for the header line (it is padded with spaces to this width, so it can be written last). */
const HEADER_BYTES = 400;

/**
 * Writes a cache file atomically: a temporary file in the same folder, then rename over the old one.
 * `produce` emits the payload in pieces (their concatenation is the JSON text); they are hashed and
 * written as they come, so a large corpus's payload is never held in memory, as one string or in pieces.
 * The header (which holds the payload's length and checksum) is written last, into room kept for it.
 */
function writeCacheFile(path: string, kind: 'articles' | 'index', key: string, produce: (emit: (piece: string) => void) => void, ascii = true): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      const hash = createHash('sha256');
      let length = 0;
      let position = HEADER_BYTES;
      let batch: string[] = [];
      let batched = 0;
      const flush = () => {
        if (!batch.length) return;
        const buf = Buffer.from(batch.join(''), 'utf8');
        hash.update(buf);
        position += writeSync(fd, buf, 0, buf.length, position);
        batch = [];
        batched = 0;
      };
      produce((text) => {
        // Written as ASCII (other characters as JSON \\u escapes) for a mostly-English corpus: read back,
        // the payload is a one-byte string, half the memory of a two-byte one (a curly quote anywhere makes
        // the whole string two-byte). A corpus mostly in other scripts is written as UTF-8 as it is: six
        // characters for each of its letters would cost more than they save.
        const piece = ascii ? toAscii(text) : text;
        length += piece.length;
        batch.push(piece);
        batched += piece.length;
        // About a megabyte per write: few system calls, little memory.
        if (batched > 1 << 20) flush();
      });
      flush();
      const header = `${MAGIC} ${JSON.stringify({ format: CACHE_FORMAT, kind, key, length, sha256: hash.digest('hex') })}`;
      if (Buffer.byteLength(header) >= HEADER_BYTES) throw new Error('cache header too long');
      writeSync(fd, `${header.padEnd(HEADER_BYTES - 1, ' ')}\n`, 0, 'utf8');
    } finally {
      closeSync(fd);
    }
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
    // Checked one by one where they are revived (a zod tuple per sentence is most of the time a check takes);
    // here only that they are arrays, which zod then keeps as they are instead of copying each.
    paragraphs: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array'),
    sentences: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array'),
    warnings: z.array(z.string()),
  }),
  // Packed (src/core/stored.ts), checked where it is unpacked.
  x: z.object({ article: z.string() }).passthrough(),
});
const ArticlesPayload = z.object({ entries: z.record(z.string(), z.unknown()) });

export const ARTICLES_FILE = 'articles.json';
export const INDEX_FILE = 'index.json';

/** The cached entries by file name, each revived with its id and path in `corpusDir`. */
export function readArticles(cacheDir: string, key: string, corpusDir: string, idOf: (file: string) => string): CacheRead<Map<string, CachedEntry>> {
  const r = readCacheFile(join(cacheDir, ARTICLES_FILE), 'articles', key);
  if (!r.ok) return r;
  return articlesFrom(r.value, corpusDir, idOf);
}

/** The articles file's parsed payload, checked and revived. */
function articlesFrom(value: unknown, corpusDir: string, idOf: (file: string) => string): CacheRead<Map<string, CachedEntry>> {
  const parsed = ArticlesPayload.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'corrupt', detail: `unexpected shape: ${parsed.error.issues[0]?.message ?? ''}` };
  const out = new Map<string, CachedEntry>();
  try {
    for (const [name, raw] of Object.entries(parsed.data.entries)) {
      // Checked entry by entry, and the entry as read is kept (zod's checked copy is dropped at once):
      // a 10,000-article cache is never held twice.
      const checked = StoredEntry.safeParse(raw);
      if (!checked.success) return { ok: false, reason: 'corrupt', detail: `unexpected shape of ${name}: ${checked.error.issues[0]?.message ?? ''}` };
      const e = raw as { a: StoredArticle; x: unknown };
      const file = join(corpusDir, name);
      const id = idOf(file);
      const article = reviveArticle(e.a, id, file);
      out.set(name, { hash: article.hash, article, extraction: readExtraction(e.x, article.body) });
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: (e as Error).message };
  }
  return { ok: true, value: out };
}

/** Above this share of non-ASCII characters in the articles, cache files are written as UTF-8, not escaped. */
const ESCAPE_MAX_SHARE = 0.05;

/** Whether the articles are mostly ASCII (English with a few quotes, dashes and accents). */
export function mostlyAscii(articles: Iterable<Article>): boolean {
  let all = 0;
  let other = 0;
  for (const a of articles) {
    all += a.body.length;
    for (let i = 0; i < a.body.length; i++) if (a.body.charCodeAt(i) > 0x7f) other++;
  }
  return other <= all * ESCAPE_MAX_SHARE;
}

export function writeArticles(cacheDir: string, key: string, entries: Map<string, CachedEntry>, ascii = mostlyAscii([...entries.values()].map((e) => e.article))): void {
  pruneSiblings(cacheDir);
  // JSON.stringify({ entries }) one entry at a time.
  writeCacheFile(join(cacheDir, ARTICLES_FILE), 'articles', key, (emit) => {
    emit('{"entries":{');
    let first = true;
    for (const [name, e] of entries) {
      emit(`${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify({ a: storeArticle(e.article), x: packExtraction(e.extraction, e.article.body) })}`);
      first = false;
    }
    emit('}}');
  }, ascii);
  sweepTemps(cacheDir);
}

// ---- the passage index ---------------------------------------------------------------------------

export interface StoredIndex {
  /** The file versions the index holds: [file name, content hash, number of sentences]. */
  docs: [string, string, number][];
  /** The sentence index's MiniSearch toJSON() (read back: the MiniSearch itself when the fast reader could read it). */
  mini: unknown;
  /** The same of the heads index (titles and outlets, one document per article). */
  heads: unknown;
}

const MiniJson = z.object({ serializationVersion: z.number(), documentCount: z.number(), index: z.array(z.unknown()) }).passthrough();
const IndexPayload = z.object({
  docs: z.array(z.tuple([z.string(), z.string(), z.number().int().nonnegative()])),
  mini: MiniJson,
  heads: MiniJson,
});
const IndexDocs = IndexPayload.shape.docs;

export function readIndex(cacheDir: string, key: string): CacheRead<StoredIndex> {
  const payload = readPayload(join(cacheDir, INDEX_FILE), 'index', key);
  if (!payload.ok) return payload;
  return indexFrom(payload.value);
}

/** The index file's payload text, read. */
function indexFrom(text: string): CacheRead<StoredIndex> {
  // The payload is {"docs":[…],"mini":<toJSON()>,"heads":<toJSON()>}: MiniSearch's parts read straight
  // into its Maps (src/search/load.ts), several times quicker than JSON.parse then loadJS; anything that
  // reader does not expect is read the slow way, which reports what is wrong.
  const prefix = '{"docs":';
  const mid = text.indexOf('],"mini":');
  if (text.startsWith(prefix) && mid > 0) {
    try {
      const docs = IndexDocs.safeParse(JSON.parse(text.slice(prefix.length, mid + 1)));
      const mini = docs.success ? readMiniSearch<PassageDoc>(text, INDEX_OPTIONS, mid + '],"mini":'.length) : null;
      const headsAt = mini && text.startsWith(',"heads":', mini.end) ? mini.end + ',"heads":'.length : -1;
      const heads = headsAt > 0 ? readMiniSearch<HeadDoc>(text, HEAD_INDEX_OPTIONS, headsAt) : null;
      if (docs.success && mini && heads && text.slice(heads.end).trim() === '}') return { ok: true, value: { docs: docs.data, mini: mini.mini, heads: heads.mini } };
    } catch {
      /* read the slow way */
    }
  }
  const r = parseJson(text);
  if (!r.ok) return r;
  const parsed = IndexPayload.safeParse(r.value);
  if (!parsed.success) return { ok: false, reason: 'corrupt', detail: `unexpected shape: ${parsed.error.issues[0]?.message ?? ''}` };
  return { ok: true, value: parsed.data };
}

/**
 * Both cache files read and parsed on this thread while a worker checks each one's checksum: a
 * start-up's reading, on two cores.
 */
async function readCacheWith(cacheDir: string, key: string, corpusDir: string, idOf: (file: string) => string): Promise<{ articles: CacheRead<Map<string, CachedEntry>>; index: CacheRead<StoredIndex> }> {
  // One file at a time, its bytes let go before the next is read: a large cache is not in memory twice.
  // Each file's checksum on a worker of its own, ended once it answers: a thread that has seen a file's
  // shared bytes keeps them alive until it ends.
  const digest = (o: CacheRead<Opened>) => {
    if (!o.ok) return null;
    const h = Hasher.start();
    const body = o.value.body;
    return (h ? h.bytes(body) : Promise.reject(new Error('no worker'))).catch(() => sha256(body)).finally(() => h?.close());
  };
  // Parsed before the checksum is known, used only once it matches.
  const read = async <T>(o: CacheRead<Opened>, use: (text: string) => CacheRead<T>): Promise<CacheRead<T>> => {
    if (!o.ok) return o;
    const d = digest(o);
    try {
      const text = o.value.body.toString('utf8');
      const value = text.length === o.value.header.length ? use(text) : null;
      const checked = checkPayload(o.value, await d!, text);
      if (!checked.ok) return checked;
      return value ?? { ok: false, reason: 'corrupt', detail: 'truncated' };
    } catch (e) {
      return { ok: false, reason: 'corrupt', detail: (e as Error).message };
    }
  };
  const articles = await read(openPayload(join(cacheDir, ARTICLES_FILE), 'articles', key, readShared), (text) => {
    const r = parseJson(text);
    return r.ok ? articlesFrom(r.value, corpusDir, idOf) : r;
  });
  const index = await read(openPayload(join(cacheDir, INDEX_FILE), 'index', key, readShared), indexFrom);
  return { articles, index };
}

/** What is written to the index file: the MiniSearch indexes themselves, serialised as they are written. */
export interface IndexToWrite {
  docs: StoredIndex['docs'];
  mini: MiniSearch<PassageDoc>;
  heads: MiniSearch<HeadDoc>;
}

export function writeIndex(cacheDir: string, key: string, index: IndexToWrite, ascii = true): void {
  // JSON.stringify({ docs, mini: mini.toJSON(), heads: heads.toJSON() }), written as it is made.
  writeCacheFile(join(cacheDir, INDEX_FILE), 'index', key, (emit) => {
    emit(`{"docs":${JSON.stringify(index.docs)},"mini":`);
    writeMiniSearch(index.mini, emit);
    emit(',"heads":');
    writeMiniSearch(index.heads, emit);
    emit('}');
  }, ascii);
}

// ---- the build ----------------------------------------------------------------------------------

function cacheConfig(opt: BuildOptions['cache'], dir: string): { dir: string; readOnly: boolean } | null {
  const env = (process.env.DOSSIER_CACHE ?? '').toLowerCase();
  if (opt === false || env === 'off' || env === '0' || env === 'false') return null;
  // Test runs build many throw-away corpora: they get no cache unless a test asks for one.
  if (opt === undefined && process.env.VITEST && !env) return null;
  const o = typeof opt === 'object' ? opt : {};
  return { dir: o.dir ?? defaultCacheDir(dir), readOnly: o.readOnly ?? env === 'readonly' };
}

/** A build half done: the corpus scanned, cached articles reused, changed files loaded but not extracted. */
export interface PendingBuild {
  dir: string;
  opts: BuildOptions;
  t0: number;
  table: AliasTable;
  cfg: { dir: string; readOnly: boolean } | null;
  key: string | null;
  report: BuildReport;
  prev: Map<string, CachedEntry>;
  names: string[];
  articles: Article[];
  problems: CorpusProblem[];
  extractions: Map<string, Extraction>;
  /** File names that were (re)loaded and need extracting. */
  fresh: Set<string>;
  /** File names a worker loaded but failed to extract: why. */
  extractErrors: Map<string, string>;
  /** The passage index of exactly `articles`, when it was built during the extraction. */
  prebuilt?: PassageIndex;
  /** The index file, when it was read ahead. */
  indexRead?: CacheRead<StoredIndex>;
}

/** One article file of the corpus: its version in the cache when unchanged, else what loading it gave. */
interface Slot {
  name: string;
  path: string;
  cached: CachedEntry | null;
  loaded?: Processed;
}

/** The first half of startBuild: the cache read and the corpus listed; unchanged files matched to the cache. */
interface Scan {
  dir: string;
  opts: BuildOptions;
  t0: number;
  table: AliasTable;
  aliasProblem: string | null;
  cfg: { dir: string; readOnly: boolean } | null;
  key: string | null;
  report: BuildReport;
  prev: Map<string, CachedEntry>;
  slots: Slot[];
  listProblem: CorpusProblem | null;
  /** The passage index of exactly these articles, built while they were extracted (cold starts). */
  prebuilt?: PassageIndex;
  /** The index file, when it was read ahead. */
  indexRead?: CacheRead<StoredIndex>;
}

/** Below this size of the articles file, a start-up reads the cache on its own thread (see readAhead). */
const READ_AHEAD_MIN_BYTES = 4 << 20;

/** The cache files read (and the corpus hashed) ahead of a scan, on two cores: see readAhead. */
interface ReadAhead {
  /** The cache key it read with: the scan uses what it read only under the same key (aliases.yaml unchanged). */
  key: string;
  t0: number;
  ms: number;
  articles: CacheRead<Map<string, CachedEntry>>;
  index: CacheRead<StoredIndex>;
  /** Content hash of each article file by name (null: unreadable or too large). */
  hashes: Map<string, string | null>;
}

/**
 * For a start-up with a cache to read: both cache files read and parsed here while a Hasher checks their
 * checksums and hashes every article file on another core. Null when there is no cache to read, when it is
 * small, or when worker threads are off (DOSSIER_WORKERS=0) or cannot start: the scan then reads as usual.
 */
async function readAhead(dir: string, opts: BuildOptions): Promise<ReadAhead | null> {
  const t0 = performance.now();
  const cfg = cacheConfig(opts.cache, dir);
  if (!cfg || buildWorkers(opts) === 0) return null;
  const key = cacheKey(opts.extractorVersion, loadAliases(dir).table);
  let size = 0;
  try {
    size = statSync(join(cfg.dir, ARTICLES_FILE)).size;
  } catch {
    return null;
  }
  // A small cache is read quicker on this thread than a worker starts (~30 ms), unless workers are asked for.
  if (!key || (size < READ_AHEAD_MIN_BYTES && opts.workers === undefined)) return null;
  const hasher = Hasher.start();
  if (!hasher) return null;
  try {
    let names: string[] = [];
    try {
      names = readdirSync(dir).filter((n) => ARTICLE_EXTENSIONS.has(extname(n).toLowerCase()) && !n.startsWith('.'));
    } catch {
      /* the scan reports it */
    }
    const hashing = hasher
      .files(
        names.map((n) => join(dir, n)),
        MAX_ARTICLE_BYTES,
      )
      .then((hs) => new Map(names.map((n, i) => [n, hs[i] ?? null])))
      .catch(() => new Map<string, string | null>());
    const { articles, index } = await readCacheWith(cfg.dir, key, dir, idOf);
    const hashes = await hashing;
    return { key, t0, ms: performance.now() - t0, articles, index, hashes };
  } finally {
    hasher.close();
  }
}

function scanCorpus(dir: string, opts: BuildOptions, readAhead: ReadAhead | null = null): Scan {
  const t0 = readAhead?.t0 ?? performance.now();
  const { table, problem } = loadAliases(dir);
  const cfg = cacheConfig(opts.cache, dir);
  const key = cfg ? cacheKey(opts.extractorVersion, table) : null;
  // What was read ahead under another key (the aliases changed meanwhile) is not used.
  const ahead = readAhead && readAhead.key === key ? readAhead : null;
  const ms = { scan: 0, load: 0, extract: 0, cacheRead: 0, index: 0, save: 0, total: 0 };
  const report: BuildReport = { cache: 'off', rejected: [], cacheDir: cfg && key ? cfg.dir : null, reused: 0, loaded: 0, removed: 0, index: 'built', saved: false, workers: 0, ms };

  // The previous run's articles, by file name.
  let t = performance.now();
  let prev = new Map<string, CachedEntry>();
  if (cfg && key) {
    const r = ahead?.articles ?? readArticles(cfg.dir, key, dir, idOf);
    if (r.ok) prev = r.value;
    else report.rejected.push(`articles: ${r.reason} (${r.detail})`);
  }
  ms.cacheRead += performance.now() - t;

  // The corpus, as loadCorpus reads it; an unchanged file is taken from the cache without parsing it.
  let listed: string[] | null = null;
  let listProblem: CorpusProblem | null = null;
  try {
    listed = readdirSync(dir).sort();
  } catch (e) {
    listProblem = { file: dir, line: null, reason: `cannot read the corpus folder: ${(e as Error).message}`, severity: 'error' };
  }
  const slots: Slot[] = [];
  t = performance.now();
  for (const name of listed ?? []) {
    if (!ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()) || name.startsWith('.')) continue;
    const path = join(dir, name);
    let cached: CachedEntry | null = null;
    const old = prev.get(name);
    const hashed = ahead?.hashes.get(name);
    if (old && hashed !== undefined) {
      if (hashed === old.hash) cached = old;
    } else if (old) {
      try {
        const bytes = readFileSync(path);
        if (bytes.length <= MAX_ARTICLE_BYTES && sha256Bytes(bytes) === old.hash) cached = old;
      } catch {
        /* unreadable: loadFile names the problem */
      }
    }
    slots.push({ name, path, cached });
  }
  ms.scan += performance.now() - t;
  // Read ahead: the time reading both cache files took, on this thread and the hashing one.
  if (ahead) {
    ms.cacheRead = ahead.ms;
    report.readAhead = true;
  }
  return { dir, opts, t0, table, aliasProblem: problem, cfg, key, report, prev, slots, listProblem, ...(ahead ? { indexRead: ahead.index } : {}) };
}

/** The second half: every slot resolved (from the cache or loaded), in the corpus's order. */
function settleScan(sc: Scan): PendingBuild {
  const { dir, opts, t0, table, cfg, key, report, prev, slots } = sc;
  const articles: Article[] = [];
  const problems: CorpusProblem[] = sc.listProblem ? [sc.listProblem] : [];
  const extractions = new Map<string, Extraction>();
  const fresh = new Set<string>();
  const extractErrors = new Map<string, string>();
  const names: string[] = [];
  const ids = new Map<string, string>();
  for (const slot of slots) {
    let article: Article;
    const candidate = slot.cached?.article ?? (slot.loaded && 'article' in slot.loaded ? slot.loaded.article : null);
    if (candidate) {
      // Two files with one id ("a.md" and "a.txt"): the first is served; citations could not tell them apart.
      const first = ids.get(candidate.id);
      if (first !== undefined) {
        problems.push(sameIdProblem(slot.path, candidate.id, first));
        continue;
      }
      ids.set(candidate.id, slot.path);
    }
    if (slot.cached) {
      article = slot.cached.article;
      extractions.set(article.id, slot.cached.extraction);
      report.reused++;
    } else {
      const r = slot.loaded!;
      if ('problem' in r) {
        problems.push(r.problem);
        continue;
      }
      article = r.article;
      report.loaded++;
      if (r.extraction) extractions.set(article.id, r.extraction);
      else if (r.extractError !== null) {
        extractions.set(article.id, { article: article.id, dates: [], events: [], statements: [] });
        extractErrors.set(slot.name, r.extractError);
      } else fresh.add(slot.name);
    }
    names.push(slot.name);
    articles.push(article);
    for (const w of article.warnings) problems.push({ file: slot.path, line: null, reason: w, severity: 'warning' });
  }
  if (sc.aliasProblem) problems.push({ file: `${dir}/aliases.yaml`, line: null, reason: sc.aliasProblem, severity: 'warning' });
  const current = new Set(names);
  report.removed = [...prev.keys()].filter((n) => !current.has(n)).length;
  return { dir, opts, t0, table, cfg, key, report, prev, names, articles, problems, extractions, fresh, extractErrors, prebuilt: sc.prebuilt, ...(sc.indexRead ? { indexRead: sc.indexRead } : {}) };
}

/** Loads (without extracting) the files the cache did not have, here. */
function loadHere(sc: Scan): void {
  const t = performance.now();
  for (const slot of sc.slots) if (!slot.cached) slot.loaded = loaded(loadFile(slot.path));
  sc.report.ms.load += performance.now() - t;
}

const loaded = (r: ReturnType<typeof loadFile>): Processed => ('problem' in r ? r : { article: r.article, extraction: null, extractError: null });

/** Reads the cache and the corpus: unchanged files come from the cache, the others are parsed. */
export function startBuild(dir: string, opts: BuildOptions = {}): PendingBuild {
  const sc = scanCorpus(dir, opts);
  loadHere(sc);
  return settleScan(sc);
}

/** Changed files at least this many to start worker threads for them (a worker takes ~1 s to start). */
export const PARALLEL_MIN_FILES = 48;

/** How many worker threads a build uses: DOSSIER_WORKERS, else one per core (at most 8); 0 = none. */
export function buildWorkers(opts: BuildOptions): number {
  if (opts.workers !== undefined) return Math.max(0, Math.floor(opts.workers));
  const env = process.env.DOSSIER_WORKERS;
  if (env !== undefined && env !== '' && Number.isFinite(Number(env))) return Math.max(0, Math.floor(Number(env)));
  if (process.env.VITEST) return 0;
  return Math.min(8, availableParallelism());
}

/** Extracts the changed files, brings the index up to date and saves what changed. */
export function finishBuild(b: PendingBuild, extractFn: (a: Article) => Extraction): Dossier {
  const { dir, table, cfg, key, report, prev, names, articles, problems, extractions, fresh } = b;
  const { ms } = report;
  const current = new Map(names.map((n, i) => [n, articles[i]!]));

  // Extraction of what is new.
  let t = performance.now();
  for (const name of names) {
    if (fresh.has(name)) extractOne(current.get(name)!, extractFn, extractions, problems);
    const failed = b.extractErrors.get(name);
    if (failed !== undefined) problems.push({ file: current.get(name)!.file, line: null, reason: `extraction failed: ${failed}`, severity: 'error' });
  }
  ms.extract += performance.now() - t;

  // The passage index: the saved one when it holds exactly these file versions, updated when only a few
  // differ, built from scratch otherwise.
  t = performance.now();
  let passages: PassageIndex | null = null;
  if (cfg && key) {
    const r = b.indexRead ?? readIndex(cfg.dir, key);
    ms.cacheRead += performance.now() - t;
    t = performance.now();
    if (r.ok) {
      try {
        passages = updateIndex(table, r.value, current, prev, report);
      } catch (e) {
        report.rejected.push(`index: corrupt (${(e as Error).message})`);
        passages = null;
      }
    } else report.rejected.push(`index: ${r.reason} (${r.detail})`);
  }
  if (!passages && b.prebuilt) {
    passages = b.prebuilt;
    report.index = 'built';
  }
  if (!passages) {
    passages = newPassageIndex(table);
    for (const a of articles) passages.add(a);
    report.index = 'built';
  }
  // An index built or updated here holds its field lengths as MiniSearch's Map of arrays (68 MB at
  // 10,000 articles): packed, as an index read from the cache holds them.
  if (report.index !== 'loaded') {
    packFieldLengths(passages.mini);
    packFieldLengths(passages.heads);
  }
  ms.index += performance.now() - t;

  // Save what changed.
  if (cfg && key) {
    report.cache = report.loaded === 0 && report.removed === 0 && report.rejected.length === 0 ? 'hit' : report.reused > 0 ? 'partial' : 'miss';
    const articlesChanged = report.loaded > 0 || report.removed > 0 || report.rejected.some((r) => r.startsWith('articles'));
    if (!cfg.readOnly && (articlesChanged || report.index !== 'loaded')) {
      t = performance.now();
      const ascii = mostlyAscii(articles);
      try {
        if (articlesChanged) {
          const entries = new Map<string, CachedEntry>();
          for (const [name, a] of current) entries.set(name, { hash: a.hash, article: a, extraction: extractions.get(a.id)! });
          writeArticles(cfg.dir, key, entries, ascii);
        }
        if (report.index !== 'loaded') writeIndex(cfg.dir, key, { docs: names.map((n) => [n, current.get(n)!.hash, current.get(n)!.sentences.length]), mini: passages.mini, heads: passages.heads }, ascii);
        report.saved = true;
      } catch (e) {
        report.saveError = (e as Error).message;
      }
      ms.save += performance.now() - t;
    }
  }
  const d: Dossier = { dir, articles, byId: new Map(articles.map((a) => [a.id, a])), extractions, problems, aliases: table, passages };
  ms.total = performance.now() - b.t0;
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

/** The heads index's options: INDEX_OPTIONS over an article's title and outlet. */
export const HEAD_INDEX_OPTIONS: typeof SEARCH_OPTIONS = { ...INDEX_OPTIONS, fields: HEAD_FIELDS };

/** An empty passage index with the memoised options. */
export function newPassageIndex(aliases: AliasTable): PassageIndex {
  return new PassageIndex(aliases, new MiniSearch<PassageDoc>(INDEX_OPTIONS), new MiniSearch<HeadDoc>(HEAD_INDEX_OPTIONS));
}

/**
 * A copy of a passage index with `gone` articles' sentences removed and `added` ones added: the index of a
 * slightly changed corpus, without indexing every article again and without touching `from` (a Dossier
 * serving is never mutated). The copy is loaded with MiniSearch's loadJSAsync, which yields to the event
 * loop as it goes. `aliases` must be the table `from` was built with.
 */
export async function updatedPassageIndex(from: PassageIndex, aliases: AliasTable, gone: Article[], added: Article[]): Promise<PassageIndex> {
  const copy = new PassageIndex(aliases, await MiniSearch.loadJSAsync<PassageDoc>(from.mini.toJSON(), INDEX_OPTIONS), await MiniSearch.loadJSAsync<HeadDoc>(from.heads.toJSON(), HEAD_INDEX_OPTIONS));
  packFieldLengths(copy.mini);
  packFieldLengths(copy.heads);
  for (const a of gone) copy.remove(a);
  for (const a of added) copy.add(a);
  return copy;
}

/** The saved index brought up to date with the current files, or null when rebuilding is simpler. */
function updateIndex(
  table: AliasTable,
  { mini, heads, docs }: StoredIndex,
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
  const load = <T>(json: unknown, options: typeof SEARCH_OPTIONS) => (json instanceof MiniSearch ? (json as MiniSearch<T>) : MiniSearch.loadJS<T>(json as Parameters<typeof MiniSearch.loadJS>[0], options));
  const passages = new PassageIndex(table, load<PassageDoc>(mini, INDEX_OPTIONS), load<HeadDoc>(heads, HEAD_INDEX_OPTIONS));
  if (passages.mini.documentCount !== docs.reduce((n, d) => n + d[2], 0)) throw new Error('document count differs from its list of files');
  if (passages.heads.documentCount !== docs.length) throw new Error('heads count differs from its list of files');
  for (const [name] of stale) passages.remove(prev.get(name)!.article);
  for (const [, a] of missing) passages.add(a);
  report.index = stale.length + missing.length === 0 ? 'loaded' : 'updated';
  return passages;
}

/**
 * The Dossier of a corpus, like buildDossier, but the extractor (and the NLP libraries it needs) is
 * imported only when some file has to be extracted: a start-up from an unchanged cache never loads it.
 */
export async function openDossier(dir: string, opts: BuildOptions = {}): Promise<Dossier> {
  const sc = scanCorpus(dir, opts, await readAhead(dir, opts));
  const toLoad = sc.slots.filter((s) => !s.cached);
  const workers = opts.extractFn ? 0 : Math.min(buildWorkers(opts), Math.ceil(toLoad.length / 16));
  if (workers > 0 && toLoad.length >= PARALLEL_MIN_FILES) {
    // Many files to read and extract (a cold start): over worker threads, one per core.
    const t = performance.now();
    const { processInWorkers } = await import('../corpus/pool.js');
    const { extract } = await import('../extract/index.js');
    // With every file new (a cold start), the passage index is built from scratch: it is built here while
    // the workers extract, adding the articles in the corpus's order (as a build on one thread does).
    let indexing: { index: PassageIndex; next: number; ms: number } | null = sc.slots.every((s) => !s.cached) ? { index: newPassageIndex(sc.table), next: 0, ms: 0 } : null;
    const onResult = () => {
      if (!indexing) return;
      const t0 = performance.now();
      try {
        while (indexing.next < toLoad.length && toLoad[indexing.next]!.loaded) {
          const r = toLoad[indexing.next++]!.loaded!;
          if ('article' in r) indexing.index.add(r.article);
        }
        indexing.ms += performance.now() - t0;
      } catch {
        indexing = null; // built again after the files, as usual
      }
    };
    const done = await processInWorkers(
      toLoad.map((s) => s.path),
      workers,
      (path) => {
        const r = loadFile(path);
        if ('problem' in r) return r;
        try {
          return { article: r.article, extraction: extract(r.article), extractError: null };
        } catch (e) {
          return { article: r.article, extraction: null, extractError: (e as Error).message };
        }
      },
      (i, r) => {
        toLoad[i]!.loaded = r;
        onResult();
      },
    );
    toLoad.forEach((s, i) => (s.loaded = done[i]!));
    onResult();
    if (indexing && indexing.next === toLoad.length) {
      sc.prebuilt = indexing.index;
      sc.report.ms.index += indexing.ms;
    }
    sc.report.workers = workers;
    sc.report.ms.extract += performance.now() - t;
  } else loadHere(sc);
  const pending = settleScan(sc);
  let extractFn = opts.extractFn;
  if (!extractFn) {
    if (pending.fresh.size > 0) extractFn = (await import('../extract/index.js')).extract;
    else extractFn = () => {
      throw new Error('no extractor loaded');
    };
  }
  return finishBuild(pending, extractFn);
}

/** Extracts one article into `into`; a failure is a problem naming the file, with an empty extraction. */
export function extractOne(a: Article, extractFn: (a: Article) => Extraction, into: Map<string, Extraction>, problems: CorpusProblem[]): void {
  try {
    into.set(a.id, extractFn(a));
  } catch (e) {
    problems.push({ file: a.file, line: null, reason: `extraction failed: ${(e as Error).message}`, severity: 'error' });
    into.set(a.id, { article: a.id, dates: [], events: [], statements: [] });
  }
}
