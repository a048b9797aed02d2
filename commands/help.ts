// /help [command]: what each command does, with an example, from each module's own `help`. Built from
// COMMANDS when asked, so a command added later is explained without touching this file.
import { SlashCommandBuilder } from '@discordjs/builders';
import type { APIEmbed } from 'discord-api-types/v10';
import { z } from 'zod';
import { type CommandModule, UserError } from '../src/core/command.js';
import { LIMITS, NO_MENTIONS, cut, escapeText, userCode } from '../src/render/limits.js';
import { messageToText } from '../src/render/text.js';
import { FIND_SOURCES, help as findSourcesHelp } from './find-sources.js';
import { COMMANDS } from './index.js';

export interface HelpEntry {
  name: string;
  /** How it is invoked: "/source" or "Apps → Find sources". */
  invoke: string;
  summary: string;
  examples: string[];
}
export interface HelpAnswer {
  entries: HelpEntry[];
  /** The buttons replies carry, explained once. */
  buttons: string[];
}

const BUTTONS = [
  '**First / Previous / Next / Last** turn the pages of a long answer (anyone can, on a public reply).',
  '**Pin this page** (timeline) pins the page in the channel, for members who may pin messages.',
  '**Cite sources** gives the sources as APA and MLA citations, with BibTeX and CSL-JSON files.',
  '**Post publicly** posts an answer only you could see to the channel.',
];

const options = z.object({
  command: z
    .string()
    .transform((s) => s.trim().replace(/^\//, '').toLowerCase())
    .optional(),
});
type Options = z.infer<typeof options>;

const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What each Dossier command does, with an example')
  .addStringOption((o) => o.setName('command').setDescription('Only this command').setAutocomplete(true).setMaxLength(40))
  .toJSON();

function entries(): HelpEntry[] {
  const list: HelpEntry[] = COMMANDS.map((c) => ({ name: c.name, invoke: `/${c.name}`, summary: c.help.summary, examples: c.help.examples }));
  list.push({ name: 'find sources', invoke: `Apps → ${FIND_SOURCES}`, summary: findSourcesHelp.summary, examples: findSourcesHelp.examples });
  list.push({ name: 'help', invoke: '/help', summary: 'This list; `/help command:` explains one command.', examples: ['/help command: source'] });
  return list;
}

export function answerHelp(o: Options): HelpAnswer {
  const all = entries();
  if (!o.command) return { entries: all, buttons: BUTTONS };
  const one = all.filter((e) => e.name === o.command || e.name.replace(/\s+/g, '-') === o.command);
  if (one.length === 0) throw new UserError(`There is no command called ${userCode(o.command, 40)}. Try /help for the list: ${all.map((e) => e.invoke).join(', ')}.`);
  return { entries: one, buttons: [] };
}

/** An example shown as inline code: a backtick in it cannot end the code span. */
const code = (s: string) => `\`${s.replace(/`/g, 'ʹ')}\``;

export function renderHelpDiscord(a: HelpAnswer): ReturnType<CommandModule['render']['discord']> {
  const fields = a.entries.slice(0, LIMITS.embedFields - 1).map((e) => ({
    name: cut(e.invoke, LIMITS.fieldName),
    value: cut(`${e.summary}\n${e.examples.slice(0, 3).map((x) => `e.g. ${code(x)}`).join('\n')}`, LIMITS.fieldValue),
  }));
  if (a.buttons.length) fields.push({ name: 'Buttons under answers', value: cut(a.buttons.map((b) => `• ${b}`).join('\n'), LIMITS.fieldValue) });
  const embed: APIEmbed = {
    title: a.entries.length === 1 ? `Dossier: ${escapeText(a.entries[0]!.invoke)}` : 'Dossier: ask the articles',
    description:
      a.entries.length === 1
        ? undefined
        : 'Every answer quotes the articles word for word and says which article each quote comes from. Answers with many results come in pages.',
    color: 0x4f6d8f,
    fields,
  };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}

const help: CommandModule<Options, HelpAnswer> = {
  name: 'help',
  data,
  options,
  run: (o) => answerHelp(o),
  render: {
    discord: renderHelpDiscord,
    text: (a) => messageToText(renderHelpDiscord(a)),
    json: (a) => a,
  },
  autocomplete: (_option, value) => {
    const v = value.trim().replace(/^\//, '').toLowerCase();
    return entries()
      .filter((e) => e.name.includes(v))
      .map((e) => ({ name: e.invoke, value: e.name.replace(/\s+/g, '-') }));
  },
  help: { summary: 'This list; `/help command:` explains one command.', examples: ['/help', '/help command: source'] },
};
export default help;
