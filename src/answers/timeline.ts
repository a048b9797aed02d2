// /timeline: what happened when, in order, every line backed by the sentence that reports it and every
// article that reports it. Pure: Dossier → typed answer.
import type { Dossier } from '../core/dossier.js';
import { type QuantityNote, SAME_THING_IN_EVENT, corroborationOf, notesFor, topicHits } from './compare.js';
import { type Citation, type IsoDate, type Precision, citationOf } from '../core/types.js';
import { periodOf } from '../extract/events.js';
import { type EventReport, type MergedEvent, dateKey, eventsFromClusters, mergeEvents } from '../extract/merge.js';
import { mergeInput } from '../extract/merge-pack.js';
import { spawnWorker } from '../corpus/worker.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

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
  /** Every event as shown, in order: made once (see {@link allShown}) and shared by every unfiltered answer. */
  shown?: readonly TimelineEvent[];
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

const pendingWhole = new WeakMap<Dossier, Promise<MergedTimeline>>();
/** Below this many reports the merge takes well under a second: it runs here rather than in a worker. */
const MERGE_IN_WORKER_MIN = 2000;

/**
 * The whole corpus's merged timeline, like {@link mergedTimeline}, but merged in a worker thread (the
 * merge of a large corpus takes seconds to minutes, which would hold up every interaction), and kept for
 * the Dossier as mergedTimeline keeps it. Falls back to merging here when no worker can run it.
 * `worker`: default true, unless DOSSIER_WORKERS=0 or under the test runner.
 */
export function mergedTimelineAsync(d: Dossier, opts: { worker?: boolean } = {}): Promise<MergedTimeline> {
  const done = wholeTimeline.get(d);
  if (done) return Promise.resolve(done);
  let p = pendingWhole.get(d);
  if (!p) {
    const useWorker = opts.worker ?? (process.env.DOSSIER_WORKERS !== '0' && !process.env.VITEST);
    p = (useWorker ? mergeInWorker(d) : Promise.reject(new Error('no worker')))
      .then(
        (t) => {
          // A query that could not wait may have merged it here meanwhile: one timeline per Dossier.
          if (!wholeTimeline.has(d)) wholeTimeline.set(d, t);
          return wholeTimeline.get(d)!;
        },
        (e: unknown) => {
          if (useWorker && !(e instanceof SmallMerge)) mergeWorkerFailures.set(d, e instanceof Error ? e.message : String(e));
          return mergedTimeline(d);
        },
      )
      .finally(() => pendingWhole.delete(d));
    pendingWhole.set(d, p);
  }
  return p;
}

/**
 * The whole corpus's merge, when it is not done yet: the one under way, or one started now in a worker
 * thread when the corpus is large enough to need it. Null when the merged timeline is ready (or quick to
 * make here).
 */
export function timelineMergePending(d: Dossier): Promise<MergedTimeline> | null {
  if (wholeTimeline.has(d)) return null;
  const underway = pendingWhole.get(d);
  if (underway) return underway;
  if (d.articles.length < 100 || process.env.VITEST || process.env.DOSSIER_WORKERS === '0') return null;
  return mergedTimelineAsync(d);
}

/** Whether the whole corpus's timeline was merged in a worker (for tests and logs). */
export const mergedInWorker = new WeakSet<Dossier>();
/** Why the worker could not merge a Dossier's timeline (it was then merged on the calling thread). */
export const mergeWorkerFailures = new WeakMap<Dossier, string>();
class SmallMerge extends Error {}

