// Merging dated events across articles (and within one): the same event told by several sentences is one
// event with all their citations.
//
// Two reports are the same event when their dates are compatible (the same date, or a coarser date that
// holds the finer one) and their reporting sentences share enough rare content: words, numbers and names
// weighted by how rare they are among all the sentences considered (inverse sentence frequency), so that
// the words every article of a story shares ("North Korea", "Russia") count for little and "1,000
// containers" or "Wagner" count for much. A coarser date needs more shared content than an equal date.
import type { Article, IsoDate, Precision } from '../core/types.js';
import { processTerm, tokenize } from '../search/passages.js';
import { periodOf } from './events.js';
import type { ArticleEvent } from './types.js';

/** One event as one article's sentence reports it, with the article. */
export interface EventReport {
  event: ArticleEvent;
  article: Article;
}

export interface MergedEvent {
  date: IsoDate;
  end: IsoDate | null;
  precision: Precision;
  expected: boolean;
  /** The reports, best first: the first is the one shown. */
  reports: EventReport[];
}

/**
 * Shared-content score needed to merge two reports. The more specific the date two reports share, the less
 * text they need in common: unrelated events rarely share an exact span of days, more often a day, and
 * often a month or a year. A coarser date holding a finer one needs as much as a shared month.
 */
export const THRESHOLDS = { span: 0.12, day: 0.2, month: 0.3, year: 0.4, holds: 0.3 } as const;
/** Besides the score, two reports must share this many rare terms (names, numbers, uncommon words). */
export const MIN_RARE_SHARED = 2;
/** A term is rare when it stands in at most this share of the sentences considered. */
const RARE_SHARE = 0.2;
/** Days before publication within which a dated report may be the story's main event (headline and lead). */
const MAIN_EVENT_DAYS = 3;

const PRECISION_RANK: Record<Precision, number> = { day: 0, month: 1, year: 2 };

/** Words that say how something was reported, not what happened. */
const REPORTING = new Set(
  ['said', 'say', 'says', 'told', 'tell', 'report', 'reported', 'reporters', 'according', 'added', 'claimed', 'stated', 'statement', 'announced', 'also', 'official', 'officials', 'spokesman', 'spokesperson', 'spokeswoman', 'news', 'press', 'briefing', 'photo', 'image']
    .map((w) => processTerm(w))
    .filter((w): w is string => !!w),
);

/** Content terms of a report: its sentence outside the date mention, plus `more` (headline and lead). */
function termsOf(r: EventReport, more = ''): Set<string> {
  const { article, event } = r;
  const text = `${article.body.slice(event.span.start, event.mention[0])} ${article.body.slice(event.mention[1], event.span.end)} ${more}`;
  const out = new Set<string>();
  for (const tok of tokenize(text)) {
    const t = processTerm(tok);
    if (!t || REPORTING.has(t)) continue;
    if (/^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday)/.test(t) && t.length <= 9) continue;
    out.add(t);
  }
  return out;
}

/**
 * The report that is its article's main event: the first dated body sentence, at or just before the
 * publication date. A headline and a lead tell that event, so they count as its words when merging.
 */
export function mainEventOf(reports: EventReport[], article: Article): EventReport | null {
  const pub = periodOf(article.meta.published ?? '', null);
  if (!pub) return null;
  const own = reports.filter((r) => r.article.id === article.id && !r.event.caption).sort((a, b) => a.event.sentence - b.event.sentence);
  const first = own[0];
  if (!first) return null;
  const p = periodOf(first.event.date, first.event.end);
  if (!p || first.event.precision !== 'day') return null;
  // Within the days before publication (a month-precision publication: within its month).
  const lo = pub[1] - pub[0] > 86_400_000 ? pub[0] : pub[0] - MAIN_EVENT_DAYS * 86_400_000;
  return p[0] >= lo && p[1] <= pub[1] ? first : null;
}

/** The headline and the first body paragraph's sentences of an article. */
function headlineAndLead(article: Article): string {
  const firstBody = article.sentences.find((s) => !s.caption);
  const lead = firstBody ? article.sentences.filter((s) => s.paragraph === firstBody.paragraph).map((s) => s.text) : [];
  return [article.meta.title, ...lead].join(' ');
}

/** Whether two dates can be one event's: equal, or one of a coarser precision holding the other. */
export function compatible(a: Pick<ArticleEvent, 'date' | 'end' | 'precision'>, b: Pick<ArticleEvent, 'date' | 'end' | 'precision'>): 'same' | 'holds' | null {
  if (a.date === b.date && (a.end ?? null) === (b.end ?? null)) return 'same';
  if (a.precision === b.precision) return null;
  const pa = periodOf(a.date, a.end);
  const pb = periodOf(b.date, b.end);
  if (!pa || !pb) return null;
  const [fine, coarse] = PRECISION_RANK[a.precision] < PRECISION_RANK[b.precision] ? [pa, pb] : [pb, pa];
  return fine[0] >= coarse[0] && fine[1] <= coarse[1] ? 'holds' : null;
}

