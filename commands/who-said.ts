// /who-said [speaker] [words] [topic]: who said what, quoted or reported, with the speaker and citation.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { z } from 'zod';
import { type WhoSaidAnswer, answerWhoSaid, speakersMatching } from '../src/answers/whoSaid.js';
import type { CommandModule } from '../src/core/command.js';
import { renderWhoSaidDiscord } from '../src/render/discord/whoSaid.js';
import { LIMITS } from '../src/render/limits.js';
import { messageToText } from '../src/render/text.js';
import { whoSaidJson } from '../src/render/whoSaidJson.js';
import { type Attachment, type AttachRequest, EXPORT_FORMATS, type ExportFormat, type WithFiles, exportMeta, whoSaidExport } from '../src/render/export.js';
import { optionalText } from '../src/core/options.js';

export const MAX_WORDS = 300;

const text = (what: string, max: number) => optionalText(max, `the ${what}`);

const options = z.object({
  speaker: text('speaker', 100),
  words: text('words', MAX_WORDS).refine((s) => s === undefined || /[\p{L}\p{N}]/u.test(s), 'needs at least one letter or number'),
  topic: text('topic', 100),
  format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], { error: 'give markdown, csv or json' }).optional(),
});
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('who-said')
  .setDescription('Who said what in the articles: quotes and reported statements, with speaker and source')
  .addStringOption((o) => o.setName('speaker').setDescription('A person or organisation, e.g. John Kirby').setAutocomplete(true).setMaxLength(100))
  .addStringOption((o) => o.setName('words').setDescription('Words of the quote, even misremembered, e.g. we condemn the DPRK').setMaxLength(MAX_WORDS))
  .addStringOption((o) => o.setName('topic').setDescription('Only statements about this, e.g. sanctions').setMaxLength(100))
  .addStringOption((o) =>
    o
      .setName('format')
      .setDescription('Also attach every statement found as a file')
      .addChoices({ name: 'Markdown', value: 'markdown' }, { name: 'CSV (spreadsheet)', value: 'csv' }, { name: 'JSON', value: 'json' }),
  )
  .toJSON();

/** Known speakers for the speaker option: those whose name contains what is typed, most statements first. */
function autocomplete(option: string, value: string, ctx: { dossier: import('../src/core/dossier.js').Dossier }): APIApplicationCommandOptionChoice[] {
  if (option !== 'speaker') return [];
  // Looked up in lists made once per Dossier, not recomputed per keystroke.
  return speakersMatching(ctx.dossier, value, LIMITS.choices).map((s) => {
    const label = `${s.name} (${s.count})`;
    return {
      name: label.length <= LIMITS.choiceName ? label : `${s.name.slice(0, LIMITS.choiceName - 8 - String(s.count).length)}… (${s.count})`,
      value: s.name.slice(0, LIMITS.choiceValue),
    };
  });
}

/** The answer, and the export to attach when the user asked for one. */
export type WhoSaidResult = WhoSaidAnswer & { attach?: AttachRequest };

const whoSaid: CommandModule<Options, WhoSaidResult> & WithFiles<WhoSaidResult> = {
  name: 'who-said',
  data,
  options,
  run: (o, ctx) => {
    const answer = answerWhoSaid(ctx.dossier, {
      ...(o.speaker !== undefined ? { speaker: o.speaker } : {}),
      ...(o.words !== undefined ? { words: o.words } : {}),
      ...(o.topic !== undefined ? { topic: o.topic } : {}),
    });
    if (!o.format) return answer;
    return { ...answer, attach: { format: o.format, meta: exportMeta('who-said', { speaker: o.speaker, words: o.words, topic: o.topic }, ctx.dossier) } };
  },
  render: {
    discord: renderWhoSaidDiscord,
    // The console and the CLI print the export itself, so `--format csv > file.csv` works.
    text: (a) => (a.attach?.format ? whoSaidExport(a, a.attach.format, a.attach.meta, whoSaidJson).data.toString('utf8') : messageToText(renderWhoSaidDiscord(a))),
    json: whoSaidJson,
  },
  files(a): Attachment[] {
    return a.attach?.format ? [whoSaidExport(a, a.attach.format, a.attach.meta, whoSaidJson)] : [];
  },
  autocomplete,
  help: {
    summary: 'Who said what: quotes and reported statements with their speakers and sources.',
    examples: ['/who-said speaker: John Kirby', '/who-said words: we condemn the DPRK', '/who-said speaker: John Kirby topic: sanctions', '/who-said speaker: John Kirby format: csv'],
  },
};
export default whoSaid;
