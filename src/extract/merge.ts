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
/** A term is rare when it stands in at most this share of the sentences considered … */
const RARE_SHARE = 0.2;
/**
 * … and in at most this many (this bound counts from 10,000 sentences, some 300 articles, on). In a large
 * corpus a word found in thousands of sentences tells nothing about which event a sentence reports
 * (templates, datelines, a story's recurring names), and letting it count made the number of candidate
 * pairs grow with the square of the corpus: at 1,000 bench articles 397,000 pairs merged in 3 s.
 */
const RARE_MAX_SENTENCES = 2000;
/** Days before publication within which a dated report may be the story's main event (headline and lead). */
const MAIN_EVENT_DAYS = 3;

const PRECISION_RANK: Record<Precision, number> = { day: 0, month: 1, year: 2 };

/** Words that say how something was reported, not what happened. */
const REPORTING = new Set(
  ['said', 'say', 'says', 'told', 'tell', 'report', 'reported', 'reporters', 'according', 'added', 'claimed', 'stated', 'statement', 'announced', 'also', 'official', 'officials', 'spokesman', 'spokesperson', 'spokeswoman', 'news', 'press', 'briefing', 'photo', 'image']
    .map((w) => processTerm(w))
    .filter((w): w is string => !!w),
);

/** processTerm, memoised: a corpus uses the same words again and again, and stemming is the cost. */
const STEM_MEMO_LIMIT = 500_000;
const stemMemo = new Map<string, string | null>();
function stemOf(tok: string): string | null {
  const hit = stemMemo.get(tok);
  if (hit !== undefined) return hit;
  const v = processTerm(tok);
  if (stemMemo.size >= STEM_MEMO_LIMIT) stemMemo.clear();
  stemMemo.set(tok, v);
  return v;
}

/** Sentence frequency of each stem over a corpus's sentences, and the number of sentences. */
export interface SentenceStats {
  df: Map<string, number>;
  n: number;
}

const statsCache = new WeakMap<readonly Article[], SentenceStats>();

/**
 * In how many sentences of `articles` each stem stands (each sentence counts a stem once). Memoised on the
 * array: a Dossier's `articles` is never mutated (a changed corpus is a new Dossier with a new array).
 */
export function sentenceStats(articles: readonly Article[]): SentenceStats {
  const cached = statsCache.get(articles);
  if (cached) return cached;
  const df = new Map<string, number>();
  let n = 0;
  const seen = new Set<string>();
  for (const a of articles)
    for (const s of a.sentences) {
      n++;
      seen.clear();
      for (const tok of tokenize(s.text)) {
        const t = stemOf(tok);
        if (!t || seen.has(t)) continue;
        seen.add(t);
        df.set(t, (df.get(t) ?? 0) + 1);
      }
    }
  const out = { df, n };
  statsCache.set(articles, out);
  return out;
}

const DATE_WORD = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday)/;

/** Content terms of a report: its sentence outside the date mention, plus `more` (headline and lead). */
function termsOf(r: EventReport, more = ''): Set<string> {
  const { article, event } = r;
  const text = `${article.body.slice(event.span.start, event.mention[0])} ${article.body.slice(event.mention[1], event.span.end)} ${more}`;
  const out = new Set<string>();
  for (const tok of tokenize(text)) {
    const t = stemOf(tok);
    if (!t || REPORTING.has(t)) continue;
    if (t.length <= 9 && DATE_WORD.test(t)) continue;
    out.add(t);
  }
  return out;
}

/** The main event among one article's own reports (see {@link mainEventOf}). */
function mainOfOwn(own: EventReport[], article: Article): EventReport | null {
  const pub = periodOf(article.meta.published ?? '', null);
  if (!pub) return null;
  let first: EventReport | undefined;
  // The first non-caption report by sentence (the earliest listed among equals, as a stable sort gives).
  for (const r of own) if (!r.event.caption && (!first || r.event.sentence < first.event.sentence)) first = r;
  if (!first) return null;
  const p = periodOf(first.event.date, first.event.end);
  if (!p || first.event.precision !== 'day') return null;
  // Within the days before publication (a month-precision publication: within its month).
  const lo = pub[1] - pub[0] > 86_400_000 ? pub[0] : pub[0] - MAIN_EVENT_DAYS * 86_400_000;
  return p[0] >= lo && p[1] <= pub[1] ? first : null;
}

/**
 * The report that is its article's main event: the first dated body sentence, at or just before the
 * publication date. A headline and a lead tell that event, so they count as its words when merging.
 */
export function mainEventOf(reports: EventReport[], article: Article): EventReport | null {
  return mainOfOwn(
    reports.filter((r) => r.article.id === article.id),
    article,
  );
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
  return holds(a.precision, pa, b.precision, pb) ? 'holds' : null;
}

