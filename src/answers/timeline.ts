// /timeline: what happened when, in order, every line backed by the sentence that reports it and every
// article that reports it. Pure: Dossier → typed answer.
import type { Dossier } from '../core/dossier.js';
import { type QuantityNote, SAME_THING_IN_EVENT, corroborationOf, notesFor } from './compare.js';
import { type Citation, type IsoDate, type Precision, citationOf } from '../core/types.js';
import { periodOf } from '../extract/events.js';
import { type EventReport, compareEvents, mergeEvents } from '../extract/merge.js';

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

export function answerTimeline(d: Dossier, opts: TimelineOptions = {}): TimelineAnswer {
  const reports = reportsOf(d, opts.source);
  let events = mergeEvents(reports, d.articles);
  const topic = opts.topic?.trim() || null;
  if (topic) {
    const hits = d.passages.search(topic, TOPIC_HITS);
    const top = hits[0]?.score ?? 0;
    const on = new Set(hits.filter((h) => h.score >= top * TOPIC_SHARE).map((h) => `${h.article}#${h.sentence}`));
    events = events.filter((e) => e.reports.some((r) => on.has(`${r.article.id}#${r.event.sentence}`)));
  }
  const lo = opts.from ? periodOf(opts.from, null)?.[0] : undefined;
  const hi = opts.to ? periodOf(opts.to, null)?.[1] : undefined;
  if (lo !== undefined || hi !== undefined) {
    events = events.filter((e) => {
      const p = periodOf(e.date, e.end);
      if (!p) return false;
      return (lo === undefined || p[1] > lo) && (hi === undefined || p[0] < hi);
    });
  }
  events.sort(compareEvents);
  const article = opts.source ? d.byId.get(opts.source) : undefined;
  return {
    events: events.map((e) => {
      const citations = e.reports.map((r) => citationOf(r.article, r.event.span));
      return {
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
    }),
    topic,
    from: opts.from ?? null,
    to: opts.to ?? null,
    source: article ? { id: article.id, title: article.meta.title } : null,
    searched: opts.source ? (article ? 1 : 0) : d.articles.length,
  };
}
