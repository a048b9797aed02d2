// How articles, paragraphs and extraction results are written in the cache (src/core/cache.ts), and sent
// back by corpus worker threads (src/corpus/transfer.ts): as short arrays, without the words that are
// slices of the body (a quote, a date's words, a sentence's text) and without the article id each one
// repeats. At 10,000 articles that is ~100 MB of JSON less to parse at every start-up, and the words read
// back are slices of the body (V8 shares the body's characters) instead of copies.
//
// Only objects of exactly the shape the extractor makes are packed; anything else (a custom extractor's
// extra field, a quote that is not the body's slice) is written as it is and read back as it is. Reading
// checks every packed value's type and every offset against the body, and throws on anything else: the
// cache is then rebuilt, never trusted.
import type { ArticleEvent, DateMention, Extraction, Statement } from '../extract/types.js';
import type { Article, Paragraph, ParagraphKind, Precision } from './types.js';

const PRECISIONS: readonly Precision[] = ['day', 'month', 'year'];
const KINDS: readonly ParagraphKind[] = ['body', 'caption', 'title', 'heading', 'furniture'];
const SPEAKER_KINDS = ['person', 'org', 'description'] as const;

const sameKeys = (o: object, keys: readonly string[]): boolean => {
  const k = Object.keys(o);
  return k.length === keys.length && k.every((x, i) => x === keys[i]);
};

class Bad extends Error {}
const fail = (what: string): never => {
  throw new Bad(`a stored ${what} is not what the cache writes`);
};
const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const isStr = (s: unknown): s is string => typeof s === 'string';
const strOrNull = (s: unknown): s is string | null => s === null || typeof s === 'string';
/** [start, end] within a body of length `len`. */
const inBody = (a: unknown, b: unknown, len: number): boolean => isInt(a) && isInt(b) && a >= 0 && a <= b && b <= len;

// ---- lists ------------------------------------------------------------------------------------------

/**
 * A list whose items each packed to `stride` values is written as one flat array (JSON.parse then makes
 * one array per list instead of one per item, and all of them stay alive until the whole file is parsed);
 * a list with any item left as it is (an object) is written item by item.
 */
function packList<T>(items: T[], pack: (item: T) => unknown[] | T, stride: number): unknown[] {
  const packed = items.map(pack);
  if (!packed.every((p) => Array.isArray(p) && p.length === stride)) return packed;
  const flat: unknown[] = [];
  for (const p of packed as unknown[][]) for (const v of p) flat.push(v);
  return flat;
}

/**
 * packList's list read back item by item: `at(a, i)` for an item packed at a[i…i+stride], `kept(item)` for
 * one written as an object; throws on anything packList does not write.
 */
function eachItem(list: unknown, stride: number, what: string, at: (a: unknown[], i: number) => void, kept: (item: object) => void): void {
  if (!Array.isArray(list)) return fail(`${what} list`);
  if (list.length === 0) return;
  const first = list[0];
  if (first === null || typeof first !== 'object') {
    // Flat.
    if (list.length % stride !== 0) return fail(`${what} list`);
    for (let i = 0; i < list.length; i += stride) at(list, i);
    return;
  }
  for (const item of list) {
    if (Array.isArray(item)) {
      if (item.length !== stride) fail(what);
      at(item, 0);
    } else if (item === null || typeof item !== 'object') fail(what);
    else kept(item);
  }
}

/** packList's list read back: `at(a, i)` reads the item at a[i…i+stride]; objects are kept as they are. */
function unpackList<T>(list: unknown, stride: number, at: (a: unknown[], i: number) => T, what: string): T[] {
  const out: T[] = [];
  eachItem(list, stride, what, (a, i) => out.push(at(a, i)), (item) => out.push(item as T));
  return out;
}

/** unpackList's checks alone (`ok(a, i)`: the item at a[i…i+stride] reads back): throws where it would, makes nothing. */
function checkList(list: unknown, stride: number, ok: (a: unknown[], i: number) => boolean, what: string): void {
  eachItem(list, stride, what, (a, i) => ok(a, i) || fail(what), () => {});
}

