// How paragraphs and extraction results are written in the cache (src/core/cache.ts): as short arrays,
// without the words that are slices of the body (a quote, a date's words) and without the article id each
// one repeats. At 10,000 articles that is ~100 MB of JSON less to parse at every start-up, and the words
// read back are slices of the body (V8 shares the body's characters) instead of copies.
//
// Only objects of exactly the shape the extractor makes are packed; anything else (a custom extractor's
// extra field, a quote that is not the body's slice) is written as it is and read back as it is. Reading
// checks every packed value's type and every offset against the body, and throws on anything else: the
// cache is then rebuilt, never trusted.
import type { ArticleEvent, DateMention, Extraction, Statement } from '../extract/types.js';
import type { Paragraph, ParagraphKind, Precision } from './types.js';

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

// ---- paragraphs ------------------------------------------------------------------------------------

/** [start, end, kind] or [start, end, kind, reason]; the index is the position. */
type PackedParagraph = [number, number, number] | [number, number, number, string];

export function packParagraphs(ps: Paragraph[]): (PackedParagraph | Paragraph)[] {
  return ps.map((p, i) => {
    const k = KINDS.indexOf(p.kind);
    if (p.index !== i || k < 0 || !(p.reason === undefined ? sameKeys(p, ['start', 'end', 'kind', 'index']) : sameKeys(p, ['start', 'end', 'kind', 'reason', 'index']))) return p;
    return p.reason === undefined ? [p.start, p.end, k] : [p.start, p.end, k, p.reason];
  });
}

export function unpackParagraphs(ps: unknown, len: number): Paragraph[] {
  if (!Array.isArray(ps)) return fail('paragraph list');
  return ps.map((p: unknown, index) => {
    if (!Array.isArray(p)) {
      const o = p as Partial<Paragraph> | null;
      if (!o || typeof o !== 'object' || !inBody(o.start, o.end, len) || !isInt(o.index) || !KINDS.includes(o.kind as ParagraphKind)) return fail('paragraph');
      return o as Paragraph;
    }
    const [start, end, k, reason] = p as [number, number, unknown, unknown];
    if (!inBody(start, end, len) || !isInt(k) || !KINDS[k] || !(p.length === 3 || (p.length === 4 && isStr(reason)))) return fail('paragraph');
    return p.length === 3 ? { start, end, kind: KINDS[k]!, index } : { start, end, kind: KINDS[k]!, reason: reason as string, index };
  });
}

// ---- extraction ------------------------------------------------------------------------------------

/** [at0, at1, date, end, precision, sentence, expected | relative << 1] (+ [period date, period end]). */
type PackedDate = [number, number, string, string | null, number, number, number] | [number, number, string, string | null, number, number, number, string, string];
/** [date, end, precision, sentence, span start, span end, mention0, mention1, flags]. */
type PackedEvent = [string, string | null, number, number, number, number, number, number, number];
/** [speaker, role, kind, at0, at1, passage start, passage end, speaker kind (-1: none)]. */
type PackedStatement = [string, string | null, number, number, number, number, number, number];

export interface PackedExtraction {
  article: string;
  d: (PackedDate | DateMention)[];
  e: (PackedEvent | ArticleEvent)[];
  s: (PackedStatement | Statement)[];
}

const DATE_KEYS = ['text', 'at', 'date', 'end', 'precision', 'sentence', 'expected', 'relative'];
const DATE_KEYS_PERIOD = [...DATE_KEYS, 'period'];
const EVENT_KEYS = ['article', 'date', 'end', 'precision', 'expected', 'caption', 'sentence', 'span', 'mention', 'relative'];
const EVENT_KEYS_OLD = EVENT_KEYS.slice(0, -1);
const STATEMENT_KEYS = ['article', 'speaker', 'role', 'kind', 'quote', 'at', 'passage', 'speakerKind'];
const STATEMENT_KEYS_OLD = STATEMENT_KEYS.slice(0, -1);

const pair = (a: unknown): a is [number, number] => Array.isArray(a) && a.length === 2 && isInt(a[0]) && isInt(a[1]);
const spanOk = (s: unknown): s is { start: number; end: number } => !!s && typeof s === 'object' && sameKeys(s, ['start', 'end']) && isInt((s as { start: unknown }).start) && isInt((s as { end: unknown }).end);

function packDate(m: DateMention, body: string): PackedDate | DateMention {
  const p = PRECISIONS.indexOf(m.precision);
  const period = m.period;
  if (p < 0 || !pair(m.at) || body.slice(m.at[0], m.at[1]) !== m.text || typeof m.expected !== 'boolean' || typeof m.relative !== 'boolean' || !isInt(m.sentence)) return m;
  if (period === undefined) return sameKeys(m, DATE_KEYS) ? [m.at[0], m.at[1], m.date, m.end, p, m.sentence, (m.expected ? 1 : 0) | (m.relative ? 2 : 0)] : m;
  if (!sameKeys(m, DATE_KEYS_PERIOD) || !sameKeys(period, ['date', 'end'])) return m;
  return [m.at[0], m.at[1], m.date, m.end, p, m.sentence, (m.expected ? 1 : 0) | (m.relative ? 2 : 0), period.date, period.end];
}

