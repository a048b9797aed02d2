// /timeline laid out for Discord: pages of embeds, each line an event — its date at its precision, the
// reporting sentence verbatim (escaped, cut at a clause boundary with an ellipsis when long), citation
// markers numbered per page and the sources listed at the end of the page. A page stands alone (pinned, it
// still says what it covers, its range and its sources) and is a pure function of (answer, page).
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { TimelineAnswer, TimelineEvent } from '../../answers/timeline.js';
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

function embedSize(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

function build(a: TimelineAnswer, page: Page, index: number, pages: number, articles = articlesOf(a)): APIEmbed {
  const sources = sourcesOf(page.events);
  const numbers = new Map(sources.map((c, i) => [c.article, i + 1]));
  const first = page.events[0]!;
  const last = page.events[page.events.length - 1]!;
  const range = first === last ? formatSpan(first.date, first.end) : `${formatDate(first.date)} – ${formatDate(last.end ?? last.date)}`;
  const filters = [a.from ? `from ${formatDate(a.from)}` : null, a.to ? `to ${formatDate(a.to)}` : null].filter(Boolean).join(' ');
  const header = `-# Events ${page.first + 1}–${page.first + page.events.length} of ${a.events.length} · ${range}${filters ? ` · ${filters}` : ''}`;
  const lines = page.events.map((e) => eventLine(e, numbers));
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

/** The answer's events cut into pages that fit Discord's limits. Deterministic. */
const articlesOf = (a: TimelineAnswer) => new Set(a.events.flatMap((e) => e.citations.map((c) => c.article))).size;

/** Pages of an answer, laid out once: rendering page after page (and counting them) reuses the layout. */
const layouts = new WeakMap<TimelineAnswer, Page[]>();

export function timelinePages(a: TimelineAnswer): Page[] {
  const known = layouts.get(a);
  if (known) return known;
  // Laid out from each line's length (counted once per event, with two-digit markers, which no page
  // exceeds), not by building an embed per event: linear in the number of events.
  const filters = (a.from ? a.from.length + 6 : 0) + (a.to ? a.to.length + 4 : 0);
  const fixed = titleOf(a).length + FOOTER_ROOM;
  const pages: Page[] = [];
  let cur: Page = { first: 0, events: [] };
  let description = HEADER_ROOM + filters;
  let sources = 0;
  let articles = new Set<string>();
  const start = (i: number) => {
    cur = { first: i, events: [] };
    description = HEADER_ROOM + filters;
    sources = 0;
    articles = new Set();
  };
  for (let i = 0; i < a.events.length; i++) {
    const e = a.events[i]!;
    const line = lineLength(e) + 2;
    const added = [...new Set(e.citations.map((c) => c.article))].filter((id) => !articles.has(id));
    const addedSources = added.reduce((n, id) => n + sourceLength(e.citations.find((c) => c.article === id)!) + 1, 0);
    const fieldsAfter = Math.ceil((sources + addedSources) / (LIMITS.fieldValue - SOURCE_LINE_MAX)) || 0;
    const fits =
      cur.events.length + 1 <= EVENTS_PER_PAGE &&
      description + line <= DESCRIPTION_BUDGET &&
      fixed + description + line + sources + addedSources + fieldsAfter * 20 <= TOTAL_BUDGET &&
      fieldsAfter <= LIMITS.embedFields;
    if (!fits && cur.events.length > 0) {
      pages.push(cur);
      start(i);
      i--;
      continue;
    }
    cur.events.push(e);
    description += line;
    sources += addedSources;
    for (const id of added) articles.add(id);
  }
  if (cur.events.length) pages.push(cur);
  layouts.set(a, pages);
  return pages;
}

/** Room for the page's header line ("-# Events 1–8 of 19154 · 7 Sep – 1 Oct 2023") and its footer. */
const HEADER_ROOM = 110;
const FOOTER_ROOM = 130;
/** The longest a source line can be (title cut to 110, outlet to 60, a URL counted in full below). */
const SOURCE_LINE_MAX = 300;

const lineLengths = new WeakMap<TimelineEvent, number>();
/** An event's line as shown, with every marker two digits wide: at least as long as on any page. */
function lineLength(e: TimelineEvent): number {
  let n = lineLengths.get(e);
  if (n === undefined) {
    n = eventLine(e, new Map(e.citations.map((c) => [c.article, 99]))).length;
    lineLengths.set(e, n);
  }
  return n;
}

function sourceLength(c: Citation): number {
  return sourceLine(c, 99).length;
}

export function timelinePageCount(a: TimelineAnswer): number {
  return Math.max(1, timelinePages(a).length);
}

/** One page of the timeline (0-based, clamped) as a Discord message; `pages` is how many there are. */
export function renderTimelinePage(a: TimelineAnswer, opts: RenderOptions = {}): { message: DiscordMessage; page: number; pages: number } {
  const pages = timelinePages(a);
  if (pages.length === 0) {
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
  const page = Math.max(0, Math.min(Math.floor(opts.page ?? 0), pages.length - 1));
  const embed = build(a, pages[page]!, page, pages.length);
  return { message: { embeds: [embed], allowed_mentions: NO_MENTIONS }, page, pages: pages.length };
}

/** The Discord message of one page (0-based, clamped). Page buttons are added by the shared pager. */
export function renderTimelineDiscord(a: TimelineAnswer, opts: RenderOptions = {}): DiscordMessage {
  return renderTimelinePage(a, opts).message;
}
