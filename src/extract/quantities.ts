// Quantities in a sentence: counts of things ("more than 1,000 containers"), measures with units
// ("roughly 290 kilometers", "three weeks"), sums of money ("$12 billion") and percentages, each with its
// qualifier ("more than", "about", "up to") and the words around it, so that the figures two articles give
// for the same thing can be found and compared. Units are parsed and converted by js-quantities; this file
// only decides which words after a number are a unit (so "in", "at" and "are" are not inches, a mass and an
// area) and which words are the thing counted.
import Qty from 'js-quantities';
import { processTerm, tokenize } from '../search/passages.js';

// Patterns of the functions below (esbuild compiles a literal with some \p{…} escapes to `new RegExp(…)`: made here once, not at every call).
const UNIT_WORDS = /^([\s-]?)(\p{L}[\p{L}/^²]*\.?)(?:\s+(\p{L}+))?(?:\s+(\p{L}+))?/u;
const LAST_WORD = /(\p{L}+\.?)\s*$/u;
const FIRST_WORD = /^\s*(\p{L}+\.?)/u;
const FIRST_LETTERS = /^\s*(\p{L}+)/u;
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const LETTER = /\p{L}/u;

/** What kind of thing a quantity measures: a js-quantities kind ("length", "time" …), or one of these. */
export type Dimension = 'count' | 'money' | 'percent' | 'date' | string;

/** How the figure is qualified: a lower bound ("more than"), an upper bound ("up to"), approximate, or as stated. */
export type Bound = 'min' | 'max' | 'approx' | 'exact';

export interface Quantity {
  /** The words as they stand, qualifier and unit included ("roughly 290 kilometers"). */
  text: string;
  /** Offsets of `text` in the string it was found in (plus the offset given to the extractor). */
  at: [number, number];
  /** The number as stated (290; 12e9 for "$12 billion"). */
  value: number;
  /** The unit as js-quantities names it ("km", "mi", "d"), the currency ("USD"), "%", or null for a count. */
  unit: string | null;
  dimension: Dimension;
  /** The qualifier as written, lower-cased ("more than"), or null. */
  qualifier: string | null;
  bound: Bound;
  /** For a count: the thing counted, as written ("containers") and as a stem ("contain"). */
  noun: string | null;
  nounStem: string | null;
  /** The value in the dimension's base unit (metres, seconds, kilograms …); the value itself for counts, money and percentages. */
  base: number;
  /** Stems of the content words near the figure (the figure's own words excluded): what it is about. */
  context: string[];
  /** For a date: the calendar time it covers, [first day, day after the last] as UTC ms, and the date as ISO. */
  period?: [number, number];
  iso?: string;
}

// ───────────────────────────── numbers ─────────────────────────────

const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, dozen: 12,
};
const SCALES: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, bn: 1e9, mn: 1e6, m: 1e6, k: 1e3, tn: 1e12 };
/** Scales that are only scales after a currency ("$5m", "$3bn"); elsewhere "m" is a metre. */
const MONEY_ONLY_SCALES = new Set(['m', 'k', 'bn', 'mn', 'tn']);

const CURRENCY_SYMBOLS: Record<string, string> = { $: 'USD', US$: 'USD', 'U.S.$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₩': 'KRW', '₽': 'RUB', '₹': 'INR' };
const CURRENCY_WORDS: Record<string, string> = {
  dollar: 'USD', dollars: 'USD', usd: 'USD', euro: 'EUR', euros: 'EUR', eur: 'EUR', pound: 'GBP', pounds: 'GBP', gbp: 'GBP',
  yen: 'JPY', jpy: 'JPY', won: 'KRW', krw: 'KRW', ruble: 'RUB', rubles: 'RUB', rouble: 'RUB', roubles: 'RUB', rub: 'RUB',
  yuan: 'CNY', renminbi: 'CNY', cny: 'CNY', rupee: 'INR', rupees: 'INR', inr: 'INR', hryvnia: 'UAH', hryvnias: 'UAH', uah: 'UAH',
};

// ───────────────────────────── qualifiers ─────────────────────────────