// ---- paragraphs ------------------------------------------------------------------------------------

/** [start, end, kind, reason or null]; the index is the position. */
const PARAGRAPH = 4;

export function packParagraphs(ps: Paragraph[]): unknown[] {
  const index = new Map(ps.map((p, i) => [p, i]));
  return packList(
    ps,
    (p) => {
      const k = KINDS.indexOf(p.kind);
      if (p.index !== index.get(p) || k < 0 || !(p.reason === undefined ? sameKeys(p, ['start', 'end', 'kind', 'index']) : sameKeys(p, ['start', 'end', 'kind', 'reason', 'index']))) return p;
      return [p.start, p.end, k, p.reason ?? null];
    },
    PARAGRAPH,
  );
}

export function unpackParagraphs(ps: unknown, len: number): Paragraph[] {
  const out = unpackList<Paragraph>(
    ps,
    PARAGRAPH,
    (a, i) => {
      const start = a[i] as number;
      const end = a[i + 1] as number;
      const k = a[i + 2];
      const reason = a[i + 3];
      if (!inBody(start, end, len) || !isInt(k) || !KINDS[k] || !strOrNull(reason)) return fail('paragraph');
      // The index is set below, from the position.
      return reason === null ? { start, end, kind: KINDS[k]!, index: -1 } : { start, end, kind: KINDS[k]!, reason, index: -1 };
    },
    'paragraph',
  );
  out.forEach((p, i) => {
    if (p.index === -1) p.index = i;
    else if (!inBody(p.start, p.end, len) || !isInt(p.index) || !KINDS.includes(p.kind)) fail('paragraph');
  });
  return out;
}

// ---- extraction ------------------------------------------------------------------------------------

/** [at0, at1, date, end, precision, sentence, expected | relative << 1, period date or null, period end or null]. */
const DATE = 9;
/** [date, end, precision, sentence, span start, span end, mention0, mention1, flags]. */
const EVENT = 9;
/** [speaker, role, kind, at0, at1, passage start, passage end, speaker kind (-1: none)]. */
const STATEMENT = 8;

export interface PackedExtraction {
  article: string;
  d: unknown[];
  e: unknown[];
  s: unknown[];
}

const DATE_KEYS = ['text', 'at', 'date', 'end', 'precision', 'sentence', 'expected', 'relative'];
const DATE_KEYS_PERIOD = [...DATE_KEYS, 'period'];
const EVENT_KEYS = ['article', 'date', 'end', 'precision', 'expected', 'caption', 'sentence', 'span', 'mention', 'relative'];
const EVENT_KEYS_OLD = EVENT_KEYS.slice(0, -1);
const STATEMENT_KEYS = ['article', 'speaker', 'role', 'kind', 'quote', 'at', 'passage', 'speakerKind'];
const STATEMENT_KEYS_OLD = STATEMENT_KEYS.slice(0, -1);

const pair = (a: unknown): a is [number, number] => Array.isArray(a) && a.length === 2 && isInt(a[0]) && isInt(a[1]);
const spanOk = (s: unknown): s is { start: number; end: number } => !!s && typeof s === 'object' && sameKeys(s, ['start', 'end']) && isInt((s as { start: unknown }).start) && isInt((s as { end: unknown }).end);

function packDate(m: DateMention, body: string): unknown[] | DateMention {
  const p = PRECISIONS.indexOf(m.precision);
  const period = m.period;
  if (p < 0 || !pair(m.at) || body.slice(m.at[0], m.at[1]) !== m.text || typeof m.expected !== 'boolean' || typeof m.relative !== 'boolean' || !isInt(m.sentence)) return m;
  if (period === undefined ? !sameKeys(m, DATE_KEYS) : !sameKeys(m, DATE_KEYS_PERIOD) || !sameKeys(period, ['date', 'end']) || !isStr(period.date) || !isStr(period.end)) return m;
  return [m.at[0], m.at[1], m.date, m.end, p, m.sentence, (m.expected ? 1 : 0) | (m.relative ? 2 : 0), period?.date ?? null, period?.end ?? null];
}

