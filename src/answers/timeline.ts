// /timeline: what happened when, in order, every line backed by the sentence that reports it and every
// article that reports it. Pure: Dossier → typed answer.
import type { Dossier } from '../core/dossier.js';
import { type QuantityNote, SAME_THING_IN_EVENT, corroborationOf, notesFor } from './compare.js';
import { type Citation, type IsoDate, type Precision, citationOf } from '../core/types.js';
import { periodOf } from '../extract/events.js';
import { type EventReport, type MergedEvent, dateKey, mergeEvents } from '../extract/merge.js';

export interface TimelineEvent {
  date: IsoDate;
  end: IsoDate | null;
  precision: Precision;
  /** The reporting sentence shown for the event, verbatim. */
  text: string;
  /** True when every report says it is yet to happen. */
  expected: boolean;
  /** True when only photo captions report it. */
  caption: boolean;
  /** One per reporting sentence; the first is the one shown. */
  citations: Citation[];
  /** Number of distinct articles reporting it. */
  sources: number;
  /** Independent outlets among them: one outlet's articles, one wire story republished, near-identical texts count once. */
  independent?: number;
  /** Where the reports' figures (counts, distances, sums …) differ or agree; see src/answers/compare.ts. */
  notes?: QuantityNote[];
}

export interface TimelineOptions {
  topic?: string;
  /** Inclusive bounds, cut to any precision ("2023", "2023-09", "2023-09-07"). */
  from?: IsoDate;
  to?: IsoDate;
  /** Only events of this article (its id). */
  source?: string;
}

export interface TimelineAnswer {
  events: TimelineEvent[];
  topic: string | null;
  from: IsoDate | null;
  to: IsoDate | null;
  source: { id: string; title: string } | null;
  /** Number of articles looked at. */
  searched: number;
}

/** Sentences after a report's own (same paragraph) whose figures count for its event: a figure often follows. */
const EVENT_FOLLOWING = 2;
/** How many search hits a topic may draw on. */
const TOPIC_HITS = 200;
/** A hit counts for a topic when it scores at least this share of the best hit. */
const TOPIC_SHARE = 0.25;

/** Every event report of the dossier's articles (or of one article). */
export function reportsOf(d: Dossier, source?: string): EventReport[] {
  const out: EventReport[] = [];
  for (const a of d.articles) {
    if (source && a.id !== source) continue;
    for (const e of d.extractions.get(a.id)?.events ?? []) out.push({ event: e, article: a });
  }
  return out;
}

/** A merged timeline, in order, with what a query filters it by: computed once per Dossier (and source). */
interface MergedTimeline {
  /** Merged events, sorted by {@link compareEvents}. */
  events: MergedEvent[];
  /** Each event's period (null when its date does not parse). */
  periods: ([number, number] | null)[];
  /** "article#sentence" → positions in `events` of the events that sentence reports (ascending). */
  bySentence: Map<string, number[]>;
}

