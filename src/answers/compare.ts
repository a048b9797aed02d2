// Where sources agree and disagree. The figures the articles give — counts, distances, durations, sums,
// percentages, dates — are found in the sentences an answer cites, grouped when they measure the same thing
// (same dimension; for a count the same thing counted; and enough rare words around them in common), and
// compared with their units converted and their qualifiers ("more than", "roughly") taken as bounds:
// "Sources differ: roughly 290 kilometers (Yonhap) · approximately 290 miles ≈ 467 km (Marine Insight, …)",
// or "3 sources agree: more than 1,000 containers".
//
// Also here: corroboration — how many independent outlets report something, a wire story republished by
// several sites (near-identical text, the same wire credit) or several articles of one outlet counting once.
import type { Dossier } from '../core/dossier.js';
import { type Article, type Citation, citationOf } from '../core/types.js';
import { periodOf } from '../extract/events.js';
import { sentenceStats } from '../extract/merge.js';
import { type Bound, type Dimension, type Quantity, convert, extractQuantities, formatNumber, unitLabel } from '../extract/quantities.js';
import { formatSpan, oneLine } from '../render/format.js';
import { processTerm, tokenize } from '../search/passages.js';

// ───────────────────────────── types ─────────────────────────────

/** One reading of a figure and the articles that give it. */
export interface NoteSide {
  /** The figure as the first article words it, verbatim ("roughly 290 kilometers"). */
  text: string;
  value: number;
  unit: string | null;
  bound: Bound;
  /** In the dimension's base unit (metres, seconds …); UTC ms for a date. */
  base: number;
  /** This side in the first side's unit when the units differ ("≈ 467 km"), else null. */
  converted: string | null;
  /** One per article: the sentence that gives the figure, verbatim. */
  citations: Citation[];
}

export type NoteKind = 'differ' | 'qualifier' | 'agree';

export interface QuantityNote {
  /** 'differ': the figures cannot all be true; 'qualifier': they fit, but one is a bound ("more than") where another is plain; 'agree'. */
  kind: NoteKind;
  dimension: Dimension;
  /** What is measured, in a few words ("containers", "distance: ammunition depot, border"). */
  about: string;
  sides: NoteSide[];
  /** Distinct articles giving a figure. */
  sources: number;
  /** The note as one plain line (no markdown): "Sources differ: … (Yonhap) · … (Marine Insight)". */
  summary: string;
}

/** A figure where an article gives it: the quantity and the sentence it stands in. */
export interface QuantityMention {
  quantity: Quantity;
  citation: Citation;
}

/** How many independent outlets report something. */
export interface Corroboration {
  /** Distinct articles. */
  articles: number;
  /** Independent reports: articles of one outlet, one wire credit or near-identical text count once. */
  independent: number;
  /** The groups that count once, when they hold more than one article: why, and which articles. */
  shared: { reason: 'outlet' | 'wire' | 'text'; label: string; articles: string[] }[];
}

// ───────────────────────────── finding the figures ─────────────────────────────

const sentenceCache = new WeakMap<Article, Map<number, Quantity[]>>();
const dateCache = new WeakMap<Dossier, Map<string, Quantity[]>>();

/** The quantities of one sentence of an article (cached per article object). */
function quantitiesOf(a: Article, index: number): Quantity[] {
  let m = sentenceCache.get(a);
  if (!m) sentenceCache.set(a, (m = new Map()));
  let q = m.get(index);
  if (!q) {
    const s = a.sentences[index]!;
    q = extractQuantities(s.text, s.start);
    m.set(index, q);
  }
  return q;
}