const QUALIFIERS: [string, Bound][] = [
  ['more than', 'min'], ['over', 'min'], ['at least', 'min'], ['upwards of', 'min'], ['in excess of', 'min'], ['just over', 'min'],
  ['well over', 'min'], ['no fewer than', 'min'], ['no less than', 'min'], ['a minimum of', 'min'], ['above', 'min'],
  ['less than', 'max'], ['fewer than', 'max'], ['under', 'max'], ['up to', 'max'], ['as many as', 'max'], ['as much as', 'max'],
  ['at most', 'max'], ['no more than', 'max'], ['nearly', 'max'], ['almost', 'max'], ['just under', 'max'], ['a maximum of', 'max'],
  ['about', 'approx'], ['around', 'approx'], ['approximately', 'approx'], ['roughly', 'approx'], ['some', 'approx'],
  ['an estimated', 'approx'], ['estimated', 'approx'], ['close to', 'approx'], ['circa', 'approx'], ['approx.', 'approx'], ['an approximate', 'approx'],
];
QUALIFIERS.sort((a, b) => b[0].length - a[0].length);
const QUALIFIER_RE = new RegExp(`(?:^|[^\\p{L}])(${QUALIFIERS.map(([q]) => q.replace(/[.]/g, '\\.')).join('|')})\\s+$`, 'iu');
const BOUND_OF = new Map(QUALIFIERS);

// ───────────────────────────── units ─────────────────────────────

/** Kinds of measure Dossier compares. (Angles, information, "unitless" units like "gross" are not news figures.) */
const KINDS = new Set(['length', 'mass', 'time', 'area', 'volume', 'speed', 'power', 'energy', 'temperature']);
/** Words and abbreviations js-quantities would read as units but that are ordinary English (or too ambiguous). */
const NOT_UNITS = new Set([
  'in', 'at', 'a', 'are', 'as', 'point', 'points', 'pt', 'rod', 'rods', 'pica', 'mil', 'gross', 'bit', 'bits', 'cup', 'cups', 's', 'h', 'm', 'g', 'l', 'd', 'y',
  'min', 'b', 'c', 'f', 'k', 't', 'p', 'u', 'v', 'w', 'j', 'n', 'mm', 'cd', 'dash', 'drop', 'drops', 'pair', 'pairs', 'dozen', 'score', 'bar', 'bars', 'degree', 'degrees',
  'league', 'leagues', 'stone', 'stones', 'grain', 'grains', 'light', 'pint', 'ton-of-tnt',
]);
/** Unit words js-quantities does not know, as units it does ("tons" → tonnes: news "tons" are metric far more often than short tons). */
const UNIT_ALIASES: Record<string, string> = {
  ton: 'tonne', tons: 'tonne', tonnes: 'tonne', 'metric tons': 'tonne', 'metric tonnes': 'tonne', 'metric ton': 'tonne',
  'nautical miles': 'nmi', 'nautical mile': 'nmi', hectares: 'hectare', barrels: 'bbl', barrel: 'bbl',
  'square kilometers': 'km^2', 'square kilometres': 'km^2', 'square kilometer': 'km^2', 'square kilometre': 'km^2', 'sq km': 'km^2',
  'square miles': 'mi^2', 'square mile': 'mi^2', 'sq mi': 'mi^2', 'square meters': 'm^2', 'square metres': 'm^2',
  kph: 'kph', 'kilometers per hour': 'kph', 'kilometres per hour': 'kph', 'miles per hour': 'mph',
  months: '30.436875 d', month: '30.436875 d',
};
/** How a unit is shown in a note. */
const UNIT_LABELS: Record<string, [string, string]> = {
  km: ['km', 'km'], mi: ['mile', 'miles'], m: ['m', 'm'], ft: ['foot', 'feet'], yd: ['yard', 'yards'], nmi: ['nautical mile', 'nautical miles'],
  kg: ['kg', 'kg'], t: ['tonne', 'tonnes'], lbs: ['pound', 'pounds'], d: ['day', 'days'], wk: ['week', 'weeks'], y: ['year', 'years'],
  month: ['month', 'months'], h: ['hour', 'hours'], min: ['minute', 'minutes'], s: ['second', 'seconds'], km2: ['km²', 'km²'], mi2: ['sq mile', 'sq miles'], kph: ['km/h', 'km/h'],
};

interface UnitHit {
  unit: string;
  kind: string;
  /** Length of the unit words in the text. */
  length: number;
  /** Factor to the unit (months are days × 30.44). */
  factor: number;
  base: number;
}

