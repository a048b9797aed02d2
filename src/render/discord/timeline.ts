// /timeline laid out for Discord: pages of embeds, each line an event — its date at its precision, the
// reporting sentence verbatim (escaped, cut at a clause boundary with an ellipsis when long), citation
// markers numbered per page and the sources listed at the end of the page. A page stands alone (pinned, it
// still says what it covers, its range and its sources) and is a pure function of (answer, page).
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { type TimelineAnswer, type TimelineEvent, subsetOf } from '../../answers/timeline.js';
import type { DiscordMessage, RenderOptions } from '../../core/command.js';
import type { Citation } from '../../core/types.js';
import { formatDate, formatSpan, oneLine } from '../format.js';
import { LIMITS, NO_MENTIONS, cut, cutQuote, escapeText } from '../limits.js';
import { noteLine } from './compare.js';

export const TIMELINE_COLOR = 0x4f6d8f;
/** Events per page at most (fewer when their lines or sources are long). */
export const EVENTS_PER_PAGE = 8;
/** Longest quote shown for one event (it is cut at a clause boundary, marked with an ellipsis). */
export const QUOTE_MAX = 300;
/** Longest note on figures shown under an event. */
export const NOTE_MAX = 240;
/** Room kept for the description (under Discord's 4096) and for the whole embed (under 6000). */
const DESCRIPTION_BUDGET = 3900;
const TOTAL_BUDGET = 5800;

function titleOf(a: TimelineAnswer): string {
  const parts = ['Timeline'];
  if (a.topic) parts.push(`“${escapeText(oneLine(a.topic))}”`);
  if (a.source) parts.push(`in “${escapeText(oneLine(a.source.title))}”`);
  return cut(parts.join(' — '), LIMITS.embedTitle);
}

/** The articles cited on a page, numbered in order of first use. */
function sourcesOf(events: TimelineEvent[]): Citation[] {
  const out: Citation[] = [];
  for (const e of events) for (const c of e.citations) if (!out.some((x) => x.article === c.article)) out.push(c);
  return out;
}

function sourceLine(c: Citation, n: number): string {
  const name = escapeText(cut(oneLine(c.title), 110));
  const linked = c.url ? `[${name}](${c.url})` : name;
  const rest = [c.outlet ? escapeText(cut(oneLine(c.outlet), 60)) : null, c.published ? formatDate(c.published) : null].filter(Boolean).join(', ');
  return `**[${n}]** ${linked}${rest ? ` — ${rest}` : ''}`;
}

function eventLine(e: TimelineEvent, numbers: Map<string, number>): string {
  const date = formatSpan(e.date, e.end);
  const quote = escapeText(cutQuote(oneLine(e.text), QUOTE_MAX));
  const markers = [...new Set(e.citations.map((c) => numbers.get(c.article)!))].sort((x, y) => x - y).map((n) => `[${n}]`).join('');
  const notes = [e.expected ? 'expected' : null, e.caption ? 'photo caption' : null].filter(Boolean);
  const independent = e.independent !== undefined && e.independent < e.sources ? ` (${e.independent} independent)` : '';
  const sources = e.sources > 1 ? ` · ${e.sources} sources${independent}` : '';
  // Where the reports' figures differ (agreements are not worth a line here).
  const differ = e.notes?.find((n) => n.kind !== 'agree');
  const figures = differ ? `\n-# ${noteLine(differ, NOTE_MAX, numbers)}` : '';
  return `**${date}**${notes.length ? ` *(${notes.join(', ')})*` : ''} — “${quote}” **${markers}**${sources}${figures}`;
}

/** Source fields of a page: as many fields of at most 1024 characters as the list needs. */
function sourceFields(sources: Citation[]): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length) fields.push({ name: fields.length === 0 ? (sources.length === 1 ? 'Source' : 'Sources') : 'Sources (continued)', value: cur.join('\n') });
    cur = [];
  };
  sources.forEach((c, i) => {
    const line = cut(sourceLine(c, i + 1), LIMITS.fieldValue);
    if ([...cur, line].join('\n').length > LIMITS.fieldValue) flush();
    cur.push(line);
  });
  flush();
  return fields;
}