/** Whether d[i…] is a packed date in a body of length `len`. */
function dateOk(d: unknown[], i: number, len: number): boolean {
  const p = d[i + 4];
  const pd = d[i + 7];
  const pe = d[i + 8];
  return inBody(d[i], d[i + 1], len) && isStr(d[i + 2]) && strOrNull(d[i + 3]) && isInt(p) && !!PRECISIONS[p] && isInt(d[i + 5]) && isInt(d[i + 6]) && ((pd === null && pe === null) || (isStr(pd) && isStr(pe)));
}

function unpackDate(d: unknown[], i: number, body: string): DateMention {
  if (!dateOk(d, i, body.length)) return fail('date');
  const a0 = d[i] as number;
  const a1 = d[i + 1] as number;
  const flags = d[i + 6] as number;
  const pd = d[i + 7];
  const m: DateMention = { text: body.slice(a0, a1), at: [a0, a1], date: d[i + 2] as string, end: d[i + 3] as string | null, precision: PRECISIONS[d[i + 4] as number]!, sentence: d[i + 5] as number, expected: (flags & 1) !== 0, relative: (flags & 2) !== 0 };
  if (pd !== null) m.period = { date: pd as string, end: d[i + 8] as string };
  return m;
}

function packEvent(e: ArticleEvent, article: string): unknown[] | ArticleEvent {
  const p = PRECISIONS.indexOf(e.precision);
  const keysOk = e.relative === undefined ? sameKeys(e, EVENT_KEYS_OLD) : sameKeys(e, EVENT_KEYS) && typeof e.relative === 'boolean';
  if (!keysOk || e.article !== article || p < 0 || !isStr(e.date) || !strOrNull(e.end) || !spanOk(e.span) || !pair(e.mention) || typeof e.expected !== 'boolean' || typeof e.caption !== 'boolean' || !isInt(e.sentence)) return e;
  const flags = (e.expected ? 1 : 0) | (e.caption ? 2 : 0) | (e.relative === true ? 4 : 0) | (e.relative === undefined ? 8 : 0);
  return [e.date, e.end, p, e.sentence, e.span.start, e.span.end, e.mention[0], e.mention[1], flags];
}

/** Whether e[i…] is a packed event in a body of length `len`. */
function eventOk(e: unknown[], i: number, len: number): boolean {
  const p = e[i + 2];
  return isStr(e[i]) && strOrNull(e[i + 1]) && isInt(p) && !!PRECISIONS[p] && isInt(e[i + 3]) && inBody(e[i + 4], e[i + 5], len) && inBody(e[i + 6], e[i + 7], len) && isInt(e[i + 8]);
}

function unpackEvent(e: unknown[], i: number, article: string, len: number): ArticleEvent {
  if (!eventOk(e, i, len)) return fail('event');
  const flags = e[i + 8] as number;
  const out: ArticleEvent = {
    article,
    date: e[i] as string,
    end: e[i + 1] as string | null,
    precision: PRECISIONS[e[i + 2] as number]!,
    expected: (flags & 1) !== 0,
    caption: (flags & 2) !== 0,
    sentence: e[i + 3] as number,
    span: { start: e[i + 4] as number, end: e[i + 5] as number },
    mention: [e[i + 6] as number, e[i + 7] as number],
  };
  if ((flags & 8) === 0) out.relative = (flags & 4) !== 0;
  return out;
}

function packStatement(s: Statement, article: string, body: string): unknown[] | Statement {
  const kind = s.kind === 'direct' ? 0 : s.kind === 'reported' ? 1 : -1;
  const sk = s.speakerKind === undefined ? -1 : SPEAKER_KINDS.indexOf(s.speakerKind);
  const keysOk = s.speakerKind === undefined ? sameKeys(s, STATEMENT_KEYS_OLD) : sameKeys(s, STATEMENT_KEYS) && sk >= 0;
  if (!keysOk || s.article !== article || kind < 0 || !isStr(s.speaker) || !strOrNull(s.role) || !pair(s.at) || body.slice(s.at[0], s.at[1]) !== s.quote || !spanOk(s.passage)) return s;
  return [s.speaker, s.role, kind, s.at[0], s.at[1], s.passage.start, s.passage.end, sk];
}

