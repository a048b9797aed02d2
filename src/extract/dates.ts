// Time expressions of an article, resolved against its publication date (never against today's date).
//
// Two passes over each sentence (captions included):
//  1. Dossier's own patterns, which know what news text does with dates: partial dates that keep their
//     precision ("in February", "November 2022"), spans ("between Sept. 7 and Oct. 1", "Oct. 17-18"),
//     weekdays that are the past one ("said on Friday"), "last month", "earlier this month", "two years
//     ago", "A month later" and "Later the same month" (against the date the story has just set), "on the
//     13th", bare years ("in 2009"), "early December", "late last July", quarters and seasons.
//  2. chrono-node, for absolute forms the patterns do not cover (numeric dates and the like); its
//     components are re-resolved here with the same year rule, so chrono never guesses from today.
//
// A date without a year takes the year that fits the publication date, leaning to the past for reported
// events (a "July" in a March article is last July) unless the text says it is yet to happen.
// Without a publication date, relative expressions are not resolved and are left out.
import * as chrono from 'chrono-node';
import type { Article, IsoDate, Precision } from '../core/types.js';
import type { DateMention } from './types.js';

/** A calendar point at some precision (month/day absent when unknown). */
export interface Ymd {
  y: number;
  m?: number;
  d?: number;
}

/** What a resolved expression stands for. `period` marks weeks, quarters and seasons. */
interface Resolved {
  start: Ymd;
  end?: Ymd;
  relative: boolean;
  /** A TimeML-style value that is not a plain date ("2023-Q3", "2023-SU"). */
  value?: string;
  /** Direction forced by the words ("next Friday", "last July"). */
  future?: boolean;
}

const MONTH_NAMES: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, several: NaN, few: NaN, couple: NaN,
};

