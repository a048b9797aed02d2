// /timeline [topic] [from] [to] [source]: dated events from every article, in order, merged across sources.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { z } from 'zod';
import { type TimelineAnswer, type TimelineWarmth, answerTimeline, timelineMergePending, warmTimeline } from '../src/answers/timeline.js';
import { type CommandContext, type CommandModule, UserError } from '../src/core/command.js';
import type { Dossier } from '../src/core/dossier.js';
import type { Article, IsoDate } from '../src/core/types.js';
import { isoOf, monthOf, validYmd, type Ymd } from '../src/extract/dates.js';
import { renderTimelineDiscord, renderTimelinePage, timelineLineFigures, timelinePageCount } from '../src/render/discord/timeline.js';
import { LIMITS, cut, userCode } from '../src/render/limits.js';
import { messageToText } from '../src/render/text.js';
import { timelineJson } from '../src/render/timelineJson.js';
import { type Attachment, type AttachRequest, EXPORT_FORMATS, type ExportFormat, type WithFiles, exportMeta, timelineExport } from '../src/render/export.js';
import { timelineImageAttachment } from '../src/render/timelineImage.js';
import { optionalText } from '../src/core/options.js';

export const MAX_TOPIC = 200;
const DATE_HINT = 'give a date like 2023-10-13, 13 Oct 2023, 2023-10, Oct 2023 or 2023';

/**
 * A date typed by a user, at the precision typed: "2023-10-13", "13 Oct 2023", "Oct 13, 2023", "2023-10",
 * "October 2023", "2023". Returns an error message for anything else (relative words like "yesterday" have
 * no meaning without a reference date, so they are refused rather than guessed).
 */
export function parseUserDate(raw: string): { date: IsoDate } | { error: string } {
  const s = raw.replace(/\s+/g, ' ').trim();
  let p: Ymd | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(s))) {
    p = { y: Number(m[1]) };
    if (m[2]) p.m = Number(m[2]);
    if (m[3]) p.d = Number(m[3]);
  } else if ((m = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([A-Za-z]+\.?),? (\d{4})$/.exec(s))) {
    const mo = monthOf(m[2]!);
    if (mo) p = { y: Number(m[3]), m: mo, d: Number(m[1]) };
  } else if ((m = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(s))) {
    const mo = monthOf(m[1]!);
    if (mo) p = { y: Number(m[3]), m: mo, d: Number(m[2]) };
  } else if ((m = /^([A-Za-z]+\.?),? (\d{4})$/.exec(s))) {
    const mo = monthOf(m[1]!);
    if (mo) p = { y: Number(m[2]), m: mo };
  }
  if (!p) {
    if (/^(?:today|yesterday|tomorrow|now|last|next|this|ago)\b|\bago$/i.test(s)) return { error: `“${cut(s, 40)}” is relative; ${DATE_HINT}` };
    return { error: `“${cut(s, 40)}” is not a date; ${DATE_HINT}` };
  }
  if (p.y < 1000 || p.y > 2999) return { error: `${p.y} is out of range; ${DATE_HINT}` };
  if (!validYmd(p)) return { error: `${isoOf(p)} does not exist on the calendar; ${DATE_HINT}` };
  return { date: isoOf(p) };
}

const dateOption = z
  .string()
  .transform((s, ctx) => {
    const r = parseUserDate(s);
    if ('error' in r) {
      ctx.addIssue({ code: 'custom', message: r.error });
      return z.NEVER;
    }
    return r.date;
  })
  .optional();

/** A yes/no option: a boolean from Discord, "true"/"yes"/"1" (or false ones) from the console and the CLI. */
export const booleanOption = z
  .union([z.boolean(), z.string()])
  .transform((v, ctx) => {
    if (typeof v === 'boolean') return v;
    const s = v.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 'on'].includes(s)) return true;
    if (['false', 'no', 'n', '0', 'off', ''].includes(s)) return false;
    ctx.addIssue({ code: 'custom', message: 'give true or false' });
    return z.NEVER;
  })
  .optional();

