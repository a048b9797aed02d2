// /who-said [speaker] [words] [topic]: who said what, quoted or reported, with the speaker and citation.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { z } from 'zod';
import { type WhoSaidAnswer, answerWhoSaid, knownSpeakers } from '../src/answers/whoSaid.js';
import type { CommandModule } from '../src/core/command.js';
import { renderWhoSaidDiscord } from '../src/render/discord/whoSaid.js';
import { LIMITS } from '../src/render/limits.js';
import { messageToText } from '../src/render/text.js';
import { whoSaidJson } from '../src/render/whoSaidJson.js';
import { nameKey } from '../src/extract/speakers.js';

export const MAX_WORDS = 300;

const text = (what: string, max: number) =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max, `keep the ${what} under ${max} characters`))
    .optional()
    .transform((s) => (s ? s : undefined));

const options = z.object({
  speaker: text('speaker', 100),
  words: text('words', MAX_WORDS).refine((s) => s === undefined || /[\p{L}\p{N}]/u.test(s), 'needs at least one letter or number'),
  topic: text('topic', 100),
});
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('who-said')
  .setDescription('Who said what in the articles: quotes and reported statements, with speaker and source')
  .addStringOption((o) => o.setName('speaker').setDescription('A person or organisation, e.g. John Kirby').setAutocomplete(true).setMaxLength(100))
  .addStringOption((o) => o.setName('words').setDescription('Words of the quote, even misremembered, e.g. we condemn the DPRK').setMaxLength(MAX_WORDS))
  .addStringOption((o) => o.setName('topic').setDescription('Only statements about this, e.g. sanctions').setMaxLength(100))
  .toJSON();

/** Known speakers for the speaker option: those whose name contains what is typed, most statements first. */
function autocomplete(option: string, value: string, ctx: { dossier: import('../src/core/dossier.js').Dossier }): APIApplicationCommandOptionChoice[] {
  if (option !== 'speaker') return [];
  const typed = nameKey(value);
  const all = knownSpeakers(ctx.dossier);
  const matches = typed
    ? all.filter((s) => [s.name, ...s.aliases].some((n) => nameKey(n).includes(typed)))
    : all;
  return matches.slice(0, LIMITS.choices).map((s) => {
    const label = `${s.name} (${s.count})`;
    return {
      name: label.length <= LIMITS.choiceName ? label : `${s.name.slice(0, LIMITS.choiceName - 8 - String(s.count).length)}… (${s.count})`,
      value: s.name.slice(0, LIMITS.choiceValue),
    };
  });
}

const whoSaid: CommandModule<Options, WhoSaidAnswer> = {
  name: 'who-said',
  data,
  options,
  run: (o, ctx) =>
    answerWhoSaid(ctx.dossier, {
      ...(o.speaker !== undefined ? { speaker: o.speaker } : {}),
      ...(o.words !== undefined ? { words: o.words } : {}),
      ...(o.topic !== undefined ? { topic: o.topic } : {}),
    }),
  render: {
    discord: renderWhoSaidDiscord,
    text: (a) => messageToText(renderWhoSaidDiscord(a)),
    json: whoSaidJson,
  },
  autocomplete,
  help: {
    summary: 'Who said what: quotes and reported statements with their speakers and sources.',
    examples: ['/who-said speaker: John Kirby', '/who-said words: we condemn the DPRK', '/who-said speaker: John Kirby topic: sanctions'],
  },
};
export default whoSaid;
