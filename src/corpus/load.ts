// Corpus files → Articles. A bad file is reported by name and line; the others load and serve.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import * as chrono from 'chrono-node';
import type { Article, ArticleMeta, CorpusProblem, Sentence } from '../core/types.js';
import { classifyParagraphs } from './clean.js';
import { FrontMatterError, readFrontMatter } from './metadata.js';
import { splitParagraphs, splitSentences } from './segment.js';

/** File endings that hold articles. Anything else in the folder (aliases.yaml, README) is not an article. */
export const ARTICLE_EXTENSIONS = new Set(['.md', '.markdown', '.txt']);
/** Larger files are refused: no news article is this long, and a huge file would stall the bot. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

export class ArticleError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(message);
  }
}

/** Bytes → text, refusing what is not UTF-8 text. UTF-16 with a BOM is decoded; a UTF-8 BOM is dropped. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new ArticleError('the file is empty');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ArticleError('the file is binary (it has NUL bytes), not text', lineAt(bytes, nul));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArticleError('the file is not valid UTF-8 text', firstBadUtf8Line(bytes));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstBadUtf8Line(bytes: Uint8Array): number | null {
  let start = 0;
  let line = 1;
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        dec.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return null;
}

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
const DATELINE = new RegExp(`^[A-Z][\\p{L} .,'’-]{1,60}?,\\s*(${MONTH}\\s+\\d{1,2},?\\s+\\d{4}|\\d{1,2}\\s+${MONTH}\\s+\\d{4})\\s*[–—-]{1,2}\\s`, 'u');
const PUBLISHED_LINE = /^\s*(?:published|posted|first published|updated|date)\s*:?\s*(.{6,60})$/im;

/** A full day date written in the text, as YYYY-MM-DD, or null. */
function absoluteDay(s: string): string | null {
  const r = chrono.strict.parse(s, new Date(Date.UTC(2000, 0, 1)))[0];
  if (!r || !r.start.isCertain('year') || !r.start.isCertain('month')) return null;
  const y = r.start.get('year')!;
  const m = String(r.start.get('month')).padStart(2, '0');
  if (!r.start.isCertain('day')) return `${y}-${m}`;
  return `${y}-${m}-${String(r.start.get('day')).padStart(2, '0')}`;
}

/** The publication date a file without front matter shows: a "Published : …" line or a dateline. */
export function publishedFromText(body: string): string | null {
  const head = body.split('\n').slice(0, 30).join('\n');
  const pub = PUBLISHED_LINE.exec(head);
  if (pub) {
    const d = absoluteDay(pub[1]!);
    if (d) return d;
  }
  for (const line of head.split('\n')) {
    const m = DATELINE.exec(line.trim());
    if (m) {
      const d = absoluteDay(m[1]!);
      if (d) return d;
    }
  }
  return null;
}

/** Builds an Article from a file's text. Throws ArticleError / FrontMatterError with a line. */
export function parseArticle(file: string, raw: string, hash = sha256(raw)): Article {
  const text = raw.replace(/\r\n?/g, '\n');
  const fm = readFrontMatter(text);
  const body = fm ? text.slice(fm.length) : text;
  const bodyLine = fm ? fm.lines + 1 : 1;
  if (body.trim() === '') throw new ArticleError(fm ? 'the article has front matter but no text below it' : 'the file has no text', bodyLine);
  const warnings: string[] = [];
  for (const k of Object.keys(fm?.extra ?? {})) warnings.push(`unknown front-matter key '${k}' (kept, not used)`);
  const firstLine = body.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const title = fm?.data.title ?? firstLine.slice(0, 200);
  let published = fm?.data.published ?? null;
  let publishedFrom: ArticleMeta['publishedFrom'] = published ? 'front-matter' : null;
  if (!published) {
    published = publishedFromText(body);
    if (published) publishedFrom = 'text';
  }
  const byline = fm?.data.byline ?? /^\s*by\s+([^\n]{2,60})$/im.exec(body.split('\n').slice(0, 15).join('\n'))?.[1]?.trim() ?? null;
  const meta: ArticleMeta = {
    title,
    outlet: fm?.data.outlet ?? null,
    published,
    url: fm?.data.url ?? null,
    byline,
    publishedFrom,
    extra: fm?.extra ?? {},
  };
  const paragraphs = classifyParagraphs(body, splitParagraphs(body), fm?.data.title ?? null).map((p, index) => ({ ...p, index }));
  const sentences: Sentence[] = [];
  for (const p of paragraphs) {
    if (p.kind !== 'body' && p.kind !== 'caption') continue;
    for (const s of splitSentences(body, p))
      sentences.push({ ...s, index: sentences.length, paragraph: p.index, text: body.slice(s.start, s.end), caption: p.kind === 'caption' });
  }
  if (sentences.length === 0) warnings.push('no sentences found in the article text');
  return { id: idOf(file), file, meta, body, bodyLine, paragraphs, sentences, hash, warnings };
}

export const idOf = (file: string) => basename(file, extname(file));

/** The problem of a file whose id another file (`first`, served) already has: it is not served. */
export function sameIdProblem(file: string, id: string, first: string): CorpusProblem {
  return { file, line: null, reason: `same id '${id}' as ${basename(first)}: not served (citations could not tell them apart; rename one of them)`, severity: 'error' };
}
export const sha256 = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

export interface LoadedCorpus {
  dir: string;
  articles: Article[];
  problems: CorpusProblem[];
}

/** Reads one file into an Article, or a problem naming the file and line. */
export function loadFile(path: string): { article: Article } | { problem: CorpusProblem } {
  try {
    const size = statSync(path).size;
    if (size > MAX_ARTICLE_BYTES)
      throw new ArticleError(`the file is ${(size / 1024 / 1024).toFixed(1)} MB; articles over ${MAX_ARTICLE_BYTES / 1024 / 1024} MB are not loaded`);
    const bytes = readFileSync(path);
    const text = decodeText(bytes);
    return { article: parseArticle(path, text, sha256(bytes)) };
  } catch (e) {
    const line = e instanceof ArticleError || e instanceof FrontMatterError ? e.line : null;
    const reason = e instanceof Error ? e.message : String(e);
    return { problem: { file: path, line, reason, severity: 'error' } };
  }
}

/** Every article file in `dir` (sorted by name). Problems are collected, never thrown. */
export function loadCorpus(dir: string): LoadedCorpus {
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    return { dir, articles, problems: [{ file: dir, line: null, reason: `cannot read the corpus folder: ${(e as Error).message}`, severity: 'error' }] };
  }
  for (const name of names) {
    if (!ARTICLE_EXTENSIONS.has(extname(name).toLowerCase()) || name.startsWith('.')) continue;
    const path = join(dir, name);
    const r = loadFile(path);
    if ('problem' in r) problems.push(r.problem);
    else {
      articles.push(r.article);
      for (const w of r.article.warnings) problems.push({ file: path, line: null, reason: w, severity: 'warning' });
    }
  }
  return { dir, articles, problems };
}