interface Page {
  first: number;
  events: TimelineEvent[];
}

function build(a: TimelineAnswer, layout: Layout, index: number): APIEmbed {
  let embed = layout.built.get(index);
  if (!embed) layout.built.set(index, (embed = buildPage(a, layout, index)));
  // A copy (its strings shared): whoever gets it may change it without changing the kept one.
  return { ...embed, fields: embed.fields!.map((f) => ({ ...f })), footer: { ...embed.footer! } };
}

function buildPage(a: TimelineAnswer, layout: Layout, index: number): APIEmbed {
  const first = layout.starts[index]!;
  const events = a.events.slice(first, layout.starts[index + 1] ?? a.events.length);
  const pages = layout.starts.length;
  const articles = layout.articles;
  const sources = sourcesOf(events);
  const numbers = new Map(sources.map((c, i) => [c.article, i + 1]));
  const head = events[0]!;
  const last = events[events.length - 1]!;
  const range = head === last ? formatSpan(head.date, head.end) : `${formatDate(head.date)} – ${formatDate(last.end ?? last.date)}`;
  const filters = [a.from ? `from ${formatDate(a.from)}` : null, a.to ? `to ${formatDate(a.to)}` : null].filter(Boolean).join(' ');
  const header = `-# Events ${first + 1}–${first + events.length} of ${a.events.length} · ${range}${filters ? ` · ${filters}` : ''}`;
  const lines = events.map((e) => eventLine(e, numbers));
  return {
    title: titleOf(a),
    color: TIMELINE_COLOR,
    description: [header, ...lines].join('\n\n'),
    fields: sourceFields(sources),
    footer: {
      text: `Page ${index + 1} of ${pages} · ${a.events.length} event${a.events.length === 1 ? '' : 's'} from ${articles} article${articles === 1 ? '' : 's'} · quotes are verbatim`,
    },
  };
}

/** How an answer's events fall into pages: where each page starts, and how many articles the answer cites. */
interface Layout {
  /** Position in `events` of each page's first event (ascending; one per page). */
  starts: number[];
  /** Distinct articles cited by all the events (the footer says it). */
  articles: number;
  /** Pages already rendered, by index (a page is a pure function of the answer and its index). */
  built: Map<number, APIEmbed>;
}

/** Room for the page's header line ("-# Events 1–8 of 19154 · 7 Sep – 1 Oct 2023") and its footer. */
const HEADER_ROOM = 110;
const FOOTER_ROOM = 130;
/** The longest a source line can be (title cut to 110, outlet to 60, a URL counted in full below). */
const SOURCE_LINE_MAX = 300;

/** What laying an event out needs, counted once per event (events are made once per Dossier). */
interface LineFigures {
  /** Its line as shown with every marker two digits wide (at least as long as on any page), plus the blank line before it. */
  line: number;
  /** Its articles (numbered by {@link articleNo}), distinct, in the order of their first citation. */
  articles: number[];
  /** For each of those, its source line's length (numbered 99, so as long as on any page) plus a newline. */
  sources: number[];
}

const figures = new WeakMap<TimelineEvent, LineFigures>();
/** Article ids numbered, so that a page's and an answer's articles are marks in an array rather than sets of strings. */
const articleNos = new Map<string, number>();
function articleNo(id: string): number {
  let n = articleNos.get(id);
  if (n === undefined) articleNos.set(id, (n = articleNos.size));
  return n;
}