/** The dates the extractor found in one sentence, as quantities of dimension 'date'. */
function datesOf(d: Dossier, a: Article, index: number): Quantity[] {
  let m = dateCache.get(d);
  if (!m) dateCache.set(d, (m = new Map()));
  const key = `${a.id}#${index}`;
  let q = m.get(key);
  if (!q) {
    q = [];
    const s = a.sentences[index]!;
    for (const dm of d.extractions.get(a.id)?.dates ?? []) {
      // "on Friday", "last month" restate a date the reader knows; only dates written out are compared.
      if (dm.sentence !== index || !WRITTEN_DATE.test(dm.text)) continue;
      const plain = dm.period ?? { date: dm.date, end: dm.end };
      const period = periodOf(plain.date, plain.end);
      if (!period) continue;
      const [from, to] = [dm.at[0] - s.start, dm.at[1] - s.start];
      q.push({
        text: dm.text,
        at: dm.at,
        value: period[0],
        unit: null,
        dimension: 'date',
        qualifier: null,
        bound: 'exact',
        noun: null,
        nounStem: null,
        base: period[0],
        context: contextAround(s.text, from, to),
        period,
        iso: plain.end ? `${plain.date}/${plain.end}` : plain.date,
      });
    }
    m.set(key, q);
  }
  return q;
}

const WRITTEN_DATE = /\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

function contextAround(text: string, start: number, end: number): string[] {
  const out = new Set<string>();
  for (const t of [...tokenize(text.slice(0, start)).slice(-10), ...tokenize(text.slice(end)).slice(0, 10)]) {
    if (/^\d/.test(t)) continue;
    const s = processTerm(t);
    if (s && s.length > 2) out.add(s);
  }
  return [...out];
}

export interface ScopeOptions {
  /** Also look at this many sentences after each cited one, in the same paragraph (a figure often follows its event). */
  following?: number;
  /** Include dates (off for timeline events, whose reports share a date by construction). */
  dates?: boolean;
}

/** The sentences of `a` that overlap [start, end), plus `following` sentences after them in the same paragraph. */
function sentencesFor(a: Article, at: [number, number] | undefined, quote: string, following: number): number[] {
  let hit = at ? a.sentences.filter((s) => s.start < at[1] && s.end > at[0]).map((s) => s.index) : [];
  if (hit.length === 0) {
    const q = oneLine(quote);
    hit = a.sentences.filter((s) => oneLine(s.text) === q || q.includes(oneLine(s.text))).map((s) => s.index);
  }
  const out = new Set(hit);
  for (const i of hit) {
    const p = a.sentences[i]!.paragraph;
    for (let j = i + 1; j <= i + following && a.sentences[j]?.paragraph === p; j++) out.add(j);
  }
  return [...out].sort((x, y) => x - y);
}