// Building blocks. Month and weekday names must be capitalised (so "may" and "march" as words are not dates).
const MON = String.raw`(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)(?![A-Za-z])`;
const DAY = String.raw`(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])`;
const YEAR = String.raw`(?:1[89]\d\d|20\d\d)(?![\d,.]\d|s\b|\d)`;
const WD = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![a-z])`;
const NUM = String.raw`(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})`;
const DASH = String.raw`\s*(?:-|–|—|to|through|until|till)\s*`;
const EDGE = String.raw`(?:[Ee]arly|[Mm]id|[Ll]ate|[Tt]he end of|[Tt]he beginning of|[Tt]he start of|[Tt]he middle of|[Ee]nd of|[Ee]nd-|[Mm]id-|[Ee]arly-|[Ll]ate-)`;
/** Words after which a bare month or year is a date. */
const TRIGGER = String.raw`(?:in|since|by|until|till|through|during|before|after|from|of|to|last|this|next|early|mid|late|around|as of|between|and|or)`;

/** Words that say what a sentence reports is yet to happen. */
const FUTURE_CUE =
  /\b(?:will|shall|won[’']t|is (?:due|set|scheduled|slated|expected|going|planned) to|are (?:due|set|scheduled|slated|expected|going|planned) to|expected to|scheduled (?:to|for)|slated (?:to|for)|due to (?:be|take|begin|start|meet|open|hold|visit|arrive)|to be held|plans? to|planning to|upcoming|next)\b/i;
const PAST_REPORTING = /\b(?:said|says|told|announced|added|reported|stated|claimed|noted|disclosed|confirmed)\b/i;

interface Candidate {
  start: number;
  end: number;
  /** Resolves at its turn in text order, when the context is known. */
  resolve: (env: Env) => Resolved | null;
  /** Lower is tried first among overlapping candidates of equal length. */
  rank: number;
}

interface Env {
  pub: Ymd | null;
  /** The date the story has most recently set (not counting captions), for "A month later". */
  ctx: Ymd | null;
  /** Whether the words around the expression say it is yet to happen. */
  future: boolean;
  /** The year of the last date with an explicit year, for year-less dates when there is no publication date. */
  ctxYear: number | null;
}

export function monthOf(word: string): number | undefined {
  return MONTH_NAMES[word.toLowerCase().replace(/\.$/, '').slice(0, word.toLowerCase().startsWith('sept') ? 4 : 3)];
}

function dayOf(s: string): number {
  return Number.parseInt(s, 10);
}

/** Parses "2023", "2023-10", "2023-10-13". */
export function parseIso(iso: IsoDate | null | undefined): Ymd | null {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(iso ?? '');
  if (!m) return null;
  const out: Ymd = { y: Number(m[1]) };
  if (m[2]) out.m = Number(m[2]);
  if (m[3]) out.d = Number(m[3]);
  return out;
}

export function precisionOf(p: Ymd): Precision {
  return p.d !== undefined ? 'day' : p.m !== undefined ? 'month' : 'year';
}

const pad = (n: number) => String(n).padStart(2, '0');

export function isoOf(p: Ymd): IsoDate {
  if (p.m === undefined) return String(p.y);
  if (p.d === undefined) return `${p.y}-${pad(p.m)}`;
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

export function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function validYmd(p: Ymd): boolean {
  if (p.m !== undefined && (p.m < 1 || p.m > 12)) return false;
  if (p.d !== undefined && (p.m === undefined || p.d < 1 || p.d > daysIn(p.y, p.m))) return false;
  return true;
}

function utc(p: Ymd): number {
  return Date.UTC(p.y, (p.m ?? 1) - 1, p.d ?? 1);
}

function fromUtc(t: number): Ymd {
  const d = new Date(t);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

function addDays(p: Ymd, n: number): Ymd {
  return fromUtc(utc(p) + n * 86_400_000);
}

function addMonths(p: Ymd, n: number): Ymd {
  const total = p.y * 12 + ((p.m ?? 1) - 1) + n;
  const out: Ymd = { y: Math.floor(total / 12), m: (total % 12) + 1 };
  if (p.d !== undefined) out.d = Math.min(p.d, daysIn(out.y, out.m!));
  return out;
}

/** Months from a to b, counting only year and month. */
function monthDiff(a: Ymd, b: Ymd): number {
  return (b.y - a.y) * 12 + ((b.m ?? 1) - (a.m ?? 1));
}

/** The Monday–Sunday week that holds a day. */
function weekOf(p: Ymd): [Ymd, Ymd] {
  const dow = new Date(utc(p)).getUTCDay(); // 0 = Sunday
  const monday = addDays(p, -((dow + 6) % 7));
  return [monday, addDays(monday, 6)];
}

/**
 * Compares two dates at the precision both know: negative when a is before b, 0 when one holds the other.
 */
export function compareAt(a: Ymd, b: Ymd): number {
  if (a.y !== b.y) return a.y - b.y;
  if (a.m === undefined || b.m === undefined) return 0;
  if (a.m !== b.m) return a.m - b.m;
  if (a.d === undefined || b.d === undefined) return 0;
  return a.d - b.d;
}

/**
 * The year of a month (and day) written without one: the publication's year, unless that puts a reported
 * event well after publication (then the year before) or an expected one well before it (the year after).
 */
export function inferYear(m: number, d: number | undefined, env: Pick<Env, 'pub' | 'future' | 'ctxYear'>, direction?: 'past' | 'future'): number | null {
  const pub = env.pub;
  if (!pub) return env.ctxYear;
  if (pub.m === undefined) return pub.y;
  const cand: Ymd = d === undefined ? { y: pub.y, m } : { y: pub.y, m, d };
  if (direction === 'past') return compareAt(cand, pub) < 0 ? pub.y : pub.y - 1;
  if (direction === 'future') return compareAt(cand, pub) > 0 ? pub.y : pub.y + 1;
  if (env.future) {
    // Yet to happen: the next such date, but a date just gone by stays (it may be reported as held).
    const before = d !== undefined && pub.d !== undefined ? (utc(pub) - utc(cand)) / 86_400_000 : monthDiff(cand, pub) * 30;
    return before > 45 ? pub.y + 1 : pub.y;
  }
  const ahead = d !== undefined && pub.d !== undefined ? (utc(cand) - utc(pub)) / 86_400_000 : monthDiff(pub, cand) * 30;
  return ahead > 45 ? pub.y - 1 : pub.y;
}

/** A weekday: the past one in news (the publication day itself counts), the next one when it is yet to happen. */
function weekdayDate(wd: number, pub: Ymd, dir: 'past' | 'future' | 'last' | 'next' | 'this'): Ymd {
  const dow = new Date(utc(pub)).getUTCDay();
  if (dir === 'past') return addDays(pub, -((dow - wd + 7) % 7));
  if (dir === 'last') return addDays(pub, -(((dow - wd + 7) % 7) || 7));
  if (dir === 'future') return addDays(pub, (wd - dow + 7) % 7);
  if (dir === 'next') return addDays(pub, ((wd - dow + 7) % 7) || 7);
  // "this Friday": the one of the publication's week (Monday–Sunday).
  const [monday] = weekOf(pub);
  return addDays(monday, (wd + 6) % 7);
}

function unitSpan(unit: string, at: Ymd): Resolved {
  if (unit === 'day') return { start: { y: at.y, m: at.m!, d: at.d! }, relative: true };
  if (unit === 'week' || unit === 'weekend') {
    const [mon, sun] = weekOf(at);
    if (unit === 'weekend') return { start: addDays(mon, 5), end: sun, relative: true };
    return { start: mon, end: sun, relative: true };
  }
  if (unit === 'month') return { start: { y: at.y, m: at.m! }, relative: true };
  return { start: { y: at.y }, relative: true };
}

/** Whether the anchor knows enough for a unit: a day needs a day, a month a month. */
function knows(at: Ymd | null, unit: string): at is Ymd {
  if (!at) return false;
  if (unit === 'day' || unit === 'week' || unit === 'weekend') return at.d !== undefined;
  if (unit === 'month') return at.m !== undefined;
  return true;
}

function shift(at: Ymd, unit: string, n: number): Ymd {
  if (unit === 'day') return addDays(at, n);
  if (unit === 'week' || unit === 'weekend') return addDays(at, 7 * n);
  if (unit === 'month') return addMonths(at, n);
  const out: Ymd = { y: at.y + n };
  if (at.m !== undefined) out.m = at.m;
  if (at.d !== undefined) out.d = Math.min(at.d, daysIn(out.y, at.m!));
  return out;
}

const normUnit = (u: string) => u.toLowerCase().replace(/s$/, '');

const QUARTERS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };
const SEASONS: Record<string, [string, number]> = { spring: ['SP', 3], summer: ['SU', 6], fall: ['FA', 9], autumn: ['FA', 9], winter: ['WI', 12] };

const GATES = {
  mon: new RegExp(MON),
  wd: new RegExp(WD),
  today: /today|yesterday|tomorrow|tonight|morning|afternoon|evening/i,
  unit: /week|month|year/i,
  unitOrDay: /day|week|month|year/i,
  quarter: /quarter|q[1-4]/i,
  season: /spring|summer|fall|autumn|winter/i,
};
/** What a sentence holds that some date pattern needs (a cheap test each, looser than the patterns). */
function gatesOf(text: string): Record<keyof typeof GATES | 'digit', boolean> {
  return {
    digit: /\d/.test(text),
    mon: GATES.mon.test(text),
    wd: GATES.wd.test(text),
    today: GATES.today.test(text),
    unit: GATES.unit.test(text),
    unitOrDay: GATES.unitOrDay.test(text),
    quarter: GATES.quarter.test(text),
    season: GATES.season.test(text),
  };
}

/**
 * Dossier's date patterns, compiled once: each is global and `patternCandidates` runs it from the
 * start of every sentence (building them per sentence cost ~5% of extraction). What each one reads is
 * said where it is used.
 */
const SPAN_MONTH_FIRST = new RegExp(String.raw`\b(?:([Bb]etween|[Ff]rom)\s+)?(${MON})\s+(${DAY})(?:,?\s+(${YEAR}))?(?:(${DASH})|\s+(and)\s+)(?:(${MON})\s+)?(${DAY})(?:,?\s+(${YEAR}))?`, 'g');
const SPAN_DAY_FIRST = new RegExp(String.raw`\b(?:([Bb]etween|[Ff]rom)\s+)?(${DAY})(?:\s+(${MON}))?(?:\s+(${YEAR}))?(?:(${DASH})|\s+(and)\s+)(${DAY})\s+(${MON})(?:,?\s+(${YEAR}))?`, 'g');
const SPAN_MONTHS = new RegExp(String.raw`\b(?:([Bb]etween|[Ff]rom)\s+)?(${MON})(?:\s+(${YEAR}))?(?:(${DASH})|\s+(and)\s+)(${MON})(?:,?\s+(${YEAR}))?`, 'g');
const SPAN_YEARS = new RegExp(String.raw`\b(?:([Bb]etween|[Ff]rom)\s+)?(${YEAR})(?:(\s*(?:-|–|to|through|until)\s*)|\s+(and)\s+)(${YEAR}|\d\d(?![\d]))`, 'g');
const MONTH_DAY = new RegExp(String.raw`\b(?:${WD},?\s+)?(${MON})\s+(${DAY})(?:,?\s+(${YEAR}))?`, 'g');
const DAY_MONTH = new RegExp(String.raw`\b(?:${WD},?\s+)?(?:the\s+)?(${DAY})\s+(?:of\s+)?(${MON})(?:,?\s+(${YEAR}))?`, 'g');
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?![\d])/g;
const US_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d])/g;
const MONTH = new RegExp(String.raw`(?:\b(${EDGE})[\s-]*)?(?:\b([Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+)?(${MON})(?:,?\s+(?:of\s+)?(${YEAR}))?`, 'g');
const YEAR_ALONE = new RegExp(String.raw`(?:\b(${EDGE})[\s-]*)?(?<![$€£\d,.])\b(${YEAR})(?![\d%]|\s*(?:%|percent|per cent))`, 'g');
const WEEKDAY = new RegExp(String.raw`(?:\b([Ll]ast|[Tt]his|[Nn]ext|[Cc]oming|[Pp]ast)\s+)?\b(${WD})(?![’']s\s+(?:edition|issue|paper))`, 'g');
const TODAY = /\b(today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening))\b(?!['’]s\s)/gi;
const UNITS_AGO = new RegExp(String.raw`\b(${NUM})\s+(day|week|month|year)s?\s+(ago|earlier|later|before|after)\b(?!\s+(?:the|a|an|his|her|its|their|it|he|she|they|that)\b)`, 'gi');
const DAY_OF_MONTH = new RegExp(String.raw`\b(?:on|by|until|since|from)\s+the\s+(3[01]|[12]\d|[1-9])(st|nd|rd|th)\b(?!\s+(?:of|century|anniversary|day|time|floor|round|week|place|year|minute|straight|consecutive))`, 'g');
const QUARTER = new RegExp(String.raw`\b(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+of\s+(${YEAR})|,?\s+(${YEAR}))?|\bQ([1-4])\s+(${YEAR})`, 'gi');
const SEASON = new RegExp(String.raw`\b(?:(this|last|next|early|late|the)\s+)?(spring|summer|fall|autumn|winter)\b(?:\s+(?:of\s+)?(${YEAR}))?`, 'gi');
const UNIT_SPAN = /\b(?:(earlier|later|early|late|the end of|the beginning of|the start of|the middle of|end of|mid-)\s*(?:in\s+)?)?(last|this|next|the previous|the following|that|the same|the)\s+(week|weekend|month|year)\b/gi;
/** What must come just before a bare month name for it to be a date ("in February"). */
const MONTH_TRIGGER = new RegExp(String.raw`\b${TRIGGER}\s+(?:the\s+)?(?:month\s+of\s+)?$`);

/** Candidates found by Dossier's patterns in one sentence. Offsets are into the sentence text. */
function patternCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  // Each pattern needs one of these to match at all: most sentences skip most patterns.
  const g = gatesOf(text);
  const add = (re: RegExp, rank: number, make: (m: RegExpExecArray) => Candidate['resolve'] | null, trim?: (m: RegExpExecArray) => [number, number]) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0] === '') re.lastIndex++;
      const r = make(m);
      if (!r) continue;
      const [s, e] = trim ? trim(m) : [m.index, m.index + m[0].length];
      out.push({ start: s, end: e, resolve: r, rank });
    }
  };

  const monthDay = (mon: string, day: string, year: string | undefined) => (env: Env): Resolved | null => {
    const m = monthOf(mon);
    if (!m) return null;
    const d = dayOf(day);
    const y = year ? Number(year) : inferYear(m, d, env);
    if (y === null) return null;
    const p = { y, m, d };
    return validYmd(p) ? { start: p, relative: !year } : null;
  };

  // Spans of days: "between Sept. 7 and Oct. 1", "Sept. 7-8", "from 7 to 9 October 2023", "7 September – 1 October".
  if (g.mon && g.digit) add(
    SPAN_MONTH_FIRST,
    0,
    (m) => {
      const [, lead, mon1, d1, y1, dash, and, mon2, d2, y2] = m;
      if (and && lead?.toLowerCase() !== 'between') return null;
      if (dash && lead?.toLowerCase() === 'between') return null;
      return (env) => spanOfDays(env, mon1!, d1!, y1, mon2 ?? mon1!, d2!, y2);
    },
  );
  if (g.mon && g.digit) add(
    SPAN_DAY_FIRST,
    0,
    (m) => {
      const [, lead, d1, mon1, y1, dash, and, d2, mon2, y2] = m;
      if (and && lead?.toLowerCase() !== 'between') return null;
      if (dash && lead?.toLowerCase() === 'between') return null;
      return (env) => spanOfDays(env, mon1 ?? mon2!, d1!, y1, mon2!, d2!, y2);
    },
  );
  // Spans of months or years: "between September and November 2023", "from 2009 to 2012", "2009-2012".
  if (g.mon) add(
    SPAN_MONTHS,
    1,
    (m) => {
      const [, lead, mon1, y1, dash, and, mon2, y2] = m;
      if (!lead && !y2) return null;
      if (and && lead?.toLowerCase() !== 'between') return null;
      if (dash && lead?.toLowerCase() === 'between') return null;
      return (env) => {
        const m1 = monthOf(mon1!)!;
        const m2 = monthOf(mon2!)!;
        const yb = y2 ? Number(y2) : inferYear(m2, undefined, env);
        if (yb === null) return null;
        const ya = y1 ? Number(y1) : m1 <= m2 ? yb : yb - 1;
        return { start: { y: ya, m: m1 }, end: { y: yb, m: m2 }, relative: !y2 };
      };
    },
  );
  if (g.digit) add(
    SPAN_YEARS,
    1,
    (m) => {
      const [, lead, y1, dash, and, y2] = m;
      if (and && lead?.toLowerCase() !== 'between') return null;
      if (dash && lead?.toLowerCase() === 'between') return null;
      const a = Number(y1);
      let b = Number(y2);
      if (y2!.length === 2) b = Math.floor(a / 100) * 100 + b;
      if (b <= a || b - a > 50) return null;
      return () => ({ start: { y: a }, end: { y: b }, relative: false });
    },
  );

  // Full and partial dates: "Oct. 14, 2023", "Friday, Oct. 13", "13 October", "the 5th of May 2021".
  if (g.mon && g.digit) add(MONTH_DAY, 2, (m) => monthDay(m[1]!, m[2]!, m[3]));
  if (g.mon && g.digit) add(DAY_MONTH, 2, (m) => monthDay(m[2]!, m[1]!, m[3]));
  // ISO and numeric dates: "2023-10-13", "10/13/2023".
  if (g.digit) add(ISO_DATE, 2, (m) => () => {
    const p = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
    return validYmd(p) ? { start: p, relative: false } : null;
  });
  if (g.digit) add(US_DATE, 2, (m) => () => {
    const p = { y: Number(m[3]), m: Number(m[1]), d: Number(m[2]) };
    return validYmd(p) ? { start: p, relative: false } : null;
  });

  // Months: "November 2022", "in February", "early December", "late last July", "mid-2021".
  if (g.mon) add(
    MONTH,
    3,
    (m) => {
      const [whole, edge, mod, mon, year] = m;
      const before = text.slice(0, m.index).toLowerCase();
      const after = text.slice(m.index + whole.length);
      if (!year && !edge && !mod) {
        // A bare month name is a date after a preposition ("in February") or before "'s".
        const trigger = MONTH_TRIGGER.test(before) || /^[’']s\b/.test(after);
        if (!trigger) return null;
        if (/^May$/.test(mon!) && /^\s+(?:be|have|not|also|well|take|seek|need|face|want|come|go|do|make|help|use|get|see)\b/.test(after)) return null;
      }
      return (env) => {
        const mo = monthOf(mon!)!;
        let y: number | null;
        const modifier = mod?.toLowerCase();
        if (year) y = Number(year);
        else if (modifier === 'last' || modifier === 'past') y = inferYear(mo, undefined, env, 'past');
        else if (modifier === 'next') y = inferYear(mo, undefined, env, 'future');
        else if (modifier === 'this') y = env.pub ? env.pub.y : env.ctxYear;
        else y = inferYear(mo, undefined, env);
        if (y === null) return null;
        return { start: { y, m: mo }, relative: !year };
      };
    },
  );
  // Years: "in 2009", "since 2014", "mid-2021", "the 2018 agreement".
  if (g.digit) add(
    YEAR_ALONE,
    4,
    (m) => {
      const after = text.slice(m.index + m[0].length);
      const before = text.slice(0, m.index);
      // Not a count: "2000 people", "1500 troops", "No. 1945".
      if (/^\s+(?:[a-z]+s|people|men|women|children|staff|troops|police|soldiers|feet|metres|meters|km|miles|tons|tonnes)\b/.test(after) && !/^\s+(?:elections|games|olympics)\b/i.test(after)) return null;
      if (/(?:No\.|number|#|page|pages|route|flight|room)\s*$/i.test(before)) return null;
      return () => ({ start: { y: Number(m[2]) }, relative: false });
    },
  );

  // Weekdays: "on Friday", "last Tuesday", "next Monday".
  if (g.wd) add(WEEKDAY, 3, (m) => {
    const [, mod, wd] = m;
    return (env) => {
      if (!env.pub || env.pub.d === undefined) return null;
      const i = WEEKDAYS.indexOf(wd!.toLowerCase());
      const modifier = mod?.toLowerCase();
      const dir = modifier === 'last' || modifier === 'past' ? 'last' : modifier === 'next' || modifier === 'coming' ? 'next' : modifier === 'this' ? 'this' : env.future ? 'future' : 'past';
      return { start: weekdayDate(i, env.pub, dir), relative: true, future: dir === 'next' || dir === 'future' };
    };
  });

  // Days relative to the publication: "today", "yesterday", "tomorrow".
  if (g.today) add(TODAY, 3, (m) => {
    const w = m[1]!.toLowerCase();
    if (w === 'today' && /^\s*['’]s\b/.test(text.slice(m.index + m[0].length))) return null;
    return (env) => {
      if (!env.pub || env.pub.d === undefined) return null;
      const n = w === 'yesterday' ? -1 : w === 'tomorrow' ? 1 : 0;
      return { start: addDays(env.pub, n), relative: true, future: n > 0 };
    };
  });

  // "last month", "this year", "earlier this month", "late last year", "next week", "the previous month".
  if (g.unit) add(
    UNIT_SPAN,
    3,
    (m) => {
      const [, edge, which, unit] = m;
      const w = which!.toLowerCase();
      const u = unit!.toLowerCase();
      // "the week" only with an edge ("earlier in the week"), never alone ("the year's end" is not a date).
      if (w === 'the' && !edge) return null;
      if ((w === 'that' || w === 'the same') && !edge && !/\b(?:in|during|on|of|by)\s+$/i.test(text.slice(0, m.index))) return null;
      return (env) => {
        const anaphoric = w === 'the previous' || w === 'the following' || w === 'that' || w === 'the same';
        const base = anaphoric ? (env.ctx ?? null) : env.pub;
        if (!knows(base, u)) return null;
        const n = w === 'last' || w === 'the previous' ? -1 : w === 'next' || w === 'the following' ? 1 : 0;
        const e = edge?.toLowerCase();
        if (u === 'week' && n === 0 && !anaphoric && (e === 'earlier' || e === 'later')) {
          // "earlier this week": from Monday to the publication day; "later this week": from it to Sunday.
          const [mon, sun] = weekOf(base);
          const [a, b] = e === 'earlier' ? [mon, base] : [base, sun];
          return compareAt(a, b) === 0 ? { start: a, relative: true } : { start: a, end: b, relative: true, future: e === 'later' };
        }
        return { ...unitSpan(u, shift(base, u, n)), future: n > 0 };
      };
    },
  );
  // "two years ago", "a month later", "three days earlier".
  if (g.unitOrDay) add(UNITS_AGO, 3, (m) => {
    const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
    if (!Number.isFinite(n)) return null;
    const u = m[2]!.toLowerCase();
    const dir = m[3]!.toLowerCase();
    return (env) => {
      const base = dir === 'ago' ? env.pub : env.ctx;
      if (!knows(base, u)) return null;
      const sign = dir === 'later' || dir === 'after' ? 1 : -1;
      const at = shift(base, u, sign * n);
      // "a week ago" is a day; a month or a year ago keeps that precision.
      const unit = u === 'week' ? 'day' : u;
      return { ...unitSpan(unit, at), future: sign > 0 && dir === 'later' && base === env.pub };
    };
  });
  // "on the 13th": a day of the month the context (or the publication) is in.
  if (g.digit) add(DAY_OF_MONTH, 3, (m) => {
    const d = Number(m[1]);
    return (env) => {
      const base = env.ctx?.m !== undefined ? env.ctx : env.pub;
      if (!base || base.m === undefined) return null;
      let p: Ymd = { y: base.y, m: base.m, d };
      if (base === env.pub && env.pub.d !== undefined && d > env.pub.d && !env.future) p = { ...addMonths({ y: base.y, m: base.m }, -1), d };
      return validYmd(p) ? { start: p, relative: true } : null;
    };
  }, (m) => [m.index! + m[0].indexOf('the'), m.index! + m[0].length]);

  // Quarters and seasons: "the third quarter", "Q3 2023", "this summer", "winter of 2022".
  if (g.quarter) add(QUARTER, 2, (m) => {
    const q = m[4] ? Number(m[4]) : QUARTERS[m[1]!.toLowerCase()]!;
    const yText = m[2] ?? m[3] ?? m[5];
    return (env) => {
      let y: number | null = yText ? Number(yText) : null;
      if (y === null) {
        if (!env.pub) return null;
        y = env.pub.m !== undefined && (q - 1) * 3 + 1 > env.pub.m && !env.future ? env.pub.y - 1 : env.pub.y;
      }
      return { start: { y, m: (q - 1) * 3 + 1 }, end: { y, m: q * 3 }, relative: !yText, value: `${y}-Q${q}` };
    };
  });
  if (g.season) add(SEASON, 3, (m) => {
    const [, mod, season, year] = m;
    if (!mod && !year) return null;
    if (season!.toLowerCase() === 'fall' && !year && !/^(?:this|last|next)$/i.test(mod ?? '')) return null;
    const [code, startMonth] = SEASONS[season!.toLowerCase()]!;
    return (env) => {
      let y: number | null = year ? Number(year) : null;
      if (y === null) {
        if (!env.pub || env.pub.m === undefined) return null;
        const w = mod?.toLowerCase();
        y = env.pub.y;
        if (w === 'last') y = startMonth < env.pub.m ? env.pub.y - 1 : env.pub.y - 1;
        else if (w === 'next') y = startMonth > env.pub.m ? env.pub.y : env.pub.y + 1;
        else if (startMonth > env.pub.m + 1 && !env.future) y = env.pub.y - 1;
      }
      const end = addMonths({ y, m: startMonth }, 2);
      return { start: { y, m: startMonth }, end, relative: !year, value: `${y}-${code}` };
    };
  });
  return out;
}

function spanOfDays(env: Env, mon1: string, d1: string, y1: string | undefined, mon2: string, d2: string, y2: string | undefined): Resolved | null {
  const m1 = monthOf(mon1);
  const m2 = monthOf(mon2);
  if (!m1 || !m2) return null;
  const da = dayOf(d1);
  const db = dayOf(d2);
  const yb = y2 ? Number(y2) : y1 ? Number(y1) : inferYear(m1, da, env);
  if (yb === null) return null;
  const ya = y1 ? Number(y1) : m1 > m2 ? yb - 1 : yb;
  const start = { y: ya, m: m1, d: da };
  const end = { y: yb, m: m2, d: db };
  if (!validYmd(start) || !validYmd(end) || utc(end) <= utc(start)) return null;
  return { start, end, relative: !y1 && !y2 };
}

/** Absolute dates chrono-node finds that the patterns did not: re-resolved with Dossier's year rule. */
function chronoCandidates(text: string): Candidate[] {
  const out: Candidate[] = [];
  // Only results with a digit in their text are kept (below): a sentence without one has none.
  if (!/\d/.test(text)) return out;
  // A fixed reference far from any article: chrono must not guess from it, so only components it read count.
  const results = chrono.strict.parse(text, { instant: new Date(Date.UTC(2000, 0, 1)), timezone: 0 });
  for (const r of results) {
    const c = r.start;
    if (!c.isCertain('month')) continue;
    if (!/\d/.test(r.text)) continue;
    const m = c.get('month')!;
    const d = c.isCertain('day') ? c.get('day')! : undefined;
    const y = c.isCertain('year') ? c.get('year')! : undefined;
    const start = r.index;
    const end = r.index + r.text.replace(/\s+$/, '').length;
    out.push({
      start,
      end,
      rank: 5,
      resolve: (env) => {
        const year = y ?? inferYear(m, d, env);
        if (year === null) return null;
        const p: Ymd = d === undefined ? { y: year, m } : { y: year, m, d };
        return validYmd(p) ? { start: p, relative: y === undefined } : null;
      },
    });
  }
  return out;
}

/** Non-overlapping candidates: the longest wins, then the lower rank. */
function select(cands: Candidate[]): Candidate[] {
  const sorted = [...cands].sort((a, b) => b.end - b.start - (a.end - a.start) || a.rank - b.rank || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of sorted) if (!kept.some((k) => c.start < k.end && k.start < c.end)) kept.push(c);
  return kept.sort((a, b) => a.start - b.start);
}

/** Whether the words governing an expression say it is yet to happen. */
function futureAround(text: string, start: number, end: number): boolean {
  // The clause before the expression, from its last clause break, and the rest of the clause after it.
  let from = Math.max(0, start - 80);
  const head = text.slice(from, start);
  const breaks = [...head.matchAll(/[,;:]\s|\b(?:that)\b/g)];
  const lastBreak = breaks[breaks.length - 1];
  if (lastBreak && lastBreak.index !== undefined) from += lastBreak.index + lastBreak[0].length;
  const before = text.slice(from, start);
  const cueBefore = FUTURE_CUE.exec(before);
  if (cueBefore) return !PAST_REPORTING.test(before.slice(cueBefore.index));
  // "said on Friday (that) it will…": the date belongs to the saying, which is past.
  if (PAST_REPORTING.test(before)) return false;
  const rest = text.slice(end, Math.min(text.length, end + 90));
  const stop = /[.;!?](?:\s|$)|\bthat\b/.exec(rest);
  const after = stop ? rest.slice(0, stop.index) : rest;
  const cueAfter = FUTURE_CUE.exec(after);
  return !!cueAfter && !PAST_REPORTING.test(after.slice(0, cueAfter.index));
}

export interface ExtractDatesOptions {
  /** Overrides the article's publication date (tests). */
  published?: IsoDate | null;
}

/** Every date mention in the article's sentences (body and captions), resolved, with offsets into the body. */
export function extractDates(article: Article, opts: ExtractDatesOptions = {}): DateMention[] {
  const pub = parseIso(opts.published !== undefined ? opts.published : article.meta.published);
  const out: DateMention[] = [];
  let ctx: Ymd | null = null;
  let ctxYear: number | null = null;
  for (const s of article.sentences) {
    const text = s.text;
    const own = patternCandidates(text);
    const extra = chronoCandidates(text).filter((c) => !own.some((o) => c.start < o.end && o.start < c.end));
    for (const c of select([...own, ...extra])) {
      const future = futureAround(text, c.start, c.end);
      const env: Env = { pub, ctx, future, ctxYear };
      const r = c.resolve(env);
      if (!r) continue;
      const startIso = r.value ?? isoOf(r.start);
      const endIso = r.value ? null : r.end ? isoOf(r.end) : null;
      const precision = r.value ? 'year' : precisionOf(r.start);
      const after = pub ? compareAt(r.start, pub) > 0 : false;
      const notBefore = pub ? compareAt(r.end ?? r.start, pub) >= 0 : false;
      const expected = after || (future && (notBefore || !pub)) || (r.future === true && notBefore);
      const mention: DateMention = {
        text: text.slice(c.start, c.end),
        at: [s.start + c.start, s.start + c.end],
        date: startIso,
        end: endIso,
        precision,
        sentence: s.index,
        expected,
        relative: r.relative,
      };
      if (r.value) mention.period = { date: isoOf(r.start), end: isoOf(r.end ?? r.start) };
      out.push(mention);
      if (!s.caption) {
        ctx = r.start;
        if (!r.relative) ctxYear = r.start.y;
      }
    }
  }
  return out;
}
