// /source query:<text> [limit]: the passages that support a claim, quoted verbatim and cited.
import { SlashCommandBuilder } from '@discordjs/builders';
import { z } from 'zod';
import { DEFAULT_SOURCE_LIMIT, MAX_SOURCE_LIMIT, type SourceAnswer, answerSource } from '../src/answers/source.js';
import type { CommandModule } from '../src/core/command.js';
import { renderSourceDiscord } from '../src/render/discord/source.js';
import { sourceJson } from '../src/render/json.js';
import { messageToText } from '../src/render/text.js';
import { countOption } from '../src/core/options.js';

export const MAX_QUERY = 500;

const options = z.object({
  query: z
    .string({ error: 'give the words to look for' })
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'give the words to look for').max(MAX_QUERY, `keep it under ${MAX_QUERY} characters`))
    .refine((s) => /[\p{L}\p{N}]/u.test(s), 'needs at least one letter or number'),
  limit: countOption(MAX_SOURCE_LIMIT),
});
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('source')
  .setDescription('Find the passages in the articles that support a claim, quoted and cited')
  .addStringOption((o) => o.setName('query').setDescription('The claim or question, e.g. 1,000 containers').setRequired(true).setMaxLength(MAX_QUERY))
  .addIntegerOption((o) => o.setName('limit').setDescription(`How many passages (default ${DEFAULT_SOURCE_LIMIT})`).setMinValue(1).setMaxValue(MAX_SOURCE_LIMIT))
  .toJSON();

const source: CommandModule<Options, SourceAnswer> = {
  name: 'source',
  data,
  options,
  run: (o, ctx) => answerSource(ctx.dossier, { query: o.query, ...(o.limit !== undefined ? { limit: o.limit } : {}) }),
  render: {
    discord: renderSourceDiscord,
    text: (a) => messageToText(renderSourceDiscord(a)),
    json: sourceJson,
  },
  help: {
    summary: 'Where a claim comes from: the passages that support it, quoted verbatim with their articles.',
    examples: ['/source query: 1,000 containers', '/source query: how far is the ammunition depot from the border limit: 3'],
  },
};
export default source;