function indexTimeline(events: MergedEvent[]): MergedTimeline {
  const keyed = events.map((e) => ({ e, k: dateKey(e.date, e.end) }));
  keyed.sort((a, b) => {
    if (a.k !== b.k) return a.k < b.k ? -1 : 1;
    const ra = a.e.reports[0]!;
    const rb = b.e.reports[0]!;
    return ra.article.id.localeCompare(rb.article.id) || ra.event.sentence - rb.event.sentence;
  });
  const sorted = keyed.map((x) => x.e);
  const bySentence = new Map<string, number[]>();
  sorted.forEach((e, i) => {
    for (const r of e.reports) {
      const k = `${r.article.id}#${r.event.sentence}`;
      const list = bySentence.get(k);
      if (!list) bySentence.set(k, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return { events: sorted, periods: sorted.map((e) => periodOf(e.date, e.end)), bySentence };
}

const wholeTimeline = new WeakMap<Dossier, MergedTimeline>();
const sourceTimelines = new WeakMap<Dossier, Map<string, MergedTimeline>>();
/** Per-article timelines kept per Dossier (each is one article's events: small and quick to redo). */
const SOURCE_TIMELINES_KEPT = 256;

/**
 * The merged events of the whole corpus (or of one article: its reports merged among themselves), in order.
 * Merged the first time they are asked for and kept for the Dossier's lifetime: a Dossier is replaced, not
 * mutated, when the corpus changes.
 */
export function mergedTimeline(d: Dossier, source?: string): MergedTimeline {
  if (!source) {
    let t = wholeTimeline.get(d);
    if (!t) wholeTimeline.set(d, (t = indexTimeline(mergeEvents(reportsOf(d), d.articles))));
    return t;
  }
  let bySource = sourceTimelines.get(d);
  if (!bySource) sourceTimelines.set(d, (bySource = new Map()));
  let t = bySource.get(source);
  if (!t) {
    t = indexTimeline(mergeEvents(reportsOf(d, source), d.articles));
    if (bySource.size >= SOURCE_TIMELINES_KEPT) bySource.delete(bySource.keys().next().value!);
    bySource.set(source, t);
  }
  return t;
}

/** A merged event as the answer shows it; made once per merged event (so once per Dossier). */
const shown = new WeakMap<MergedEvent, TimelineEvent>();
function timelineEvent(d: Dossier, e: MergedEvent): TimelineEvent {
  let out = shown.get(e);
  if (out) return out;
  const citations = e.reports.map((r) => citationOf(r.article, r.event.span));
  out = {
    date: e.date,
    end: e.end,
    precision: e.precision,
    text: citations[0]!.quote,
    expected: e.expected,
    caption: e.reports.every((r) => r.event.caption),
    citations,
    sources: new Set(citations.map((c) => c.article)).size,
    independent: corroborationOf(d, citations).independent,
    notes: citations.length > 1 ? notesFor(d, citations, { following: EVENT_FOLLOWING, threshold: SAME_THING_IN_EVENT }) : [],
  };
  shown.set(e, out);
  return out;
}

export function answerTimeline(d: Dossier, opts: TimelineOptions = {}): TimelineAnswer {
  const timeline = mergedTimeline(d, opts.source);
  // Positions in the merged timeline, in order.
  let picked: number[] | null = null;
  const topic = opts.topic?.trim() || null;
  if (topic) {
    const hits = d.passages.search(topic, TOPIC_HITS);
    const top = hits[0]?.score ?? 0;
    const on = new Set<number>();
    for (const h of hits) {
      if (h.score < top * TOPIC_SHARE) continue;
      for (const i of timeline.bySentence.get(`${h.article}#${h.sentence}`) ?? []) on.add(i);
    }
    picked = [...on].sort((x, y) => x - y);
  }
  const lo = opts.from ? periodOf(opts.from, null)?.[0] : undefined;
  const hi = opts.to ? periodOf(opts.to, null)?.[1] : undefined;
  const inRange = (i: number) => {
    if (lo === undefined && hi === undefined) return true;
    const p = timeline.periods[i];
    if (!p) return false;
    return (lo === undefined || p[1] > lo) && (hi === undefined || p[0] < hi);
  };
  const events: TimelineEvent[] = [];
  if (picked) {
    for (const i of picked) if (inRange(i)) events.push(timelineEvent(d, timeline.events[i]!));
  } else {
    for (let i = 0; i < timeline.events.length; i++) if (inRange(i)) events.push(timelineEvent(d, timeline.events[i]!));
  }
  const article = opts.source ? d.byId.get(opts.source) : undefined;
  return {
    events,
    topic,
    from: opts.from ?? null,
    to: opts.to ?? null,
    source: article ? { id: article.id, title: article.meta.title } : null,
    searched: opts.source ? (article ? 1 : 0) : d.articles.length,
  };
}
