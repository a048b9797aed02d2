// `dossier check`: a lint of the corpus for the people who curate it. One line per finding, naming the
// file and line (`path:line: severity: message`), and exit code 1 when there is any.
//
// What it looks for: files that do not load (and why), files in the folder that are not read, missing
// title / outlet / publication date, relative dates ("on Friday", "last month") that cannot be dated
// for want of a publication date, the same article twice (same id, same text, or a near-duplicate such
// as a wire story republished: most of its word 5-grams appear in another article), quotation marks
// opened and never closed, quotes with no speaker found, and articles with no sentences.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Article } from '../core/types.js';
import { extractDates } from '../extract/dates.js';
import { extract } from '../extract/index.js';
import type { Extraction } from '../extract/types.js';
import { loadAliases } from '../search/aliases.js';
import { ARTICLE_EXTENSIONS, loadCorpus } from './load.js';
import { lineOfKey } from './metadata.js';

export interface Finding {
  file: string;
  /** 1-based line in the file (1 when the finding is about the whole file). */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface CheckOptions {
  /** Extracts one article (default: the extractor); its statements tell which quotes have a speaker. */
  extractFn?: (a: Article) => Extraction;
}

export interface CheckResult {
  dir: string;
  articles: number;
  findings: Finding[];
}

/** At most this many findings of one kind for one file; the rest are counted in one more line. */
const PER_FILE = 5;
/** A quoted span with fewer words is a term in quotation marks ("special military operation"), not a statement. */
const QUOTE_MIN_WORDS = 6;
/** Near-duplicates: this share of the smaller article's word 5-grams is found in the other. */
export const NEAR_DUPLICATE = 0.7;
const SHINGLE = 5;
const NOT_ARTICLES = new Set(['aliases.yaml', 'aliases.yml']);

/** The findings for the corpus folder `dir`. Never throws: an unreadable folder is a finding. */
export function checkCorpus(dir: string, opts: CheckOptions = {}): CheckResult {
  const extractFn = opts.extractFn ?? extract;
  const findings: Finding[] = [];
  const loaded = loadCorpus(dir);
  for (const p of loaded.problems) {
    if (p.severity === 'error') findings.push({ file: p.file, line: p.line ?? 1, severity: 'error', message: `does not load: ${p.reason}` });
  }
  const { problem: aliasProblem } = loadAliases(dir);
  if (aliasProblem) findings.push({ file: join(dir, 'aliases.yaml'), line: 1, severity: 'error', message: aliasProblem.replace(/^.*?aliases\.yaml: /, '') });
  findings.push(...otherFiles(dir));

  const byId = new Map<string, Article>();
  for (const a of loaded.articles) {
    const twin = byId.get(a.id);
    if (twin) findings.push({ file: a.file, line: 1, severity: 'error', message: `same id '${a.id}' as ${display(twin.file)}: only one of them can be cited` });
    else byId.set(a.id, a);
    findings.push(...metadataFindings(a));
    let extraction: Extraction | null = null;
    try {
      extraction = extractFn(a);
    } catch (e) {
      findings.push({ file: a.file, line: a.bodyLine, severity: 'error', message: `extraction failed: ${(e as Error).message}` });
    }
    findings.push(...relativeDateFindings(a));
    findings.push(...quoteFindings(a, extraction));
  }
  findings.push(...duplicateFindings(loaded.articles));
  findings.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line));
  return { dir, articles: loaded.articles.length, findings };
}