/** The unit that starts `rest` (one or two words), or null. */
function unitAt(rest: string): UnitHit | null {
  const m = UNIT_WORDS.exec(rest);
  if (!m) return null;
  const lead = m[1]!.length;
  const words = [m[2]!, m[3], m[4]].filter((w): w is string => !!w);
  for (let n = words.length; n >= 1; n--) {
    const phrase = words.slice(0, n).join(' ');
    const key = phrase.toLowerCase().replace(/\.$/, '').replace(/²/, '^2');
    if (n === 1 && NOT_UNITS.has(key)) continue;
    if (n === 1 && key.length <= 2 && !['km', 'mi', 'kg', 'ft', 'yd', 'lb', 'hr', 'nm', 'cm'].includes(key)) continue;
    const alias = UNIT_ALIASES[key];
    let q: Qty | null = null;
    try {
      q = Qty.parse(/^[\d.]+ /.test(alias ?? '') ? `${alias}` : `1 ${alias ?? key}`);
    } catch {
      q = null;
    }
    if (!q || !KINDS.has(q.kind())) continue;
    // The words must be the unit, not the start of a longer word ("2 minutes" is fine, "2 mine…" is not).
    const len = lead + rest.slice(lead).indexOf(words[n - 1]!) + words[n - 1]!.length;
    const factor = alias && /^[\d.]+ /.test(alias) ? Number(alias.split(' ')[0]) : 1;
    // A unit js-quantities lacks, given as a multiple of one it has ("months" → 30.44 days): its base is the multiple's.
    if (factor !== 1) return { unit: key.replace(/s$/, ''), kind: q.kind(), length: len, factor: 1, base: q.baseScalar };
    return { unit: q.units(), kind: q.kind(), length: len, factor, base: q.baseScalar };
  }
  return null;
}

/** How a unit is written in a note ("km", "miles", "days"). */
export function unitLabel(unit: string | null, value: number): string {
  if (!unit) return '';
  const l = UNIT_LABELS[unit];
  if (l) return value === 1 ? l[0] : l[1];
  return unit;
}

/** The base value of one `unit` (metres in a km, seconds in a month …). */
function unitBase(unit: string): number {
  const alias = UNIT_ALIASES[unit];
  const q = Qty.parse(alias && /^[\d.]+ /.test(alias) ? alias : `1 ${alias ?? unit}`);
  if (!q) throw new Error(`unknown unit ${unit}`);
  return q.baseScalar;
}

/** The value of `base` (in the dimension's base unit) in `unit`, or null when js-quantities cannot convert. */
export function convert(base: number, dimension: Dimension, unit: string | null): number | null {
  if (!unit || dimension === 'count' || dimension === 'money' || dimension === 'percent' || dimension === 'date') return null;
  try {
    return base / unitBase(unit);
  } catch {
    return null;
  }
}

// ───────────────────────────── the extractor ─────────────────────────────

const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;
const NUMBER = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const WORD_NUMBER = Object.keys(WORD_NUMBERS).join('|');
/** A figure: an optional currency, a number (digits, or words like "two dozen"), an optional scale word. */
const FIGURE = new RegExp(
  String.raw`(?:(US\$|U\.S\.\$|[$€£¥₩₽₹])\s?)?(?:(${NUMBER})|\b((?:a|an|${WORD_NUMBER})(?:[\s-](?:${WORD_NUMBER}))?)\b)(?:(?:\s|-)?(thousand|million|billion|trillion|bn|mn|tn|m|k)\b)?`,
  'giu',
);
/** Words that end the phrase naming what is counted. */
const PHRASE_END = new Set(['of', 'in', 'on', 'at', 'to', 'from', 'for', 'with', 'by', 'and', 'or', 'that', 'which', 'who', 'were', 'was', 'are', 'is', 'have', 'has', 'had', 'be', 'been', 'than', 'as', 'per', 'a', 'an', 'the', 'this', 'these', 'those', 'its', 'their']);
/** Words after a number that are not things counted. */
const NOT_NOUNS = new Set(['times', 'time', 'percent', 'per', 'cent', 'more', 'less', 'other', 'others', 'same', 'years', 'year', 'old', 'ago', 'later', 'earlier', 'first', 'last', 'next', 'am', 'pm', 'a.m', 'p.m', 'gmt', 'utc']);