function holds(precA: Precision, pa: [number, number], precB: Precision, pb: [number, number]): boolean {
  const [fine, coarse] = PRECISION_RANK[precA] < PRECISION_RANK[precB] ? [pa, pb] : [pb, pa];
  return fine[0] >= coarse[0] && fine[1] <= coarse[1];
}

/** One distinct date (date, end, precision) among the reports, with the reports that carry it. */
interface DateKey {
  date: IsoDate;
  end: IsoDate | null;
  precision: Precision;
  period: [number, number] | null;
  /** Keys this one is compatible with, other than itself: the same date/end, or a coarser or finer date holding or held. */
  partners: Set<number>;
  /** Report indices (ascending) by each rare term they hold. */
  postings: Map<string, number[]>;
}

/**
 * Merges reports into events. `corpus` gives the sentences the rarity of words is measured on (by default
 * those of the reports' articles).
 *
 * Two reports can only merge when their dates are compatible and they share at least MIN_RARE_SHARED rare
 * terms, so candidate pairs come from an index of rare terms per distinct date, probed only at the dates
 * compatible with a report's: near-linear in the number of reports instead of quadratic. Which pairs
 * qualify, their scores and the clustering are exactly those of comparing every pair.
 */
export function mergeEvents(reports: EventReport[], corpus?: Article[]): MergedEvent[] {
  return eventsFromClusters(reports, clusterReports(reports, corpus));
}

/**
 * Which reports are one event: the clusters of {@link mergeEvents}, as lists of indices into `reports`.
 * This is the costly part, and it needs of each article only its id, body, title, publication date and
 * sentences: src/extract/merge-worker.ts runs it off the thread that answers.
 */