/** `path:line: severity: message`, the path relative to the working folder when it is inside it. */
export function formatFinding(f: Finding): string {
  return `${display(f.file)}:${f.line}: ${f.severity}: ${f.message.replace(/\s+/g, ' ')}`;
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** The 1-based file line of a body offset. */
export function lineOf(a: Article, offset: number): number {
  let n = a.bodyLine;
  const end = Math.min(offset, a.body.length);
  for (let i = a.body.indexOf('\n'); i >= 0 && i < end; i = a.body.indexOf('\n', i + 1)) n++;
  return n;
}

function otherFiles(dir: string): Finding[] {
  const out: Finding[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out; // loadCorpus already reported it
  }
  for (const name of names.sort()) {
    if (name.startsWith('.') || NOT_ARTICLES.has(name.toLowerCase()) || ARTICLE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
    } catch {
      continue;
    }
    const hint = /\.html?$/i.test(name) ? ' (an HTML page can be added with /corpus add, which turns it into text)' : '';
    out.push({ file: path, line: 1, severity: 'warning', message: `not read: only .md, .markdown and .txt files are articles${hint}` });
  }
  return out;
}

function metadataFindings(a: Article): Finding[] {
  const out: Finding[] = [];
  const fm = a.bodyLine > 1;
  const keyLine = (key: string) => {
    if (!fm) return 1;
    const yaml = rawFrontMatter(a);
    const l = yaml === null ? null : lineOfKey(yaml, key);
    return l === null ? 1 : l + 1;
  };
  const hasTitle = fm && rawFrontMatter(a) !== null && /^title\s*:/m.test(rawFrontMatter(a)!);
  if (!hasTitle) out.push({ file: a.file, line: 1, severity: 'warning', message: `no title: add \`title:\` to the front matter (the first line, "${clip(a.meta.title, 60)}", is used)` });
  if (!a.meta.outlet) out.push({ file: a.file, line: keyLine('outlet'), severity: 'warning', message: 'no outlet: add `outlet:` so citations name the publication' });
  if (!a.meta.published)
    out.push({ file: a.file, line: keyLine('published'), severity: 'warning', message: 'no publication date: add `published: YYYY-MM-DD` (or YYYY-MM); without it the article is undated on /timeline' });
  if (a.sentences.length === 0)
    out.push({ file: a.file, line: a.bodyLine, severity: 'warning', message: 'no sentences found: nothing in this file can be quoted (is the text only headings, links or page furniture?)' });
  for (const k of Object.keys(a.meta.extra)) out.push({ file: a.file, line: keyLine(k), severity: 'warning', message: `unknown front-matter key '${clip(k, 40)}' (kept, not used)` });
  return out;
}

/** The front matter block's YAML text, re-read from the article (its body starts after it). */
const fmCache = new WeakMap<Article, string | null>();
function rawFrontMatter(a: Article): string | null {
  if (fmCache.has(a)) return fmCache.get(a)!;
  let yaml: string | null = null;
  try {
    const text = readFileSync(a.file, 'utf8').replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
    const m = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/.exec(text);
    yaml = m ? (m[1] ?? '') : null;
  } catch {
    yaml = null;
  }
  fmCache.set(a, yaml);
  return yaml;
}

/**
 * Relative dates that cannot be dated: the expressions the extractor resolves when it is given a
 * publication date but has to leave out without one.
 */
function relativeDateFindings(a: Article): Finding[] {
  if (a.meta.published) return [];
  let withDate: ReturnType<typeof extractDates>;
  let without: ReturnType<typeof extractDates>;
  try {
    withDate = extractDates(a, { published: '2000-06-15' });
    without = extractDates(a, { published: null });
  } catch {
    return [];
  }
  const resolved = new Set(without.map((m) => `${m.at[0]}:${m.at[1]}`));
  const lost = withDate.filter((m) => !resolved.has(`${m.at[0]}:${m.at[1]}`));
  return capped(
    a,
    lost.map((m) => ({ line: lineOf(a, m.at[0]), message: `"${clip(m.text, 40)}" cannot be dated: the article has no publication date` })),
    (n) => `${n} more relative dates cannot be dated for want of a publication date`,
  );
}

function capped(a: Article, items: { line: number; message: string }[], more: (n: number) => string): Finding[] {
  const out: Finding[] = items.slice(0, PER_FILE).map((i) => ({ file: a.file, line: i.line, severity: 'warning' as const, message: i.message }));
  if (items.length > PER_FILE) out.push({ file: a.file, line: items[PER_FILE]!.line, severity: 'warning', message: more(items.length - PER_FILE) });
  return out;
}

export interface QuoteScan {
  /** Quoted text (inside the marks) as offsets into the text scanned. */
  spans: [number, number][];
  /** Offsets of opening marks never closed. */
  unclosed: number[];
}

const PAIRS: Record<string, string> = { '“': '”', '«': '»' };
const CLOSERS = new Set(['”', '»']);

/** Quotation marks of one paragraph: “ ”, « » and straight double quotes, nested. Linear in the text. */
export function scanQuotes(text: string): QuoteScan {
  const stack: { ch: string; at: number }[] = [];
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const top = stack[stack.length - 1];
      if (top?.ch === '"') {
        stack.pop();
        spans.push([top.at + 1, i]);
      } else stack.push({ ch: c, at: i });
    } else if (c in PAIRS) stack.push({ ch: c, at: i });
    else if (CLOSERS.has(c)) {
      // Close the nearest matching opener (a straight quote left open inside is dropped with it).
      for (let j = stack.length - 1; j >= 0; j--) {
        if (PAIRS[stack[j]!.ch] === c) {
          spans.push([stack[j]!.at + 1, i]);
          stack.length = j;
          break;
        }
      }
    }
  }
  return { spans, unclosed: stack.map((s) => s.at) };
}