function unpackDate(d: unknown, body: string): DateMention {
  if (!Array.isArray(d)) return d as DateMention;
  const [a0, a1] = d as [number, number];
  const [, , date, end, p, sentence, flags, pd, pe] = d as unknown[];
  if (!inBody(a0, a1, body.length) || !isStr(date) || !strOrNull(end) || !isInt(p) || !PRECISIONS[p] || !isInt(sentence) || !isInt(flags) || !(d.length === 7 || (d.length === 9 && isStr(pd) && isStr(pe)))) return fail('date');
  const m: DateMention = { text: body.slice(a0, a1), at: [a0, a1], date, end, precision: PRECISIONS[p]!, sentence, expected: (flags & 1) !== 0, relative: (flags & 2) !== 0 };
  if (d.length === 9) m.period = { date: pd as string, end: pe as string };
  return m;
}

function packEvent(e: ArticleEvent, article: string): PackedEvent | ArticleEvent {
  const p = PRECISIONS.indexOf(e.precision);
  const keysOk = e.relative === undefined ? sameKeys(e, EVENT_KEYS_OLD) : sameKeys(e, EVENT_KEYS) && typeof e.relative === 'boolean';
  if (!keysOk || e.article !== article || p < 0 || !spanOk(e.span) || !pair(e.mention) || typeof e.expected !== 'boolean' || typeof e.caption !== 'boolean' || !isInt(e.sentence)) return e;
  const flags = (e.expected ? 1 : 0) | (e.caption ? 2 : 0) | (e.relative === true ? 4 : 0) | (e.relative === undefined ? 8 : 0);
  return [e.date, e.end, p, e.sentence, e.span.start, e.span.end, e.mention[0], e.mention[1], flags];
}

function unpackEvent(e: unknown, article: string, len: number): ArticleEvent {
  if (!Array.isArray(e)) return e as ArticleEvent;
  const [date, end, p, sentence] = e as unknown[];
  const [, , , , s0, s1, m0, m1, flags] = e as [unknown, unknown, unknown, unknown, number, number, number, number, number];
  if (e.length !== 9 || !isStr(date) || !strOrNull(end) || !isInt(p) || !PRECISIONS[p] || !isInt(sentence) || !inBody(s0, s1, len) || !inBody(m0, m1, len) || !isInt(flags)) return fail('event');
  const out: ArticleEvent = { article, date, end, precision: PRECISIONS[p]!, expected: (flags & 1) !== 0, caption: (flags & 2) !== 0, sentence, span: { start: s0, end: s1 }, mention: [m0, m1] };
  if ((flags & 8) === 0) out.relative = (flags & 4) !== 0;
  return out;
}

function packStatement(s: Statement, article: string, body: string): PackedStatement | Statement {
  const kind = s.kind === 'direct' ? 0 : s.kind === 'reported' ? 1 : -1;
  const sk = s.speakerKind === undefined ? -1 : SPEAKER_KINDS.indexOf(s.speakerKind);
  const keysOk = s.speakerKind === undefined ? sameKeys(s, STATEMENT_KEYS_OLD) : sameKeys(s, STATEMENT_KEYS) && sk >= 0;
  if (!keysOk || s.article !== article || kind < 0 || !isStr(s.speaker) || !strOrNull(s.role) || !pair(s.at) || body.slice(s.at[0], s.at[1]) !== s.quote || !spanOk(s.passage)) return s;
  return [s.speaker, s.role, kind, s.at[0], s.at[1], s.passage.start, s.passage.end, sk];
}

function unpackStatement(s: unknown, article: string, body: string): Statement {
  if (!Array.isArray(s)) return s as Statement;
  const [speaker, role, kind] = s as unknown[];
  const [, , , a0, a1, p0, p1, sk] = s as [unknown, unknown, unknown, number, number, number, number, number];
  if (s.length !== 8 || !isStr(speaker) || !strOrNull(role) || (kind !== 0 && kind !== 1) || !inBody(a0, a1, body.length) || !inBody(p0, p1, body.length) || !isInt(sk) || sk < -1 || sk >= SPEAKER_KINDS.length) return fail('statement');
  const out: Statement = { article, speaker, role, kind: kind === 0 ? 'direct' : 'reported', quote: body.slice(a0, a1), at: [a0, a1], passage: { start: p0, end: p1 } };
  if (sk >= 0) out.speakerKind = SPEAKER_KINDS[sk];
  return out;
}

/** An extraction as the cache writes it; `x` must have been made from `body` (its offsets are into it). */
export function packExtraction(x: Extraction, body: string): PackedExtraction | Extraction {
  if (!sameKeys(x, ['article', 'dates', 'events', 'statements'])) return x;
  return {
    article: x.article,
    d: x.dates.map((m) => packDate(m, body)),
    e: x.events.map((e) => packEvent(e, x.article)),
    s: x.statements.map((s) => packStatement(s, x.article, body)),
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
  if (!Array.isArray(o.d) || !Array.isArray(o.e) || !Array.isArray(o.s)) return fail('extraction');
  const article = o.article;
  return {
    article,
    dates: o.d.map((d) => unpackDate(d, body)),
    events: o.e.map((e) => unpackEvent(e, article, body.length)),
    statements: o.s.map((s) => unpackStatement(s, article, body)),
  };
}