const options = z
  .object({
    topic: optionalText(MAX_TOPIC),
    from: dateOption,
    to: dateOption,
    source: z
      .string()
      .transform((s) => s.trim())
      .optional()
      .transform((s) => (s ? s : undefined)),
    format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], { error: 'give markdown, csv or json' }).optional(),
    image: booleanOption,
  })
  .refine((o) => !o.from || !o.to || o.from.slice(0, Math.min(o.from.length, o.to.length)) <= o.to.slice(0, Math.min(o.from.length, o.to.length)), {
    message: '`from` is after `to`',
    path: ['from'],
  });
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('timeline')
  .setDescription('What happened when, in order, each event quoted from every article that reports it')
  .addStringOption((o) => o.setName('topic').setDescription('Only events about this, e.g. containers').setMaxLength(MAX_TOPIC))
  .addStringOption((o) => o.setName('from').setDescription('From this date, e.g. 2023-09 or 7 Sep 2023').setMaxLength(40))
  .addStringOption((o) => o.setName('to').setDescription('Up to this date, e.g. 2023-10-13').setMaxLength(40))
  .addStringOption((o) => o.setName('source').setDescription('Only events of this article').setAutocomplete(true).setMaxLength(LIMITS.choiceValue))
  .addStringOption((o) =>
    o
      .setName('format')
      .setDescription('Also attach the whole timeline as a file')
      .addChoices({ name: 'Markdown', value: 'markdown' }, { name: 'CSV (spreadsheet)', value: 'csv' }, { name: 'JSON', value: 'json' }),
  )
  .addBooleanOption((o) => o.setName('image').setDescription('Also attach a picture of the timeline (PNG)'))
  .toJSON();

/** Finds the article a `source` value names: its id, or its exact title. */
function articleId(value: string, ids: Map<string, { meta: { title: string } }>): string | null {
  if (ids.has(value)) return value;
  const lower = value.toLowerCase();
  for (const [id, a] of ids) if (a.meta.title.toLowerCase() === lower) return id;
  return null;
}

/** The answer, and what to attach to it (an export, a picture) when the user asked for one. */
export type TimelineResult = TimelineAnswer & { attach?: AttachRequest };

/** `timeline --json`: the documented fields, plus per event how many independent outlets report it and where their figures differ. */
/**
 * `timeline --json` (and the JSON export): exactly the documented fields. Corroboration and figure notes
 * are shown in Discord and in the Markdown/CSV exports; the JSON contract stays as documented.
 */
export function timelineCliJson(a: TimelineAnswer) {
  return timelineJson(a);
}

function textOf(a: TimelineAnswer): string {
  const pages = timelinePageCount(a);
  return Array.from({ length: pages }, (_, page) => messageToText(renderTimelinePage(a, { page }).message)).join('\n\n');
}