const OPENS_QUOTE = /^\s*[“«"]/;

function quoteFindings(a: Article, extraction: Extraction | null): Finding[] {
  const paras = a.paragraphs.filter((p) => p.kind === 'body' || p.kind === 'caption');
  const unclosed: { line: number; message: string }[] = [];
  const unspoken: { line: number; message: string }[] = [];
  const said = extraction?.statements ?? [];
  paras.forEach((p, i) => {
    const text = a.body.slice(p.start, p.end);
    const scan = scanQuotes(text);
    const next = paras[i + 1];
    // A quotation that runs on into the next paragraph leaves its mark open and opens the next one.
    const continues = next !== undefined && OPENS_QUOTE.test(a.body.slice(next.start, next.end));
    if (scan.unclosed.length > 0 && !continues) {
      const at = p.start + scan.unclosed[0]!;
      unclosed.push({ line: lineOf(a, at), message: `quotation mark opened here is never closed: ${a.body[at]}${clip(a.body.slice(at + 1, p.end), 50)}` });
    }
    if (!extraction) return;
    for (const [s, e] of scan.spans) {
      const quote = text.slice(s, e).trim();
      if (quote.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length < QUOTE_MIN_WORDS) continue;
      const start = p.start + s;
      const end = p.start + e;
      if (said.some((st) => st.at[0] < end && start < st.at[1])) continue;
      unspoken.push({ line: lineOf(a, start), message: `quote with no speaker found: “${clip(quote, 60)}”` });
    }
  });
  return [
    ...capped(a, unclosed, (n) => `${n} more quotation marks are never closed`),
    ...capped(a, unspoken, (n) => `${n} more quotes with no speaker found`),
  ];
}

/** Word 5-grams of an article's quotable text, hashed. */
function shingles(a: Article): Set<number> {
  const words = a.sentences
    .map((s) => s.text)
    .join(' ')
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(fnv(words.slice(i, i + SHINGLE).join(' ')));
  if (out.size === 0 && words.length > 0) out.add(fnv(words.join(' ')));
  return out;
}

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface DuplicatePair {
  /** Indexes into the articles given, a < b. */
  a: number;
  b: number;
  /** Share of the smaller article's word 5-grams found in the other (0–1). */
  share: number;
  /** The same quotable text. */
  same: boolean;
}

/**
 * Pairs of articles that are the same article twice: identical quotable text, or most of the smaller
 * one's word 5-grams (shingles) found in the other (a wire story republished with another headline and
 * page furniture). Pairs are found through an inverted index of shingles, so the cost follows the
 * overlap, not the number of pairs.
 */
export function duplicatePairs(articles: Article[]): DuplicatePair[] {
  const sets = articles.map(shingles);
  const postings = new Map<number, number[]>();
  sets.forEach((set, i) => {
    for (const h of set) {
      const l = postings.get(h);
      if (l) l.push(i);
      else postings.set(h, [i]);
    }
  });
  const shared = new Map<string, number>();
  for (const list of postings.values()) {
    if (list.length < 2 || list.length > 50) continue; // boilerplate shared by many articles says nothing
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const k = `${list[x]}:${list[y]}`;
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
  }
  const out: DuplicatePair[] = [];
  for (const [k, n] of shared) {
    const [a, b] = k.split(':').map(Number) as [number, number];
    const small = Math.min(sets[a]!.size, sets[b]!.size);
    if (small === 0) continue;
    const share = n / small;
    if (share < NEAR_DUPLICATE || (small < 8 && share < 1)) continue;
    out.push({ a, b, share, same: sets[a]!.size === sets[b]!.size && n === small });
  }
  return out;
}

/** One finding per duplicate pair, on the later file (by name). */
export function duplicateFindings(articles: Article[]): Finding[] {
  return duplicatePairs(articles).map(({ a, b, share, same }) => {
    const [first, second] = articles[a]!.file <= articles[b]!.file ? [articles[a]!, articles[b]!] : [articles[b]!, articles[a]!];
    return {
      file: second.file,
      line: 1,
      severity: 'warning' as const,
      message: same
        ? `same article text as ${display(first.file)}: keep one of them`
        : `near-duplicate of ${display(first.file)}: ${Math.round(share * 100)}% of the shorter article's 5-word sequences are in both (a republished story?)`,
    };
  });
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  if (one.length <= n) return one;
  const head = one.slice(0, n - 1);
  const space = head.lastIndexOf(' ');
  return `${space > n * 0.6 ? head.slice(0, space) : head}…`;
}

export interface CheckIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const CHECK_USAGE = `Usage: npm run dossier -- check [--corpus DIR] [--json]

Lints the corpus for its curators: files that do not load, missing title/outlet/date, relative dates
that cannot be dated, the same article twice (also near-duplicates), unclosed quotation marks, quotes
with no speaker found, articles with no sentences. One line per finding: path:line: severity: message.
Exit code 1 when there is any finding, 0 when there is none.
`;

/** `dossier check`: prints the findings; returns the exit code (1 when anything is wrong). Never throws. */
export function runCheck(argv: string[], io: CheckIO, opts: CheckOptions = {}): number {
  let values: { corpus?: string; json?: boolean; help?: boolean };
  try {
    values = parseArgs({ args: argv, options: { corpus: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false })
      .values as typeof values;
  } catch (e) {
    io.err(`dossier check: ${(e as Error).message.replace(/^TypeError \[\w+\]: /, '')}`);
    return 1;
  }
  if (values.help) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const dir = resolve(values.corpus ?? 'corpus');
  let result: CheckResult;
  try {
    result = checkCorpus(dir, opts);
  } catch (e) {
    io.err(`dossier check: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
  const { findings } = result;
  if (values.json) io.out(JSON.stringify({ corpus: dir, articles: result.articles, findings: findings.map((f) => ({ ...f, file: display(f.file) })) }, null, 2));
  else for (const f of findings) io.out(formatFinding(f));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const files = new Set(findings.map((f) => f.file)).size;
  io.err(
    findings.length === 0
      ? `dossier check: ${result.articles} articles in ${display(dir)}, nothing to fix`
      : `dossier check: ${findings.length} finding${findings.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${files} file${files === 1 ? '' : 's'}; ${result.articles} articles load`,
  );
  return findings.length > 0 ? 1 : 0;
}