/**
 * Merges reports into events. `corpus` gives the sentences the rarity of words is measured on (by default
 * those of the reports' articles).
 */
export function mergeEvents(reports: EventReport[], corpus?: Article[]): MergedEvent[] {
  const articles = corpus ?? [...new Map(reports.map((r) => [r.article.id, r.article])).values()];
  const df = new Map<string, number>();
  let n = 0;
  for (const a of articles)
    for (const s of a.sentences) {
      n++;
      const seen = new Set(tokenize(s.text).map((t) => processTerm(t)).filter((t): t is string => !!t));
      for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
    }
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5));
  const main = new Set<EventReport>();
  for (const a of new Set(reports.map((r) => r.article))) {
    const m = mainEventOf(reports, a);
    if (m) main.add(m);
  }
  const terms = new Map<EventReport, Set<string>>(reports.map((r) => [r, termsOf(r, main.has(r) ? headlineAndLead(r.article) : '')]));
  const weight = (s: Set<string>) => [...s].reduce((acc, t) => acc + idf(t), 0);
  const rare = (t: string) => (df.get(t) ?? 0) <= Math.max(3, RARE_SHARE * n);
  const sim = (a: EventReport, b: EventReport) => {
    const ta = terms.get(a)!;
    const tb = terms.get(b)!;
    let shared = 0;
    let rareShared = 0;
    for (const t of ta)
      if (tb.has(t)) {
        shared += idf(t);
        if (rare(t)) rareShared++;
      }
    const denom = Math.min(weight(ta), weight(tb));
    return rareShared >= MIN_RARE_SHARED && denom > 0 ? shared / denom : 0;
  };

  // Single-linkage clustering, strongest pairs first (so the result does not depend on the order of the
  // articles); a pair joins two clusters only when every date of the one is compatible with every date of
  // the other, so no event ends up holding two different days.
  const need = (a: ArticleEvent, how: 'same' | 'holds') =>
    how === 'holds' ? THRESHOLDS.holds : a.end && a.precision === 'day' ? THRESHOLDS.span : THRESHOLDS[a.precision];
  const pairs: { i: number; j: number; score: number }[] = [];
  for (let i = 0; i < reports.length; i++)
    for (let j = i + 1; j < reports.length; j++) {
      const a = reports[i]!;
      const b = reports[j]!;
      const how = compatible(a.event, b.event);
      if (!how) continue;
      const score = sim(a, b);
      if (score >= need(a.event, how)) pairs.push({ i, j, score });
    }
  pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const owner = reports.map((_, i) => i);
  const members = new Map<number, number[]>(reports.map((_, i) => [i, [i]]));
  for (const { i, j } of pairs) {
    const ci = owner[i]!;
    const cj = owner[j]!;
    if (ci === cj) continue;
    const A = members.get(ci)!;
    const B = members.get(cj)!;
    if (!A.every((x) => B.every((y) => compatible(reports[x]!.event, reports[y]!.event)))) continue;
    for (const y of B) owner[y] = ci;
    A.push(...B);
    members.delete(cj);
  }
  const clusters = [...members.values()].map((idx) => {
    const rs = idx.map((k) => reports[k]!);
    const finest = [...rs].sort((a, b) => PRECISION_RANK[a.event.precision] - PRECISION_RANK[b.event.precision])[0]!.event;
    return { date: finest.date, end: finest.end, precision: finest.precision, reports: rs };
  });
  return clusters.map((c) => {
    const reportsSorted = [...c.reports].sort(
      (a, b) =>
        Number(a.event.caption) - Number(b.event.caption) ||
        PRECISION_RANK[a.event.precision] - PRECISION_RANK[b.event.precision] ||
        Number(a.event.relative ?? false) - Number(b.event.relative ?? false) ||
        (a.article.meta.published?.length === 10 ? 0 : 1) - (b.article.meta.published?.length === 10 ? 0 : 1) ||
        (a.article.meta.published ?? '9999').localeCompare(b.article.meta.published ?? '9999') ||
        a.article.id.localeCompare(b.article.id) ||
        a.event.sentence - b.event.sentence,
    );
    return {
      date: c.date,
      end: c.end,
      precision: c.precision,
      expected: reportsSorted.every((r) => r.event.expected),
      reports: reportsSorted,
    };
  });
}

/** Sort key of a date at its precision: a coarser date comes after the finer ones of its period. */
export function dateKey(date: IsoDate, end: IsoDate | null): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(date);
  if (!m) return date;
  const e = end ? (/^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(end) ?? m) : m;
  return `${m[1]}-${m[2] ?? '99'}-${m[3] ?? '99'}|${e[1]}-${e[2] ?? '99'}-${e[3] ?? '99'}`;
}

export function compareEvents(a: MergedEvent, b: MergedEvent): number {
  const ka = dateKey(a.date, a.end);
  const kb = dateKey(b.date, b.end);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ra = a.reports[0]!;
  const rb = b.reports[0]!;
  return ra.article.id.localeCompare(rb.article.id) || ra.event.sentence - rb.event.sentence;
}