async function mergeInWorker(d: Dossier): Promise<MergedTimeline> {
  const reports = reportsOf(d);
  if (reports.length < MERGE_IN_WORKER_MIN) throw new SmallMerge('small: merged here');
  const input = mergeInput(reports, d.articles);
  const w = spawnWorker('extract/merge-worker');
  try {
    const clusters = await new Promise<number[][]>((resolve, reject) => {
      w.on('message', (m: { ready?: boolean; clusters?: number[][]; error?: string }) => {
        if (m.ready) w.postMessage(input);
        else if (m.clusters) resolve(m.clusters);
        else reject(new Error(m.error ?? 'the merge worker failed'));
      });
      w.on('error', reject);
      w.on('exit', (code) => reject(new Error(`the merge worker stopped (exit code ${code})`)));
    });
    const t = indexTimeline(eventsFromClusters(reports, clusters));
    mergedInWorker.add(d);
    return t;
  } finally {
    void w.terminate();
  }
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

/**
 * Every event of a merged timeline as shown, in order: made the first time an answer asks for the whole
 * timeline and kept with it, so an unfiltered answer costs no more than handing this array on. Frozen:
 * every such answer shares it (and renderers key what they lay out by it).
 */
function allShown(d: Dossier, timeline: MergedTimeline): TimelineEvent[] {
  if (!timeline.shown) timeline.shown = Object.freeze(timeline.events.map((e) => timelineEvent(d, e)));
  return timeline.shown as TimelineEvent[];
}

/**
 * Where a filtered answer's events sit in the list of every event they were taken from: what a renderer
 * keeps per event can then be kept per position of that one list, in arrays, instead of per event.
 */
export interface TimelineSubset {
  all: readonly TimelineEvent[];
  /** For each event of the answer, its position in `all` (ascending). */
  positions: Int32Array;
}
const subsets = new WeakMap<readonly TimelineEvent[], TimelineSubset>();

/** The list an answer's events were taken from, and where each sits in it; undefined for a whole list (or one made elsewhere). */
export function subsetOf(events: readonly TimelineEvent[]): TimelineSubset | undefined {
  return subsets.get(events);
}

/** Filtered answers' events, the most recent few per Dossier: a page button asks the same question again. */
const recentAnswers = new WeakMap<Dossier, Map<string, TimelineEvent[]>>();
const RECENT_ANSWERS_KEPT = 16;

export function answerTimeline(d: Dossier, opts: TimelineOptions = {}): TimelineAnswer {
  const timeline = mergedTimeline(d, opts.source);
  const topic = opts.topic?.trim() || null;
  const article = opts.source ? d.byId.get(opts.source) : undefined;
  const answer = (events: TimelineEvent[]): TimelineAnswer => ({
    events,
    topic,
    from: opts.from ?? null,
    to: opts.to ?? null,
    source: article ? { id: article.id, title: article.meta.title } : null,
    searched: opts.source ? (article ? 1 : 0) : d.articles.length,
  });
  if (!topic && !opts.from && !opts.to) return answer(allShown(d, timeline));

  let recent = recentAnswers.get(d);
  if (!recent) recentAnswers.set(d, (recent = new Map()));
  const key = JSON.stringify([opts.source ?? null, topic, opts.from ?? null, opts.to ?? null]);
  const known = recent.get(key);
  if (known) {
    recent.delete(key);
    recent.set(key, known);
    return answer(known);
  }
  // Positions in the merged timeline, in order.
  let picked: number[] | null = null;
  if (topic) {
    const on = new Set<number>();
    for (const h of topicHits(d, topic, TOPIC_HITS, TOPIC_SHARE)) {
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
  const positions: number[] = [];
  if (picked) {
    for (const i of picked) if (inRange(i)) events.push(timelineEvent(d, timeline.events[i]!)), positions.push(i);
  } else {
    const all = allShown(d, timeline);
    for (let i = 0; i < all.length; i++) if (inRange(i)) events.push(all[i]!), positions.push(i);
  }
  // Shared by the answers to the same question from now on: frozen, like the whole timeline's list.
  Object.freeze(events);
  if (timeline.shown) subsets.set(events, { all: timeline.shown, positions: Int32Array.from(positions) });
  if (recent.size >= RECENT_ANSWERS_KEPT) recent.delete(recent.keys().next().value!);
  recent.set(key, events);
  return answer(events);
}

/** What {@link warmTimeline} did: how long each stage took, or that it stopped (the Dossier was replaced). */
export interface TimelineWarmth {
  events: number;
  mergeMs: number;
  showMs: number;
  stopped: boolean;
  /** Why the merge could not run in a worker thread, when it could not (it then ran on this thread). */
  mergeWorkerFailed?: string;
  /** Why it failed, when it did (the first query then does the rest, as without a warm-up). */
  error?: string;
}

/**
 * Makes what the first whole-corpus /timeline of a Dossier would otherwise pay for: the merge, then every
 * event as shown, `sliceMs` at a time with a turn of the event loop between slices, so interactions keep
 * being answered meanwhile (the merge itself is one synchronous call). `each` is called with every event
 * shown (a renderer prepares its layout figures there). Stops early when `stop()` says so (a newer Dossier
 * is serving). Never rejects: a warm-up that fails leaves the work to the first query, as without one.
 */
export async function warmTimeline(
  d: Dossier,
  opts: { stop?: () => boolean; each?: (e: TimelineEvent) => void; sliceMs?: number } = {},
): Promise<TimelineWarmth> {
  const sliceMs = opts.sliceMs ?? 20;
  const out: TimelineWarmth = { events: 0, mergeMs: 0, showMs: 0, stopped: false };
  try {
    await nextTurn();
    if (opts.stop?.()) return { ...out, stopped: true };
    const t = performance.now();
    // In a worker thread: interactions keep being answered while a large corpus merges.
    const timeline = await mergedTimelineAsync(d);
    out.mergeMs = performance.now() - t;
    const failed = mergeWorkerFailures.get(d);
    if (failed) out.mergeWorkerFailed = failed;
    out.events = timeline.events.length;
    let slice = performance.now();
    for (const e of timeline.events) {
      const shownEvent = timelineEvent(d, e);
      opts.each?.(shownEvent);
      if (performance.now() - slice >= sliceMs) {
        out.showMs += performance.now() - slice;
        await nextTurn();
        if (opts.stop?.()) return { ...out, stopped: true };
        slice = performance.now();
      }
    }
    out.showMs += performance.now() - slice;
    allShown(d, timeline);
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  }
  return out;
}