/** Whether s[i…] is a packed statement in a body of length `len`. */
function statementOk(s: unknown[], i: number, len: number): boolean {
  const kind = s[i + 2];
  const sk = s[i + 7];
  return isStr(s[i]) && strOrNull(s[i + 1]) && (kind === 0 || kind === 1) && inBody(s[i + 3], s[i + 4], len) && inBody(s[i + 5], s[i + 6], len) && isInt(sk) && sk >= -1 && sk < SPEAKER_KINDS.length;
}

function unpackStatement(s: unknown[], i: number, article: string, body: string): Statement {
  if (!statementOk(s, i, body.length)) return fail('statement');
  const a0 = s[i + 3] as number;
  const a1 = s[i + 4] as number;
  const sk = s[i + 7] as number;
  const out: Statement = { article, speaker: s[i] as string, role: s[i + 1] as string | null, kind: s[i + 2] === 0 ? 'direct' : 'reported', quote: body.slice(a0, a1), at: [a0, a1], passage: { start: s[i + 5] as number, end: s[i + 6] as number } };
  if (sk >= 0) out.speakerKind = SPEAKER_KINDS[sk];
  return out;
}

/** Extractions read by readExtraction whose lists are not made yet, with what they will be made from. */
const UNREAD = new WeakMap<Extraction, PackedExtraction>();

/** An extraction as the cache writes it; `x` must have been made from `body` (its offsets are into it). */
export function packExtraction(x: Extraction, body: string): PackedExtraction | Extraction {
  // Read back from the cache and never looked at: written as it was read.
  const unread = UNREAD.get(x);
  if (unread) return unread;
  if (!sameKeys(x, ['article', 'dates', 'events', 'statements'])) return x;
  return {
    article: x.article,
    d: packList(x.dates, (m) => packDate(m, body), DATE),
    e: packList(x.events, (e) => packEvent(e, x.article), EVENT),
    s: packList(x.statements, (s) => packStatement(s, x.article, body), STATEMENT),
  };
}

/** An extraction read back from the cache (either form); throws on anything packExtraction does not write. */
export function unpackExtraction(raw: unknown, body: string): Extraction {
  const o = raw as Partial<PackedExtraction & Extraction> | null;
  if (!o || typeof o !== 'object' || !isStr(o.article)) return fail('extraction');
  if (!('d' in o)) {
    if (!Array.isArray(o.dates) || !Array.isArray(o.events) || !Array.isArray(o.statements)) return fail('extraction');
    return o as Extraction;
  }
  const article = o.article;
  return { article, dates: datesOf(o.d, body), events: eventsOf(o.e, article, body.length), statements: statementsOf(o.s, article, body) };
}

const datesOf = (list: unknown, body: string) => unpackList(list, DATE, (a, i) => unpackDate(a, i, body), 'date');
const eventsOf = (list: unknown, article: string, len: number) => unpackList(list, EVENT, (a, i) => unpackEvent(a, i, article, len), 'event');
const statementsOf = (list: unknown, article: string, body: string) => unpackList(list, STATEMENT, (a, i) => unpackStatement(a, i, article, body), 'statement');

/**
 * An extraction read back from the cache, checked now as unpackExtraction checks it (and throwing where it
 * would), but whose dates, events and statements are each made only when first read: a start-up makes
 * none of the ~400,000 objects of a 10,000-article corpus's lists (a third of reading the cache, and much
 * of its garbage collection), and what needs them makes only those it reads — the timeline its events,
 * /who-said its statements — in the background or at its first query. The lists are own enumerable
 * properties (getters), so a copy, a JSON.stringify or a message to a worker reads them as it reads any
 * extraction's.
 */
