// /compare [topic]: where the articles' figures on a topic differ or agree — counts, distances, durations,
// sums, percentages and dates — each side quoted verbatim and cited.
import { SlashCommandBuilder } from '@discordjs/builders';
import { z } from 'zod';
import { type CompareAnswer, DEFAULT_COMPARE_LIMIT, answerCompare } from '../src/answers/compare.js';
import type { CommandModule } from '../src/core/command.js';
import { comparePages, renderCompareDiscord } from '../src/render/discord/compare.js';
import { citationJson } from '../src/render/json.js';
import { messageToText } from '../src/render/text.js';
import { countOption, optionalText } from '../src/core/options.js';

export const MAX_TOPIC = 200;
export const MAX_COMPARE_LIMIT = 100;

const options = z.object({
  topic: optionalText(MAX_TOPIC),
  limit: countOption(MAX_COMPARE_LIMIT),
});
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('compare')
  .setDescription('Where the articles give different figures (counts, distances, sums, dates) on a topic')
  .addStringOption((o) => o.setName('topic').setDescription('What to compare, e.g. depot distance; empty: every figure').setMaxLength(MAX_TOPIC))
  .addIntegerOption((o) => o.setName('limit').setDescription(`How many notes (default ${DEFAULT_COMPARE_LIMIT})`).setMinValue(1).setMaxValue(MAX_COMPARE_LIMIT))
  .toJSON();

/** `compare --json`: the notes, each side with its figure and its citations. */
export function compareJson(a: CompareAnswer) {
  return {
    topic: a.topic,
    notes: a.notes.map((n) => ({
      kind: n.kind,
      about: n.about,
      dimension: n.dimension,
      summary: n.summary,
      sources: n.sources,
      sides: n.sides.map((s) => ({
        text: s.text,
        value: s.value,
        unit: s.unit,
        bound: s.bound,
        converted: s.converted,
        citations: s.citations.map(citationJson),
      })),
    })),
  };
}

const compare: CommandModule<Options, CompareAnswer> = {
  name: 'compare',
  data,
  options,
  run: (o, ctx) => answerCompare(ctx.dossier, { ...(o.topic ? { topic: o.topic } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) }),
  render: {
    discord: renderCompareDiscord,
    text: (a) => {
      const pages = Math.max(1, comparePages(a).length);
      return Array.from({ length: pages }, (_, page) => messageToText(renderCompareDiscord(a, { page }))).join('\n\n');
    },
    json: compareJson,
  },
  help: {
    summary: 'Where sources disagree: the figures (counts, distances, sums, dates) the articles give on a topic, side by side and cited.',
    examples: ['/compare topic: containers', '/compare topic: ammunition depot', '/compare'],
  },
};
export default compare;