/** Every figure in the sentences `citations` quote (and, with `following`, the sentences after them). */
export function mentionsIn(d: Dossier, citations: Citation[], opts: ScopeOptions = {}): QuantityMention[] {
  const out: QuantityMention[] = [];
  const seen = new Set<string>();
  for (const c of citations) {
    const a = d.byId.get(c.article);
    if (!a) continue;
    for (const i of sentencesFor(a, c.at, c.quote, opts.following ?? 0)) {
      const key = `${a.id}#${i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(...mentionsOfSentence(d, a, i, opts.dates ?? false));
    }
  }
  return out;
}

function mentionsOfSentence(d: Dossier, a: Article, i: number, dates: boolean): QuantityMention[] {
  const s = a.sentences[i]!;
  const qs = dates ? [...quantitiesOf(a, i), ...datesOf(d, a, i)] : quantitiesOf(a, i);
  if (qs.length === 0) return [];
  const citation = citationOf(a, s);
  return qs.map((quantity) => ({ quantity, citation }));
}

// ───────────────────────────── grouping and comparing ─────────────────────────────

/** Inverse sentence frequency of each stem over the corpus: rare words say what a figure is about. */
const idfCache = new WeakMap<Dossier, { idf: Map<string, number>; n: number }>();
function idfOf(d: Dossier): { idf: Map<string, number>; n: number } {
  let v = idfCache.get(d);
  if (!v) {
    // Sentence frequencies shared with the timeline's merge (memoised on the articles array).
    const { df, n } = sentenceStats(d.articles);
    const idf = new Map<string, number>();
    // In a small corpus every word is in a good share of the sentences; a word in only a few sentences is
    // rare whatever the corpus's size.
    for (const [k, c] of df) idf.set(k, Math.max(Math.log((n + 1) / c), c <= RARE_DF ? RARE_WEIGHT : 0));
    v = { idf, n };
    idfCache.set(d, v);
  }
  return v;
}

export interface CompareOptions {
  /**
   * How much rare context two figures of the same dimension must share to be about the same thing: the sum of
   * the shared words' inverse sentence frequencies. Default {@link SAME_THING}; figures within one merged
   * event already share their event, so they need {@link SAME_THING_IN_EVENT}.
   */
  threshold?: number;
  /** Keep notes where every source agrees (default true). */
  agreements?: boolean;
}

export const SAME_THING = 5;
/** A word in at most this many sentences weighs at least RARE_WEIGHT. */
const RARE_DF = 4;
const RARE_WEIGHT = 1.5;
export const SAME_THING_IN_EVENT = 3;
/** Tolerance of a plain figure (rounding: 290 km and 180 miles are the same) and of an approximate one. */
const EXACT_TOLERANCE = 0.03;
const APPROX_TOLERANCE = 0.15;

/** The values a figure allows, in base units. */
function intervalOf(q: Quantity): [number, number] {
  if (q.period) return q.period;
  const v = q.base;
  switch (q.bound) {
    case 'min':
      return [v * (1 - EXACT_TOLERANCE), Infinity];
    case 'max':
      return [0, v * (1 + EXACT_TOLERANCE)];
    case 'approx':
      return [v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE)];
    default:
      return [v * (1 - EXACT_TOLERANCE), v * (1 + EXACT_TOLERANCE)];
  }
}

const overlaps = (a: [number, number], b: [number, number]) => (a[0] < b[1] || (a[0] === b[1] && a[0] === b[0])) && b[0] < a[1];

/** Which figures may be about the same thing: same dimension, same thing counted, same currency. */
function bucketOf(q: Quantity): string {
  if (q.dimension === 'count') return `count:${q.nounStem}`;
  if (q.dimension === 'money') return `money:${q.unit}`;
  return q.dimension;
}

/** A reading: figures worded differently but saying the same ("roughly" and "about" 290 km) are one side. */
function readingOf(q: Quantity): string {
  if (q.period) return `date:${q.iso}`;
  const b = q.bound === 'approx' ? 'exact' : q.bound; // "about 290 km" and "290 km" say the same
  return `${b}:${q.unit ?? ''}:${+q.value.toPrecision(6)}`;
}

/** Groups figures that measure the same thing and compares each group that spans two articles or more. */
export function compareMentions(d: Dossier, mentions: QuantityMention[], opts: CompareOptions = {}): QuantityNote[] {
  const threshold = opts.threshold ?? SAME_THING;
  const { idf, n } = idfOf(d);
  const maxIdf = Math.log(n + 1);
  const weight = (s: string) => idf.get(s) ?? maxIdf;
  const buckets = new Map<string, QuantityMention[]>();
  for (const m of mentions) {
    const k = bucketOf(m.quantity);
    const list = buckets.get(k) ?? [];
    list.push(m);
    buckets.set(k, list);
  }
  const notes: QuantityNote[] = [];
  for (const list of buckets.values()) {
    if (new Set(list.map((m) => m.citation.article)).size < 2) continue;
    // Single-link clusters: two figures join when their contexts share enough rare words.
    const parent = list.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const ctx = list.map((m) => new Set(m.quantity.context));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (find(i) === find(j)) continue;
        let w = 0;
        for (const s of ctx[i]!) if (ctx[j]!.has(s)) w += weight(s);
        // Dates are everywhere in news: they need twice the shared context.
        const need = list[i]!.quantity.dimension === 'date' ? threshold * 2 : threshold;
        if (w >= need) parent[find(i)] = find(j);
      }
    }
    const clusters = new Map<number, QuantityMention[]>();
    list.forEach((m, i) => {
      const r = find(i);
      clusters.set(r, [...(clusters.get(r) ?? []), m]);
    });
    for (const c of clusters.values()) {
      const note = noteOf(c, idf);
      if (note && (note.kind !== 'agree' || opts.agreements !== false)) notes.push(note);
    }
  }
  const rank: Record<NoteKind, number> = { differ: 0, qualifier: 1, agree: 2 };
  return notes.sort((a, b) => rank[a.kind] - rank[b.kind] || b.sources - a.sources || a.about.localeCompare(b.about));
}

/** The note for one group of figures about the same thing, or null when they come from a single article. */
function noteOf(group: QuantityMention[], idf: Map<string, number>): QuantityNote | null {
  const articles = new Set(group.map((m) => m.citation.article));
  if (articles.size < 2) return null;
  // Sides: one per reading, in order of first appearance; one citation per article on a side.
  const sides = new Map<string, { q: Quantity; citations: Citation[] }>();
  for (const m of group) {
    const k = readingOf(m.quantity);
    const side = sides.get(k) ?? { q: m.quantity, citations: [] };
    if (!side.citations.some((c) => c.article === m.citation.article)) side.citations.push(m.citation);
    sides.set(k, side);
  }
  // The side most sources give goes first; ties keep the order of first appearance.
  const list = [...sides.values()].sort((a, b) => b.citations.length - a.citations.length);
  let consistent = true;
  for (let i = 0; i < list.length && consistent; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (!overlaps(intervalOf(list[i]!.q), intervalOf(list[j]!.q))) {
        consistent = false;
        break;
      }
    }
  }
  const bounds = new Set(list.map((s) => (s.q.bound === 'approx' ? 'exact' : s.q.bound)));
  const kind: NoteKind = !consistent ? 'differ' : bounds.size > 1 ? 'qualifier' : 'agree';
  const first = list[0]!.q;
  const out: NoteSide[] = list.map((s) => ({
    text: oneLine(s.q.text),
    value: s.q.value,
    unit: s.q.unit,
    bound: s.q.bound,
    base: s.q.base,
    converted: convertedText(s.q, first),
    citations: s.citations,
  }));
  const about = aboutOf(group, idf);
  const note: QuantityNote = { kind, dimension: first.dimension, about, sides: out, sources: articles.size, summary: '' };
  note.summary = summaryOf(note);
  return note;
}

/** "≈ 467 km": `q` in `first`'s unit, when their units differ and can be converted. */
function convertedText(q: Quantity, first: Quantity): string | null {
  if (q === first || !q.unit || q.unit === first.unit || q.dimension === 'date') return null;
  const v = convert(q.base, q.dimension, first.unit);
  if (v === null) return null;
  return `≈ ${formatNumber(Math.round(v >= 100 ? v : v * 10) / (v >= 100 ? 1 : 10))} ${unitLabel(first.unit, v)}`;
}

const DIMENSION_WORDS: Record<string, string> = {
  length: 'distance', time: 'duration', mass: 'weight', money: 'sum', percent: 'share', date: 'date', area: 'area', volume: 'volume', speed: 'speed',
};

/** What a group measures: the thing counted, or the dimension and the rarest words the figures share. */
function aboutOf(group: QuantityMention[], idf: Map<string, number>): string {
  const q = group[0]!.quantity;
  if (q.dimension === 'count') return q.noun!.toLowerCase();
  const counts = new Map<string, number>();
  for (const m of group) for (const s of new Set(m.quantity.context)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const shared = [...counts]
    .filter(([, c]) => c >= 2)
    .sort((a, b) => b[1] - a[1] || (idf.get(b[0]) ?? 0) - (idf.get(a[0]) ?? 0))
    .slice(0, 3)
    .map(([s]) => surfaceOf(s, group));
  const word = DIMENSION_WORDS[q.dimension] ?? q.dimension;
  return shared.length ? `${word}: ${shared.join(', ')}` : word;
}

/** A word of the figures' sentences whose stem is `stem` ("depot" for "depot"). */
function surfaceOf(stem: string, group: QuantityMention[]): string {
  for (const m of group) for (const t of tokenize(m.citation.quote)) if (processTerm(t) === stem) return t.toLowerCase() === t ? t : t;
  return stem;
}

/** How a source is named in a note: its outlet, else its title (cut). */
export function sourceName(c: Pick<Citation, 'outlet' | 'title'>): string {
  if (c.outlet) return c.outlet;
  const t = oneLine(c.title);
  return t.length > 40 ? `${t.slice(0, t.lastIndexOf(' ', 39) > 20 ? t.lastIndexOf(' ', 39) : 39)}…` : t;
}

function sideText(s: NoteSide, dimension: Dimension): string {
  const fig = dimension === 'date' ? s.text : s.text;
  return `${fig}${s.converted ? ` ${s.converted}` : ''} (${[...new Set(s.citations.map(sourceName))].join(', ')})`;
}

/** The one-line note: "Sources differ: A (X) · B (Y, Z)" or "3 sources agree: A". */
export function summaryOf(n: Pick<QuantityNote, 'kind' | 'sides' | 'sources' | 'dimension' | 'about'>): string {
  if (n.kind === 'agree') {
    const s = n.sides[0]!;
    const fig = n.dimension === 'date' ? formatSpanOf(s) : s.text;
    return `${n.sources} sources agree: ${fig}${n.sides.length > 1 ? ` (also given as ${n.sides.slice(1).map((x) => x.text).join(', ')})` : ''}`;
  }
  return `Sources differ: ${n.sides.map((s) => sideText(s, n.dimension)).join(' · ')}`;
}

function formatSpanOf(s: NoteSide): string {
  return s.text;
}

// ───────────────────────────── corroboration ─────────────────────────────

/** News agencies whose stories other sites republish. Names as credited, lower-cased, to one key. */
const WIRES: [RegExp, string][] = [
  [/^(?:the )?associated press$|^ap$/i, 'AP'],
  [/^reuters$|^thomson reuters$/i, 'Reuters'],
  [/^afp$|^agence france[- ]presse$/i, 'AFP'],
  [/^yonhap(?: news agency)?$/i, 'Yonhap'],
  [/^xinhua(?: news agency)?$/i, 'Xinhua'],
  [/^tass$/i, 'TASS'],
  [/^dpa$|^deutsche presse-agentur$/i, 'dpa'],
  [/^upi$|^united press international$/i, 'UPI'],
  [/^kyodo(?: news)?$/i, 'Kyodo'],
  [/^efe$/i, 'EFE'],
  [/^ansa$/i, 'ANSA'],
  [/^pa(?: media)?$|^press association$/i, 'PA'],
  [/^ani$/i, 'ANI'],
  [/^pti$|^press trust of india$/i, 'PTI'],
  [/^ians$/i, 'IANS'],
  [/^bernama$/i, 'Bernama'],
  [/^anadolu(?: agency)?$/i, 'Anadolu'],
  [/^bloomberg$/i, 'Bloomberg'],
  [/^interfax$/i, 'Interfax'],
  [/^ukrinform$/i, 'Ukrinform'],
];
const WIRE_NAMES = String.raw`The Associated Press|Associated Press|AP|Thomson Reuters|Reuters|AFP|Agence France-Presse|Yonhap(?: News Agency)?|Xinhua(?: News Agency)?|TASS|dpa|UPI|United Press International|Kyodo(?: News)?|EFE|ANSA|PA Media|Press Association|ANI|PTI|Press Trust of India|IANS|Bernama|Anadolu(?: Agency)?|Bloomberg|Interfax|Ukrinform`;
/** Credits that say a story is a wire's: a dateline "(Reuters) —", a byline "By Yonhap", "Source: AFP", a closing "— AP". */
const CREDIT_RES = [
  new RegExp(String.raw`^[A-Z][A-Z .,'-]{1,40}\((${WIRE_NAMES})\)\s*[-–—]`, 'm'),
  new RegExp(String.raw`^\s*\((${WIRE_NAMES})\)\s*[-–—]`, 'm'),
  new RegExp(String.raw`^\s*By\s+(?:the\s+)?(${WIRE_NAMES})\s*$`, 'm'),
  new RegExp(String.raw`^\s*(?:Source|Sources|Via|Courtesy of|Distributed by|Republished from|Originally published by)\s*:?\s+(?:the\s+)?(${WIRE_NAMES})\b`, 'mi'),
  new RegExp(String.raw`^\s*[-–—]\s*(${WIRE_NAMES})\s*$`, 'm'),
  new RegExp(String.raw`\((${WIRE_NAMES})\)\s*$`, 'm'),
];
/** Lines that credit a photo, not a story. */
const PHOTO_CREDIT = /\b(?:photo|photograph|image|screenshot|picture|video|graphic|illustration|file)\b|\bvia\b/i;

function wireOf(name: string | null | undefined): string | null {
  if (!name) return null;
  const n = name.trim();
  for (const [re, key] of WIRES) if (re.test(n)) return key;
  return null;
}

/** The wire that credits an article's story, if one does (photo credits and captions do not count). */
export function wireCredit(a: Article): string | null {
  const own = wireOf(a.meta.outlet);
  if (own) return own;
  for (const p of a.paragraphs) {
    if (p.kind === 'caption') continue;
    const text = a.body.slice(p.start, p.end);
    for (const line of text.split('\n')) {
      if (PHOTO_CREDIT.test(line) && line.length > 0) {
        // "WASHINGTON (Reuters) — …" may mention a photo later in the sentence: only credit-only lines are skipped.
        if (!/^[A-Z][A-Z .,'-]{1,40}\(/.test(line)) continue;
      }
      for (const re of CREDIT_RES) {
        const m = re.exec(line);
        if (m) {
          // A closing "(Yonhap)" credit only counts at the end of a body paragraph, not in a caption-like line.
          const w = wireOf(m[1]);
          if (w) return w;
        }
      }
    }
  }
  return null;
}

const SHINGLE = 8;
/** Share of the shorter article's word 8-grams found in the other for the two to be one story republished. */
export const NEAR_DUPLICATE = 0.5;

/**
 * The article's body 8-grams, each as a 53-bit hash (a number: a large corpus has millions of them, and
 * strings were most of the time and memory this took). Each word has two independent 32-bit hashes and
 * each 8-gram mixes the one kind into its high bits and the other into its low bits, so two different
 * 8-grams share a hash with a chance of about 1 in 10^15 per pair: at worst one 8-gram counted as shared.
 */
function shinglesOf(a: Article): Set<number> {
  const h1: number[] = [];
  const h2: number[] = [];
  for (const p of a.paragraphs) {
    if (p.kind !== 'body') continue;
    for (const w of a.body.slice(p.start, p.end).toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      let x = 0x811c9dc5;
      let y = 0x9747b28c;
      for (let i = 0; i < w.length; i++) {
        const c = w.charCodeAt(i);
        x = Math.imul(x ^ c, 0x01000193);
        y = Math.imul(y ^ c, 0x5bd1e995);
        y ^= y >>> 13;
      }
      h1.push(x >>> 0);
      h2.push(y >>> 0);
    }
  }
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= h1.length; i++) {
    let x = 0x811c9dc5;
    let y = 0x27d4eb2f;
    for (let k = i; k < i + SHINGLE; k++) {
      x = Math.imul(x ^ h1[k]!, 0x01000193);
      x ^= x >>> 15;
      y = Math.imul(y ^ h2[k]!, 0x5bd1e995);
      y ^= y >>> 13;
    }
    out.add((x >>> 0) * 0x200000 + ((y >>> 0) & 0x1fffff));
  }
  return out;
}

export interface Independence {
  /** Article id → the key of its group of non-independent articles. */
  group: Map<string, string>;
  /** Group key → why its articles count once, and a label ("Reuters", "Yonhap", "near-identical text"). */
  why: Map<string, { reason: 'outlet' | 'wire' | 'text'; label: string }>;
}

const independenceCache = new WeakMap<Dossier, Independence>();

/** Which articles are not independent of each other: same outlet, same wire credit, or near-identical text. */
export function independenceOf(d: Dossier): Independence {
  const cached = independenceCache.get(d);
  if (cached) return cached;
  const ids = d.articles.map((a) => a.id);
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (x: string): string => {
    const p = parent.get(x)!;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  // Why a group's articles count once: of the reasons its unions gave, in order, the first wire credit, the
  // first shared outlet and the first of all (kept instead of the whole list: the best is one of them).
  type Why = { reason: 'outlet' | 'wire' | 'text'; label: string };
  type Reasons = { wire?: Why; outlet?: Why; first: Why };
  const reasons = new Map<string, Reasons>();
  const union = (a: string, b: string, why: Why) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
    const r = find(a);
    const x = reasons.get(ra);
    const y = ra === rb ? undefined : reasons.get(rb);
    const wire = x?.wire ?? y?.wire ?? (why.reason === 'wire' ? why : undefined);
    const outlet = x?.outlet ?? y?.outlet ?? (why.reason === 'outlet' ? why : undefined);
    reasons.set(r, { ...(wire ? { wire } : {}), ...(outlet ? { outlet } : {}), first: x?.first ?? y?.first ?? why });
  };
  // One outlet, or one wire: its articles count once.
  const byKey = new Map<string, string>();
  for (const a of d.articles) {
    const wire = wireCredit(a);
    const keys: [string, { reason: 'outlet' | 'wire'; label: string }][] = [];
    if (wire) keys.push([`wire:${wire}`, { reason: 'wire', label: wire }]);
    if (a.meta.outlet && !wire) keys.push([`outlet:${a.meta.outlet.trim().toLowerCase()}`, { reason: 'outlet', label: a.meta.outlet.trim() }]);
    for (const [k, why] of keys) {
      const other = byKey.get(k);
      if (other) union(a.id, other, why);
      else byKey.set(k, a.id);
    }
  }
  // Near-identical text: the share of the shorter article's 8-grams that the longer one also has. Articles
  // are numbered (their index in the corpus) and a pair is one number, so counting shared 8-grams over a
  // large corpus makes no strings; pairs are met in the same order as they always were.
  const n = d.articles.length;
  const sizes = new Int32Array(n);
  // Every (8-gram, article) as one 64-bit number, the 8-gram's hash in the high bits and the article in the
  // low ones, sorted: the articles sharing an 8-gram are then neighbours, in corpus order, with no map of
  // millions of small lists to build (that took most of the time and memory at 10,000 articles). The hash
  // keeps 64 minus the article bits (50 for 10,000 articles): at worst a pair counts one 8-gram too many.
  const articleBits = BigInt(Math.max(1, Math.ceil(Math.log2(n + 1))));
  const hashMask = (1n << (64n - articleBits)) - 1n;
  const sets = d.articles.map((a, i) => {
    const set = shinglesOf(a);
    sizes[i] = set.size;
    return set;
  });
  const keys = new BigUint64Array(sizes.reduce((x, y) => x + y, 0));
  let at = 0;
  sets.forEach((set, i) => {
    const article = BigInt(i);
    for (const h of set) keys[at++] = ((BigInt(h) & hashMask) << articleBits) | article;
  });
  sets.length = 0;
  keys.sort();
  const articleMask = (1n << articleBits) - 1n;
  // The 8-grams shared by 2 to 50 articles, as runs of article numbers (a run per 8-gram) …
  const members: number[] = [];
  const runStart: number[] = [];
  for (let start = 0; start < keys.length; ) {
    const hash = keys[start]! >> articleBits;
    let end = start + 1;
    while (end < keys.length && keys[end]! >> articleBits === hash) end++;
    if (end - start >= 2 && end - start <= 50) {
      runStart.push(members.length);
      for (let k = start; k < end; k++) members.push(Number(keys[k]! & articleMask));
    }
    start = end;
  }
  runStart.push(members.length);
  // … and, for each article, the runs it is in.
  const runs = runStart.length - 1;
  const perArticle = new Int32Array(n + 1);
  for (const m of members) perArticle[m + 1]!++;
  for (let i = 0; i < n; i++) perArticle[i + 1]! += perArticle[i]!;
  const runsOf = new Int32Array(members.length);
  const fill = perArticle.slice(0, n);
  for (let r = 0; r < runs; r++) for (let k = runStart[r]!; k < runStart[r + 1]!; k++) runsOf[fill[members[k]!]!++] = r;
  // Each article's 8-grams counted against every later article's, with one counter per article: the pairs
  // that share at least NEAR_DUPLICATE of the smaller article's 8-grams are one story.
  const counts = new Int32Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let p = perArticle[i]!; p < perArticle[i + 1]!; p++) {
      const r = runsOf[p]!;
      for (let k = runStart[r]!; k < runStart[r + 1]!; k++) {
        const j = members[k]!;
        if (j <= i) continue;
        if (counts[j] === 0) touched.push(j);
        counts[j]!++;
      }
    }
    touched.sort((x, y) => x - y);
    for (const j of touched) {
      const c = counts[j]!;
      counts[j] = 0;
      const smaller = Math.min(sizes[i]!, sizes[j]!);
      if (smaller > 0 && c / smaller >= NEAR_DUPLICATE) union(ids[i]!, ids[j]!, { reason: 'text', label: 'near-identical text' });
    }
    touched.length = 0;
  }
  const group = new Map(ids.map((id) => [id, find(id)]));
  const why = new Map<string, { reason: 'outlet' | 'wire' | 'text'; label: string }>();
  for (const [root, list] of reasons) {
    const r = find(root);
    // A wire credit explains a group best, then a shared outlet, then shared text.
    const best = list.wire ?? list.outlet ?? list.first;
    if (!why.has(r)) why.set(r, best);
  }
  const out = { group, why };
  independenceCache.set(d, out);
  return out;
}

/** How many independent outlets the articles of `citations` are. */
export function corroborationOf(d: Dossier, citations: Pick<Citation, 'article'>[]): Corroboration {
  const ind = independenceOf(d);
  const articles = [...new Set(citations.map((c) => c.article))];
  const groups = new Map<string, string[]>();
  for (const id of articles) {
    const g = ind.group.get(id) ?? id;
    groups.set(g, [...(groups.get(g) ?? []), id]);
  }
  const shared = [...groups]
    .filter(([, list]) => list.length > 1)
    .map(([g, list]) => ({ ...(ind.why.get(g) ?? { reason: 'text' as const, label: 'near-identical text' }), articles: list }));
  return { articles: articles.length, independent: groups.size, shared };
}

// ───────────────────────────── /compare ─────────────────────────────

export interface CompareAnswer {
  topic: string | null;
  /** Disagreements first, then figures qualified differently, then agreements. */
  notes: QuantityNote[];
  /** Sentences looked at, and articles searched. */
  sentences: number;
  searched: number;
}

export interface CompareTopicOptions {
  topic?: string;
  /** Most notes to return (default 25). */
  limit?: number;
  /** Include agreements (default true; disagreements always come first). */
  agreements?: boolean;
}

const TOPIC_HITS = 300;
const TOPIC_SHARE = 0.2;
export const DEFAULT_COMPARE_LIMIT = 25;

/**
 * The passages a topic is about: the best `limit` search hits that score at least `share` of the best one
 * (the long tail of a search matches a word or two of the topic, not the topic). /compare and /timeline
 * draw on these.
 */
export function topicHits(d: Dossier, topic: string, limit: number, share: number): ReturnType<Dossier['passages']['search']> {
  const hits = d.passages.search(topic, limit);
  const top = hits[0]?.score ?? 0;
  return hits.filter((h) => h.score >= top * share);
}

/** The figures the sources give on a topic (or across the corpus), grouped and compared. */
export function answerCompare(d: Dossier, opts: CompareTopicOptions = {}): CompareAnswer {
  const topic = opts.topic?.trim() || null;
  let sentences: [Article, number][] = [];
  if (topic) {
    const seen = new Set<string>();
    for (const h of topicHits(d, topic, TOPIC_HITS, TOPIC_SHARE)) {
      const a = d.byId.get(h.article);
      if (!a) continue;
      // The sentence and the next one of its paragraph: a figure often follows the sentence naming the topic.
      for (const i of [h.sentence, h.sentence + 1]) {
        const s = a.sentences[i];
        if (!s || (i !== h.sentence && s.paragraph !== a.sentences[h.sentence]?.paragraph)) continue;
        const k = `${a.id}#${i}`;
        if (!seen.has(k)) {
          seen.add(k);
          sentences.push([a, i]);
        }
      }
    }
  } else {
    sentences = d.articles.flatMap((a) => a.sentences.map((s) => [a, s.index] as [Article, number]));
  }
  const mentions = sentences.flatMap(([a, i]) => mentionsOfSentence(d, a, i, true));
  const notes = compareMentions(d, mentions, { agreements: opts.agreements ?? true });
  return { topic, notes: notes.slice(0, opts.limit ?? DEFAULT_COMPARE_LIMIT), sentences: sentences.length, searched: d.articles.length };
}

/** Notes for the sentences an answer cites (timeline event, /source passages). */
export function notesFor(d: Dossier, citations: Citation[], opts: ScopeOptions & CompareOptions = {}): QuantityNote[] {
  return compareMentions(d, mentionsIn(d, citations, opts), opts);
}

export { formatSpan };