const CONTEXT_WINDOW = 10;
const ORDINAL_TAILS = new Set(['st', 'nd', 'rd', 'th']);

/**
 * Every quantity in `text`. `offset` is added to the offsets returned (pass a sentence's start to get body
 * offsets). Dates, years, times of day, ordinals and numbers inside names ("MV Angara 2") are left out.
 */
export function extractQuantities(text: string, offset = 0): Quantity[] {
  const out: Quantity[] = [];
  FIGURE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FIGURE.exec(text))) {
    const [whole, symbol, digits, words, scaleWord] = m;
    let start = m.index;
    let end = start + whole.length;
    if (!digits && !words) continue;
    // A number glued to letters or digits around it is part of a name or code ("F-16", "B52", "2023-10").
    const before = text[start - 1] ?? ' ';
    const after = text[end] ?? ' ';
    if (digits && (/[\p{L}\p{N}]/u.test(before) || (before === '-' && LETTER.test(text[start - 2] ?? '')))) continue;
    if (/[\p{N}]/u.test(after) || (digits && /^(?:st|nd|rd|th)\b/i.test(text.slice(end)))) continue;
    if (digits && /^[:/.]\d/.test(text.slice(end))) continue; // 10:26, 10/13, 1.2.3
    let value: number;
    if (digits) value = Number(digits.replace(/,/g, ''));
    else {
      const parts = words!.toLowerCase().split(/[\s-]/);
      if (parts.length === 1 && (parts[0] === 'a' || parts[0] === 'an')) continue;
      value = parts.reduce((acc, w) => {
        const n = w === 'a' || w === 'an' ? 1 : WORD_NUMBERS[w]!;
        return n === 100 || n === 12 ? (acc || 1) * n : acc + n;
      }, 0);
      // "one" alone is a pronoun as often as a number ("one of the photos"): counts need a noun, checked below.
    }
    let currency = symbol ? CURRENCY_SYMBOLS[symbol] ?? 'USD' : null;
    let scale = 1;
    if (scaleWord) {
      const s = scaleWord.toLowerCase();
      if (MONEY_ONLY_SCALES.has(s) && !currency) {
        // "290 m" is metres, not millions: leave the letter to be read as what follows the number.
        if (s !== 'm') continue;
        end = start + whole.slice(0, whole.length - scaleWord.length).replace(/[\s-]+$/, '').length;
      } else scale = SCALES[s]!;
    }
    value *= scale;
    // Dates and years: "13 October", "October 13", "Sept. 7", "in 2023", "2017".
    const prevWord = LAST_WORD.exec(text.slice(Math.max(0, start - 12), start))?.[1] ?? '';
    const nextWord = FIRST_WORD.exec(text.slice(end))?.[1] ?? '';
    if (digits && !currency && (MONTHS.test(prevWord) || MONTHS.test(nextWord))) continue;
    if (digits && !currency && !scaleWord && /^\d{4}$/.test(digits) && value >= 1800 && value <= 2100) continue;
    if (digits && /^\s*[-–]\s*\d/.test(text.slice(end))) continue; // ranges and scores: "17-18", "3-1"

    // Qualifier before the figure.
    let qualifier: string | null = null;
    let bound: Bound = 'exact';
    const from = Math.max(0, start - 30);
    const q = QUALIFIER_RE.exec(text.slice(from, start));
    if (q) {
      qualifier = q[1]!.toLowerCase();
      bound = BOUND_OF.get(qualifier) ?? 'exact';
      start = from + q.index + q[0].indexOf(q[1]!);
    }
    let rest = text.slice(end);
    if (/^-plus\b/i.test(rest)) {
      bound = 'min';
      qualifier = qualifier ?? 'more than';
      end += 5;
      rest = text.slice(end);
    }

    let unit: string | null = null;
    let dimension: Dimension;
    let base = value;
    let noun: string | null = null;
    let nounStem: string | null = null;
    const curWord = FIRST_LETTERS.exec(rest);
    const pct = /^\s?(%|percent\b|per cent\b)/i.exec(rest);
    if (!currency && curWord && CURRENCY_WORDS[curWord[1]!.toLowerCase()] && !(curWord[1]!.toLowerCase().startsWith('pound') && !/\$|£/.test(text))) {
      currency = CURRENCY_WORDS[curWord[1]!.toLowerCase()]!;
      end += curWord[0].length;
    }
    if (currency) {
      dimension = 'money';
      unit = currency;
    } else if (pct) {
      dimension = 'percent';
      unit = '%';
      end += pct[0].length;
    } else {
      const u = unitAt(rest);
      if (u) {
        dimension = u.kind;
        unit = u.unit;
        base = value * u.factor * u.base;
        end += u.length;
      } else {
        // A count: the phrase after the number, up to a function word; its head is its first plural word.
        const phrase: string[] = [];
        const wre = /^\s*([\p{L}][\p{L}'’-]*)/u;
        let r = rest;
        while (phrase.length < 4) {
          const w = wre.exec(r);
          if (!w || PHRASE_END.has(w[1]!.toLowerCase())) break;
          phrase.push(w[1]!);
          r = r.slice(w[0].length);
        }
        if (phrase.length === 0 || phrase.some((w) => NOT_NOUNS.has(w.toLowerCase()) || MONTHS.test(w))) continue;
        const plural = phrase.findIndex((w) => /[^s']s$/i.test(w));
        const hi = value === 1 || plural < 0 ? phrase.length - 1 : plural;
        const head = phrase[hi]!;
        // Capitalised words after a number are names ("5 Downing Street", "Apollo 11"), not things counted.
        if (CAPITALISED.test(head) || head.length < 3) continue;
        noun = head;
        nounStem = processTerm(head) ?? head.toLowerCase();
        dimension = 'count';
        // The figure ends just after the head noun.
        let to = 0;
        let rr = rest;
        for (let i = 0; i <= hi; i++) {
          const w = wre.exec(rr)!;
          to += w[0].length;
          rr = rr.slice(w[0].length);
        }
        end += to;
      }
    }
    if (!digits && dimension === 'count' && value === 1) continue; // "one of the …"
    out.push({
      text: text.slice(start, end),
      at: [offset + start, offset + end],
      value,
      unit,
      dimension,
      qualifier,
      bound,
      noun,
      nounStem,
      base,
      context: contextOf(text, start, end, nounStem),
    });
    FIGURE.lastIndex = Math.max(FIGURE.lastIndex, end);
  }
  return out;
}

/** Stems of the content words within a few words of [start, end), the figure's own words left out. */
function contextOf(text: string, start: number, end: number, nounStem: string | null): string[] {
  const left = tokenize(text.slice(0, start)).slice(-CONTEXT_WINDOW);
  const right = tokenize(text.slice(end)).slice(0, CONTEXT_WINDOW);
  const out = new Set<string>();
  for (const t of [...left, ...right]) {
    if (/^\d/.test(t)) continue;
    const s = processTerm(t);
    if (s && s.length > 1 && s !== nounStem && !ORDINAL_TAILS.has(s)) out.add(s);
  }
  return [...out];
}

/** "more than 1,000 containers", "roughly 290 km", "$12 billion": a quantity as a note shows it. */
export function formatQuantity(q: Pick<Quantity, 'value' | 'unit' | 'dimension' | 'qualifier' | 'noun'>): string {
  const num = formatNumber(q.value);
  let s: string;
  if (q.dimension === 'money') s = q.unit === 'USD' ? `$${num}` : `${num} ${q.unit}`;
  else if (q.dimension === 'percent') s = `${num}%`;
  else if (q.dimension === 'count') s = `${num} ${q.noun ?? ''}`.trim();
  else s = `${num} ${unitLabel(q.unit, q.value)}`;
  return q.qualifier ? `${q.qualifier} ${s}` : s;
}

/** 1000 → "1,000"; 12e9 → "12 billion" (money), 1.5e6 → "1.5 million". */
export function formatNumber(n: number, words = true): string {
  if (words && Math.abs(n) >= 1e6) {
    for (const [w, v] of [['trillion', 1e12], ['billion', 1e9], ['million', 1e6]] as const) {
      if (Math.abs(n) >= v) return `${trim(n / v)} ${w}`;
    }
  }
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return trim(n);
}

const trim = (n: number) => (Math.round(n * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });
