// Notes on figures laid out for Discord: the one-line note shown under a timeline event or a /source answer,
// and the /compare answer — each group of figures with every side quoted verbatim around its figure and
// cited, the sources numbered at the end of the page. A page is a pure function of (answer, page).
import type { APIEmbed } from 'discord-api-types/v10';
import { type CompareAnswer, type NoteSide, type QuantityNote, sourceName } from '../../answers/compare.js';
import type { DiscordMessage, RenderOptions } from '../../core/command.js';
import type { Citation } from '../../core/types.js';
import { formatDate, oneLine } from '../format.js';
import { ELLIPSIS, LIMITS, NO_MENTIONS, cut, escapeText } from '../limits.js';

export const COMPARE_COLOR = 0xc27c0e;
/** Notes per page at most (fewer when their quotes are long). */
export const NOTES_PER_PAGE = 5;
/** Characters of a sentence shown on each side of a figure. */
const AROUND = 90;
const DESCRIPTION_BUDGET = 3900;
const TOTAL_BUDGET = 5800;

const ICON: Record<QuantityNote['kind'], string> = { differ: '⚠', qualifier: '≠', agree: '✓' };

/**
 * A note as one escaped line: "⚠ Sources differ: roughly 290 kilometers (Yonhap) [1] · …", cut to `max`. With
 * `numbers` (article → the citation number the message uses), each side carries its sources' markers.
 */
export function noteLine(n: QuantityNote, max = 300, numbers?: Map<string, number>): string {
  if (!numbers || n.kind === 'agree') return escapeText(cut(`${ICON[n.kind]} ${n.summary}`, max));
  const sides = n.sides.map((s) => {
    const names = [...new Set(s.citations.map(sourceName))].join(', ');
    const marks = [...new Set(s.citations.map((c) => numbers.get(c.article)).filter((x): x is number => x !== undefined))].sort((a, b) => a - b);
    return `${escapeText(oneLine(s.text))}${s.converted ? ` ${escapeText(s.converted)}` : ''} (${escapeText(names)})${marks.length ? ` ${marks.map((m) => `[${m}]`).join('')}` : ''}`;
  });
  const line = `${ICON[n.kind]} Sources differ: ${sides.join(' · ')}`;
  return line.length <= max ? line : escapeText(cut(`${ICON[n.kind]} ${n.summary}`, max));
}

/** The sentence around a figure, verbatim, with an ellipsis where it is cut. */
export function around(c: Citation, figure: string, room = AROUND): string {
  const q = oneLine(c.quote);
  const f = oneLine(figure);
  const at = q.indexOf(f);
  if (at < 0) return cut(q, room * 2 + f.length);
  let from = Math.max(0, at - room);
  let to = Math.min(q.length, at + f.length + room);
  if (from > 0) {
    const sp = q.indexOf(' ', from);
    from = sp >= 0 && sp < at ? sp + 1 : from;
  }
  if (to < q.length) {
    const sp = q.lastIndexOf(' ', to);
    to = sp > at + f.length ? sp : to;
  }
  return `${from > 0 ? ELLIPSIS : ''}${q.slice(from, to)}${to < q.length ? ELLIPSIS : ''}`;
}

function sideLine(s: NoteSide, numbers: Map<string, number>): string {
  const markers = [...new Set(s.citations.map((c) => numbers.get(c.article)!))].sort((a, b) => a - b).map((n) => `[${n}]`).join('');
  const first = s.citations[0]!;
  const quote = escapeText(around(first, s.text));
  const conv = s.converted ? ` *(${escapeText(s.converted)})*` : '';
  const names = escapeText(cut([...new Set(s.citations.map(sourceName))].join(', '), 120));
  return `• **${escapeText(cut(oneLine(s.text), 80))}**${conv} — ${names} **${markers}**\n> “${quote}”`;
}

function noteBlock(n: QuantityNote, numbers: Map<string, number>): string {
  const head =
    n.kind === 'differ' ? 'Sources differ' : n.kind === 'qualifier' ? 'Sources qualify it differently' : `${n.sources} sources agree`;
  return [`**${ICON[n.kind]} ${head}** — ${escapeText(cut(n.about, 80))}`, ...n.sides.map((s) => sideLine(s, numbers))].join('\n');
}