/** An event's layout figures; made once per event (the timeline warm-up makes them for every event in advance). */
export function timelineLineFigures(e: TimelineEvent): LineFigures {
  let f = figures.get(e);
  if (f) return f;
  const articles: number[] = [];
  const sources: number[] = [];
  const ids = new Set<string>();
  for (const c of e.citations) {
    if (ids.has(c.article)) continue;
    ids.add(c.article);
    articles.push(articleNo(c.article));
    sources.push(sourceLine(c, 99).length + 1);
  }
  // Copied to arrays of their exact length: arrays grown by push keep room for 17 numbers each, and a
  // corpus's timeline keeps these for every event (183,000 at 10,000 articles: 81 MB, now 36 MB).
  f = { line: eventLine(e, new Map(e.citations.map((c) => [c.article, 99]))).length + 2, articles: articles.slice(), sources: sources.slice() };
  figures.set(e, f);
  return f;
}

/**
 * Marks per numbered article: `pageMarks[n] === page` while article n is cited on the page being laid out,
 * `answerMarks[n] === inAnswer` once it is cited anywhere in the answer. A new page takes a new mark, so
 * nothing is cleared between pages.
 */
let pageMarks = new Int32Array(1024);
let answerMarks = new Int32Array(1024);
let mark = 0;
const nextMark = () => ++mark;

/** Every event's figures of one list, in arrays by position: a layout then reads memory in order. */
interface Packed {
  /** Each event's line length (see {@link LineFigures.line}). */
  line: Int32Array;
  /** Where each event's articles begin in `nos` and `lens` (one more entry: the end of the last). */
  start: Int32Array;
  /** The events' article numbers, one run per event. */
  nos: Int32Array;
  /** Their source lines' lengths. */
  lens: Int32Array;
}
const packs = new WeakMap<readonly TimelineEvent[], Packed>();

function packedOf(events: readonly TimelineEvent[]): Packed {
  let p = packs.get(events);
  if (p) return p;
  const n = events.length;
  const all = events.map(timelineLineFigures);
  const line = new Int32Array(n);
  const start = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    line[i] = all[i]!.line;
    start[i] = total;
    total += all[i]!.articles.length;
  }
  start[n] = total;
  const nos = new Int32Array(total);
  const lens = new Int32Array(total);
  for (let i = 0; i < n; i++) {
    nos.set(all[i]!.articles, start[i]!);
    lens.set(all[i]!.sources, start[i]!);
  }
  packs.set(events, (p = { line, start, nos, lens }));
  return p;
}

/** Layouts by events list, then by what else a page shows of the answer (title, from, to). */
const layouts = new WeakMap<readonly TimelineEvent[], Map<string, Layout>>();

/**
 * Lays out an answer's events: each page takes events while they fit (at most {@link EVENTS_PER_PAGE}, the
 * description and the whole embed within their budgets, the source fields within Discord's count). Linear in
 * the number of events, from each event's figures — read from the arrays of the whole timeline's list when
 * the answer's events were taken from it — and kept per events list, so answers that share the list (every
 * unfiltered /timeline of a Dossier does) lay out once, and a page rendered again (the pager counts pages
 * by rendering them) is not built again.
 */