export function readExtraction(raw: unknown, body: string): Extraction {
  const o = raw as Partial<PackedExtraction & Extraction> | null;
  if (!o || typeof o !== 'object' || !isStr(o.article) || !('d' in o)) return unpackExtraction(raw, body);
  const { article } = o;
  const len = body.length;
  checkList(o.d, DATE, (a, i) => dateOk(a, i, len), 'date');
  checkList(o.e, EVENT, (a, i) => eventOk(a, i, len), 'event');
  checkList(o.s, STATEMENT, (a, i) => statementOk(a, i, len), 'statement');
  const x = { article } as Extraction;
  UNREAD.set(x, o as PackedExtraction);
  /** A list made from its packed values when first read; the packed values are let go then. */
  const lazy = <T>(list: unknown[], make: (list: unknown[]) => T[]): PropertyDescriptor => {
    let packed: unknown[] | null = list;
    let made: T[] | null = null;
    return {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!made) {
          made = make(packed!);
          packed = null;
          UNREAD.delete(x);
        }
        return made;
      },
      // Set like any extraction's list (the packed values are then out of date).
      set: (v: T[]) => {
        made = v;
        packed = null;
        UNREAD.delete(x);
      },
    };
  };
  Object.defineProperties(x, {
    dates: lazy(o.d!, (l) => datesOf(l, body)),
    events: lazy(o.e!, (l) => eventsOf(l, article, len)),
    statements: lazy(o.s!, (l) => statementsOf(l, article, body)),
  });
  return x;
}

// ---- sentences -------------------------------------------------------------------------------------

/** [start, end, paragraph, caption ? 1 : 0] per sentence, flat. */
export function packSentences(ss: { start: number; end: number; paragraph: number; caption: boolean }[]): number[] {
  const out: number[] = [];
  for (const s of ss) out.push(s.start, s.end, s.paragraph, s.caption ? 1 : 0);
  return out;
}

// ---- articles ------------------------------------------------------------------------------------

/** An article as stored: sentence texts are not repeated (they are slices of the body). */
export interface StoredArticle {
  hash: string;
  meta: Article['meta'];
  body: string;
  bodyLine: number;
  /** Packed (src/core/stored.ts). */
  paragraphs: unknown[];
  /** [start, end, paragraph, caption ? 1 : 0] for each sentence in order, flat (src/core/stored.ts). */
  sentences: number[];
  warnings: string[];
}

export function storeArticle(a: Article): StoredArticle {
  return {
    hash: a.hash,
    meta: a.meta,
    body: a.body,
    bodyLine: a.bodyLine,
    paragraphs: packParagraphs(a.paragraphs),
    sentences: packSentences(a.sentences),
    warnings: a.warnings,
  };
}

export function reviveArticle(s: StoredArticle, id: string, file: string): Article {
  const { body } = s;
  const flat = s.sentences as unknown[];
  if (flat.length % 4 !== 0) throw new Error(`the sentences of ${id} are not [start, end, paragraph, caption] each`);
  const sentences: Article['sentences'] = new Array(flat.length / 4);
  for (let i = 0, index = 0; i < flat.length; i += 4, index++) {
    const start = flat[i];
    const end = flat[i + 1];
    const paragraph = flat[i + 2];
    const caption = flat[i + 3];
    if (typeof start !== 'number' || typeof end !== 'number' || typeof paragraph !== 'number' || (caption !== 0 && caption !== 1)) throw new Error(`a sentence of ${id} is not [start, end, paragraph, caption]`);
    if (!(start >= 0 && start <= end && end <= body.length)) throw new Error(`sentence span out of the body in ${id}`);
    sentences[index] = { start, end, index, paragraph, text: body.slice(start, end), caption: caption === 1 };
  }
  return {
    id,
    file,
    meta: s.meta,
    body,
    bodyLine: s.bodyLine,
    paragraphs: unpackParagraphs(s.paragraphs, body.length),
    sentences,
    hash: s.hash,
    warnings: s.warnings,
  };
}