const timeline: CommandModule<Options, TimelineResult> & WithFiles<TimelineResult> = {
  name: 'timeline',
  data,
  options,
  // The whole corpus's merge runs in a worker thread after start-up (warmTimelineCommand); a query that
  // needs it before it is done waits for it (deferred) instead of merging again on the main thread.
  warmsInBackground: true,
  pending: (o, ctx) => (o.source ? null : timelineMergePending(ctx.dossier)),
  run: (o, ctx) => {
    const answer = runTimeline(o, ctx);
    if (!o.format && !o.image) return answer;
    const asked = { topic: o.topic, from: o.from, to: o.to, source: o.source };
    return { ...answer, attach: { ...(o.format ? { format: o.format } : {}), ...(o.image ? { image: true } : {}), meta: exportMeta('timeline', asked, ctx.dossier) } };
  },
  render: {
    discord: renderTimelineDiscord,
    pages: timelinePageCount,
    // The console and the CLI print an export itself (so `--format csv > file.csv` works); a picture is only named.
    text: (a) => {
      if (a.attach?.format) return timelineExport(a, a.attach.format, a.attach.meta, timelineCliJson).data.toString('utf8');
      const files = a.attach?.image ? `\n\n(attached in Discord: a PNG picture of this timeline, ${a.events.length} events)` : '';
      return `${textOf(a)}${files}`;
    },
    json: timelineCliJson,
  },
  files(a): Attachment[] {
    const out: Attachment[] = [];
    if (!a.attach) return out;
    if (a.attach.image) out.push(timelineImageAttachment(a, a.attach.meta));
    if (a.attach.format) out.push(timelineExport(a, a.attach.format, a.attach.meta, timelineCliJson));
    return out;
  },
  autocomplete(option, value, ctx): APIApplicationCommandOptionChoice[] {
    if (option !== 'source') return [];
    const q = value.toLowerCase().trim();
    const out: APIApplicationCommandOptionChoice[] = [];
    const articles = ctx.dossier.articles;
    const hays = haystacksOf(articles);
    for (let i = 0; i < articles.length; i++) {
      const a = articles[i]!;
      if (a.id.length > LIMITS.choiceValue) continue;
      if (q && !hays[i]!.includes(q)) continue;
      const name = cut(`${a.meta.title.replace(/\s+/g, ' ').trim()}${a.meta.outlet ? ` — ${a.meta.outlet}` : ''}`, LIMITS.choiceName);
      out.push({ name, value: a.id });
      if (out.length >= LIMITS.choices) break;
    }
    return out;
  },
  help: {
    summary: 'What happened when: dated events in order, each quoted verbatim with every article that reports it.',
    examples: ['/timeline', '/timeline topic: containers', '/timeline from: 2023-09 to: 2023-10-13', '/timeline source: 002_152f3cda1bd751b5', '/timeline topic: containers image: true', '/timeline format: csv'],
  },
};
export default timeline;

/** What the source autocomplete looks in, per article (id, title, outlet, lower-cased): made once per corpus, not per keystroke. */
const haystacks = new WeakMap<readonly Article[], string[]>();
function haystacksOf(articles: readonly Article[]): string[] {
  let h = haystacks.get(articles);
  if (!h) haystacks.set(articles, (h = articles.map((a) => `${a.id} ${a.meta.title} ${a.meta.outlet ?? ''}`.toLowerCase())));
  return h;
}

/**
 * Makes, in the background, what the first whole-corpus /timeline of a Dossier would otherwise pay for: the
 * merged timeline, every event as shown with its line's layout figures, and the pages of the whole corpus.
 * The bot calls it for each Dossier it starts serving, so no member's request waits for it; `stop` says
 * when to give up (a newer Dossier is serving). Never rejects.
 */
export async function warmTimelineCommand(d: Dossier, stop?: () => boolean): Promise<TimelineWarmth & { layoutMs: number }> {
  const w = await warmTimeline(d, { each: timelineLineFigures, ...(stop ? { stop } : {}) });
  let layoutMs = 0;
  if (!w.stopped && !w.error) {
    const t = performance.now();
    try {
      timelinePageCount(answerTimeline(d));
    } catch (e) {
      w.error = e instanceof Error ? e.message : String(e);
    }
    layoutMs = performance.now() - t;
  }
  return { ...w, mergeMs: Math.round(w.mergeMs), showMs: Math.round(w.showMs), layoutMs: Math.round(layoutMs) };
}

function runTimeline(o: Options, ctx: CommandContext): TimelineAnswer {
  let source: string | undefined;
  if (o.source) {
    const id = articleId(o.source, ctx.dossier.byId);
    if (!id) throw new UserError(`\`source\`: no article ${userCode(o.source)} in the corpus; pick one from the list`);
    source = id;
  }
  return answerTimeline(ctx.dossier, {
    ...(o.topic ? { topic: o.topic } : {}),
    ...(o.from ? { from: o.from } : {}),
    ...(o.to ? { to: o.to } : {}),
    ...(source ? { source } : {}),
  });
}