export function clusterReports(
  reports: EventReport[],
  corpus?: Article[],
): number[][] {
  const articles = corpus ?? [...new Map(reports.map((r) => [r.article.id, r.article])).values()];
  const { df, n } = sentenceStats(articles);
  const idfMemo = new Map<string, number>();
  const idf = (t: string) => {
    let v = idfMemo.get(t);
    if (v === undefined) idfMemo.set(t, (v = Math.log((n + 1) / ((df.get(t) ?? 0) + 0.5))));
    return v;
  };
  const rareMax = Math.max(3, Math.min(RARE_SHARE * n, RARE_MAX_SENTENCES));
  const rare = (t: string) => (df.get(t) ?? 0) <= rareMax;

  // Each article's main event (its reports are grouped by article id, in order).
  const own = new Map<string, { article: Article; reports: EventReport[] }>();
  for (const r of reports) {
    const g = own.get(r.article.id);
    if (g) g.reports.push(r);
    else own.set(r.article.id, { article: r.article, reports: [r] });
  }
  const main = new Set<EventReport>();
  for (const { article, reports: rs } of own.values()) {
    const m = mainOfOwn(rs, article);
    if (m) main.add(m);
  }

  // Each report's terms (in order), their total weight and its rare terms: computed once.
  const terms: Set<string>[] = [];
  const termList: string[][] = [];
  const weights: number[] = [];
  const rareTerms: string[][] = [];
  for (const r of reports) {
    const s = termsOf(r, main.has(r) ? headlineAndLead(r.article) : '');
    const list = [...s];
    terms.push(s);
    termList.push(list);
    weights.push(list.reduce((acc, t) => acc + idf(t), 0));
    rareTerms.push(list.filter(rare));
  }

  // Distinct dates, which of them are compatible, and a rare-term index per date.
  const keys: DateKey[] = [];
  const keyOf = new Int32Array(reports.length);
  const keyIds = new Map<string, number>();
  const byDateEnd = new Map<string, number[]>();
  reports.forEach((r, i) => {
    const { date, precision } = r.event;
    const end = r.event.end ?? null;
    const k = `${date}\u0000${end ?? ''}\u0000${precision}`;
    let id = keyIds.get(k);
    if (id === undefined) {
      id = keys.length;
      keyIds.set(k, id);
      keys.push({ date, end, precision, period: periodOf(date, end), partners: new Set(), postings: new Map() });
      const de = `${date}\u0000${end ?? ''}`;
      const same = byDateEnd.get(de);
      if (same) same.push(id);
      else byDateEnd.set(de, [id]);
    }
    keyOf[i] = id;
    const postings = keys[id]!.postings;
    for (const t of rareTerms[i]!) {
      const list = postings.get(t);
      if (list) list.push(i);
      else postings.set(t, [i]);
    }
  });
  const link = (a: number, b: number) => {
    keys[a]!.partners.add(b);
    keys[b]!.partners.add(a);
  };
  // The same date and end at another precision.
  for (const ids of byDateEnd.values()) for (let x = 0; x < ids.length; x++) for (let y = x + 1; y < ids.length; y++) link(ids[x]!, ids[y]!);
  // A coarser date holding a finer one holds the finer one's first year: index the dates by the years they cover.
  const byYear = new Map<number, number[]>();
  const yearOf = (ms: number) => new Date(ms).getUTCFullYear();
  keys.forEach((k, id) => {
    if (!k.period || k.precision === 'day') return;
    for (let y = yearOf(k.period[0]); y <= yearOf(k.period[1] - 1); y++) {
      const list = byYear.get(y);
      if (list) list.push(id);
      else byYear.set(y, [id]);
    }
  });
  keys.forEach((k, id) => {
    if (!k.period) return;
    for (const other of byYear.get(yearOf(k.period[0])) ?? []) {
      const o = keys[other]!;
      if (PRECISION_RANK[o.precision] <= PRECISION_RANK[k.precision]) continue;
      if (holds(k.precision, k.period, o.precision, o.period!)) link(id, other);
    }
  });
  const compatibleKeys = (a: number, b: number) => a === b || keys[a]!.partners.has(b);

  // Candidate pairs: a later report at a compatible date sharing at least MIN_RARE_SHARED rare terms.
  const need = (a: ArticleEvent, how: 'same' | 'holds') =>
    how === 'holds' ? THRESHOLDS.holds : a.end && a.precision === 'day' ? THRESHOLDS.span : THRESHOLDS[a.precision];
  const pairs: { i: number; j: number; score: number }[] = [];
  const count = new Int32Array(reports.length);
  const touched: number[] = [];
  for (let i = 0; i < reports.length; i++) {
    const ri = rareTerms[i]!;
    if (ri.length < MIN_RARE_SHARED) continue;
    const ki = keyOf[i]!;
    const probe = (k: number) => {
      const postings = keys[k]!.postings;
      for (const t of ri) {
        const list = postings.get(t);
        if (!list) continue;
        // Only later reports: each pair is looked at once, from its first report.
        for (let p = list.length - 1; p >= 0; p--) {
          const j = list[p]!;
          if (j <= i) break;
          if (count[j] === 0) touched.push(j);
          count[j]!++;
        }
      }
    };
    probe(ki);
    for (const k of keys[ki]!.partners) probe(k);
    if (touched.length > 1) touched.sort((x, y) => x - y);
    const a = reports[i]!;
    const ta = termList[i]!;
    const wa = weights[i]!;
    for (const j of touched) {
      const shared = count[j]!;
      count[j] = 0;
      if (shared < MIN_RARE_SHARED) continue;
      const b = reports[j]!;
      const how = compatible(a.event, b.event);
      if (!how) continue;
      const tb = terms[j]!;
      let sum = 0;
      for (const t of ta) if (tb.has(t)) sum += idf(t);
      const denom = Math.min(wa, weights[j]!);
      const score = denom > 0 ? sum / denom : 0;
      if (score >= need(a.event, how)) pairs.push({ i, j, score });
    }
    touched.length = 0;
  }

  // Single-linkage clustering, strongest pairs first (so the result does not depend on the order of the
  // articles); a pair joins two clusters only when every date of the one is compatible with every date of
  // the other, so no event ends up holding two different days.
  pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const owner = reports.map((_, i) => i);
  const members = new Map<number, number[]>(reports.map((_, i) => [i, [i]]));
  const dates = new Map<number, Set<number>>();
  const datesOf = (c: number) => {
    let s = dates.get(c);
    if (!s) dates.set(c, (s = new Set(members.get(c)!.map((x) => keyOf[x]!))));
    return s;
  };
  for (const { i, j } of pairs) {
    const ci = owner[i]!;
    const cj = owner[j]!;
    if (ci === cj) continue;
    const A = members.get(ci)!;
    const B = members.get(cj)!;
    const da = datesOf(ci);
    const db = datesOf(cj);
    let ok = true;
    for (const x of da) {
      for (const y of db)
        if (!compatibleKeys(x, y)) {
          ok = false;
          break;
        }
      if (!ok) break;
    }
    if (!ok) continue;
    for (const y of B) owner[y] = ci;
    A.push(...B);
    for (const y of db) da.add(y);
    members.delete(cj);
    dates.delete(cj);
  }
  return [...members.values()];
}

/** The merged events of `clusters` (lists of indices into `reports`), each with its reports best first. */
export function eventsFromClusters(reports: EventReport[], clusters: number[][]): MergedEvent[] {
  const merged = clusters.map((idx) => {
    const rs = idx.map((k) => reports[k]!);
    let finest = rs[0]!.event;
    for (const r of rs) if (PRECISION_RANK[r.event.precision] < PRECISION_RANK[finest.precision]) finest = r.event;
    return { date: finest.date, end: finest.end, precision: finest.precision, reports: rs };
  });
  return merged.map((c) => {
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
