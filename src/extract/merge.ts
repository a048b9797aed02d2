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

/** Shared-content score needed to merge two reports of the same date, and of a coarser and a finer date. */
export const SAME_DATE_THRESHOLD = 0.3;
export const COARSER_DATE_THRESHOLD = 0.4;

const PRECISION_RANK: Record<Precision, number> = { day: 0, month: 1, year: 2 };

/** Words that say how something was reported, not what happened. */
const REPORTING = new Set(
  ['said', 'say', 'says', 'told', 'tell', 'report', 'reported', 'reporters', 'according', 'added', 'claimed', 'stated', 'statement', 'announced', 'also', 'official', 'officials', 'spokesman', 'spokesperson', 'spokeswoman', 'news', 'press', 'briefing', 'photo', 'image']
    .map((w) => processTerm(w))
    .filter((w): w is string => !!w),
);

/** Content terms of a sentence outside its date mention. */
function termsOf(r: EventReport): Set<string> {
  const { article, event } = r;
  const text = article.body.slice(event.span.start, event.mention[0]) + ' ' + article.body.slice(event.mention[1], event.span.end);
  const out = new Set<string>();
  for (const tok of tokenize(text)) {
    const t = processTerm(tok);
    if (!t || REPORTING.has(t)) continue;
    if (/^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday)/.test(t) && t.length <= 9) continue;
    out.add(t);
  }
  return out;
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
  const terms = new Map<EventReport, Set<string>>(reports.map((r) => [r, termsOf(r)]));
  const weight = (s: Set<string>) => [...s].reduce((acc, t) => acc + idf(t), 0);
  const sim = (a: EventReport, b: EventReport) => {
    const ta = terms.get(a)!;
    const tb = terms.get(b)!;
    let shared = 0;
    for (const t of ta) if (tb.has(t)) shared += idf(t);
    const denom = Math.min(weight(ta), weight(tb));
    return denom > 0 ? shared / denom : 0;
  };

  // Finer dates first, so that coarser reports join the event they are a vaguer telling of.
  const order = [...reports].sort(
    (a, b) =>
      PRECISION_RANK[a.event.precision] - PRECISION_RANK[b.event.precision] ||
      Number(a.event.caption) - Number(b.event.caption) ||
      a.article.id.localeCompare(b.article.id) ||
      a.event.sentence - b.event.sentence,
  );
  const clusters: { date: IsoDate; end: IsoDate | null; precision: Precision; reports: EventReport[] }[] = [];
  for (const r of order) {
    let best: (typeof clusters)[number] | null = null;
    let bestScore = 0;
    for (const c of clusters) {
      const how = compatible(c, r.event);
      if (!how) continue;
      // Two sentences of one article at one date and in one place are not told twice: skip the same sentence.
      if (c.reports.some((x) => x.article.id === r.article.id && x.event.sentence === r.event.sentence)) continue;
      const score = Math.max(...c.reports.map((x) => sim(x, r)));
      const need = how === 'same' ? SAME_DATE_THRESHOLD : COARSER_DATE_THRESHOLD;
      if (score >= need && score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best) best.reports.push(r);
    else clusters.push({ date: r.event.date, end: r.event.end, precision: r.event.precision, reports: [r] });
  }
  return clusters.map((c) => {
    const reportsSorted = [...c.reports].sort(
      (a, b) =>
        Number(a.event.caption) - Number(b.event.caption) ||
        PRECISION_RANK[a.event.precision] - PRECISION_RANK[b.event.precision] ||
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