function sourcesOf(notes: QuantityNote[]): Citation[] {
  const out: Citation[] = [];
  for (const n of notes) for (const s of n.sides) for (const c of s.citations) if (!out.some((x) => x.article === c.article)) out.push(c);
  return out;
}

function sourcesField(sources: Citation[]): string {
  const lines = sources.map((c, i) => {
    const name = escapeText(cut(oneLine(c.title), 110));
    const linked = c.url ? `[${name}](${c.url})` : name;
    const rest = [c.outlet ? escapeText(cut(oneLine(c.outlet), 60)) : null, c.published ? formatDate(c.published) : null].filter(Boolean).join(', ');
    return `**[${i + 1}]** ${linked}${rest ? ` — ${rest}` : ''}`;
  });
  let v = '';
  for (const l of lines) {
    if (v.length + l.length + 1 > LIMITS.fieldValue - 2) {
      v += `\n${ELLIPSIS}`;
      break;
    }
    v += (v ? '\n' : '') + l;
  }
  return v;
}

function titleOf(a: CompareAnswer): string {
  return cut(a.topic ? `Figures compared — “${escapeText(oneLine(a.topic))}”` : 'Figures compared — every article', LIMITS.embedTitle);
}

function build(a: CompareAnswer, notes: QuantityNote[], first: number, page: number, pages: number): APIEmbed {
  const sources = sourcesOf(notes);
  const numbers = new Map(sources.map((c, i) => [c.article, i + 1]));
  const differ = a.notes.filter((n) => n.kind !== 'agree').length;
  const header = `-# ${differ} difference${differ === 1 ? '' : 's'} and ${a.notes.length - differ} agreement${a.notes.length - differ === 1 ? '' : 's'} in ${a.sentences} sentences · notes ${first + 1}–${first + notes.length} of ${a.notes.length}`;
  return {
    title: titleOf(a),
    color: COMPARE_COLOR,
    description: [header, ...notes.map((n) => noteBlock(n, numbers))].join('\n\n'),
    fields: [{ name: sources.length === 1 ? 'Source' : 'Sources', value: sourcesField(sources) }],
    footer: { text: `Page ${page + 1} of ${pages} · figures with units are converted to compare them · quotes are verbatim` },
  };
}

function size(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

/** The notes cut into pages that fit Discord's limits. */
export function comparePages(a: CompareAnswer): { first: number; notes: QuantityNote[] }[] {
  const pages: { first: number; notes: QuantityNote[] }[] = [];
  let cur = { first: 0, notes: [] as QuantityNote[] };
  a.notes.forEach((n, i) => {
    const trial = { first: cur.first, notes: [...cur.notes, n] };
    const e = build(a, trial.notes, trial.first, 999, 999);
    if (cur.notes.length === 0 || (trial.notes.length <= NOTES_PER_PAGE && e.description!.length <= DESCRIPTION_BUDGET && size(e) <= TOTAL_BUDGET)) cur = trial;
    else {
      pages.push(cur);
      cur = { first: i, notes: [n] };
    }
  });
  if (cur.notes.length) pages.push(cur);
  return pages;
}

/** One page (0-based, clamped) of the /compare answer. */
export function renderCompareDiscord(a: CompareAnswer, opts: RenderOptions = {}): DiscordMessage {
  const pages = comparePages(a);
  if (pages.length === 0) {
    const embed: APIEmbed = {
      title: titleOf(a),
      color: COMPARE_COLOR,
      description: cut(
        `No figure is given by two articles${a.topic ? ` about “${escapeText(oneLine(a.topic))}”` : ''} in the ${a.searched} article${a.searched === 1 ? '' : 's'} (${a.sentences} sentences looked at).\n\nTry:\n• a wider topic, or none to compare every figure\n• /source to see the passages themselves`,
        LIMITS.embedDescription,
      ),
      footer: { text: 'Counts, distances, durations, sums, percentages and dates are compared.' },
    };
    return { embeds: [embed], allowed_mentions: NO_MENTIONS };
  }
  const page = Math.max(0, Math.min(Math.floor(opts.page ?? 0), pages.length - 1));
  const p = pages[page]!;
  let embed = build(a, p.notes, p.first, page, pages.length);
  if ((embed.description?.length ?? 0) > LIMITS.embedDescription) embed = { ...embed, description: cut(embed.description!, LIMITS.embedDescription) };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}