function layoutOf(a: TimelineAnswer): Layout {
  const title = titleOf(a);
  const filters = (a.from ? a.from.length + 6 : 0) + (a.to ? a.to.length + 4 : 0);
  const fixed = title.length + FOOTER_ROOM;
  const key = `${title}\n${a.from ?? ''}\n${a.to ?? ''}`;
  let known = layouts.get(a.events);
  const hit = known?.get(key);
  if (hit) return hit;
  const events = a.events;
  const subset = subsetOf(events);
  const { line, start, nos, lens } = packedOf(subset?.all ?? events);
  const at = subset?.positions;
  if (articleNos.size > pageMarks.length) growMarks();
  // A layout takes at most one mark per event and one more for the answer: start afresh before they run out.
  if (mark > 0x7fffffff - 2 * events.length - 2) {
    pageMarks.fill(0);
    answerMarks.fill(0);
    mark = 0;
  }
  const marks = pageMarks;
  const starts: number[] = [];
  let articles = 0;
  const inAnswer = nextMark();
  let page = nextMark();
  let count = 0;
  let description = HEADER_ROOM + filters;
  let sources = 0;
  for (let j = 0; j < events.length; j++) {
    const i = at ? at[j]! : j;
    const from = start[i]!;
    const to = start[i + 1]!;
    const length = line[i]!;
    let added = 0;
    for (let k = from; k < to; k++) if (marks[nos[k]!] !== page) added += lens[k]!;
    const fieldsAfter = Math.ceil((sources + added) / (LIMITS.fieldValue - SOURCE_LINE_MAX)) || 0;
    const fits =
      count + 1 <= EVENTS_PER_PAGE &&
      description + length <= DESCRIPTION_BUDGET &&
      fixed + description + length + sources + added + fieldsAfter * 20 <= TOTAL_BUDGET &&
      fieldsAfter <= LIMITS.embedFields;
    if (!fits && count > 0) {
      // A new page, and the event tried again on it.
      page = nextMark();
      count = 0;
      description = HEADER_ROOM + filters;
      sources = 0;
      j--;
      continue;
    }
    if (count === 0) starts.push(j);
    count++;
    description += length;
    sources += added;
    for (let k = from; k < to; k++) {
      const no = nos[k]!;
      marks[no] = page;
      if (answerMarks[no] !== inAnswer) {
        answerMarks[no] = inAnswer;
        articles++;
      }
    }
  }
  const layout: Layout = { starts, articles, built: new Map() };
  if (!known) layouts.set(a.events, (known = new Map()));
  known.set(key, layout);
  return layout;
}

function growMarks(): void {
  const size = Math.max(articleNos.size, pageMarks.length * 2);
  const page = new Int32Array(size);
  page.set(pageMarks);
  const answer = new Int32Array(size);
  answer.set(answerMarks);
  pageMarks = page;
  answerMarks = answer;
}

/** The answer's events cut into pages that fit Discord's limits. Deterministic. */
export function timelinePages(a: TimelineAnswer): Page[] {
  const { starts } = layoutOf(a);
  return starts.map((first, i) => ({ first, events: a.events.slice(first, starts[i + 1] ?? a.events.length) }));
}

export function timelinePageCount(a: TimelineAnswer): number {
  return Math.max(1, layoutOf(a).starts.length);
}

/** One page of the timeline (0-based, clamped) as a Discord message; `pages` is how many there are. */
export function renderTimelinePage(a: TimelineAnswer, opts: RenderOptions = {}): { message: DiscordMessage; page: number; pages: number } {
  const layout = layoutOf(a);
  const pages = layout.starts.length;
  if (pages === 0) {
    const what = [a.topic ? `about “${escapeText(oneLine(a.topic))}”` : null, a.from || a.to ? `between ${a.from ? formatDate(a.from) : 'the start'} and ${a.to ? formatDate(a.to) : 'now'}` : null]
      .filter(Boolean)
      .join(' ');
    const tips = ['use fewer or more general words for the topic', 'widen or drop `from` and `to`', a.source ? 'drop `source` to look in every article' : null].filter(Boolean);
    const embed: APIEmbed = {
      title: titleOf(a),
      color: TIMELINE_COLOR,
      description: cut(`No dated events ${what ? `${what} ` : ''}in the ${a.searched} article${a.searched === 1 ? '' : 's'}.\n\nTry:\n${tips.map((t) => `• ${t}`).join('\n')}`, LIMITS.embedDescription),
      footer: { text: 'Only sentences that date what they report are listed.' },
    };
    return { message: { embeds: [embed], allowed_mentions: NO_MENTIONS }, page: 0, pages: 1 };
  }
  const page = Math.max(0, Math.min(Math.floor(opts.page ?? 0), pages - 1));
  const embed = build(a, layout, page);
  return { message: { embeds: [embed], allowed_mentions: NO_MENTIONS }, page, pages };
}

/** The Discord message of one page (0-based, clamped). Page buttons are added by the shared pager. */
export function renderTimelineDiscord(a: TimelineAnswer, opts: RenderOptions = {}): DiscordMessage {
  return renderTimelinePage(a, opts).message;
}
