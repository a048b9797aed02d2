// "Find sources": a message context-menu command (right-click a message → Apps → Find sources). It runs
// /source on the message's text, so anyone can check a claim made in the channel without retyping it.
// It is not in COMMANDS (it has no slash form, the console and the CLI have nothing to do with it); the
// Discord router and `npm run deploy` take it from here.
import { ContextMenuCommandBuilder } from '@discordjs/builders';
import { ApplicationCommandType, type APIMessage, type RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { UserError } from '../src/core/command.js';
import { MAX_QUERY } from './source.js';

export const FIND_SOURCES = 'Find sources';

export const data: RESTPostAPIContextMenuApplicationCommandsJSONBody = new ContextMenuCommandBuilder()
  .setName(FIND_SOURCES)
  .setType(ApplicationCommandType.Message)
  .toJSON();

/**
 * The /source query for a message: its text without mentions, custom emoji, links, markdown and quote
 * markers, cut at a word boundary to what /source takes. Embeds stand in when the message has no text.
 */
export function queryFromMessage(message: Pick<APIMessage, 'content' | 'embeds'>): string {
  let text = message.content ?? '';
  if (!text.trim()) text = (message.embeds ?? []).map((e) => [e.title, e.description].filter(Boolean).join(' ')).join(' ');
  text = text
    .replace(/<a?:\w+:\d+>/g, ' ') // custom emoji
    .replace(/<(?:@[!&]?|#|\/[\w -]+:)\d+>/g, ' ') // mentions, channels, slash-command mentions
    .replace(/<t:\d+(?::\w)?>/g, ' ') // timestamps
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/^\s*(?:>+|-#|#+)\s?/gm, '') // quote and heading markers
    .replace(/[*_~`|\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw new UserError('That message has no words to look for. Use it on a message that makes a claim, or try /source query: <the claim>.');
  }
  if (text.length <= MAX_QUERY) return text;
  const at = text.lastIndexOf(' ', MAX_QUERY);
  return text.slice(0, at > MAX_QUERY / 2 ? at : MAX_QUERY).trim();
}

export const help = {
  summary: 'Right-click a message (or long-press it) → Apps → Find sources: the passages that support what it says, shown only to you, with a button to post them.',
  examples: ['Apps → Find sources, on a message that says "North Korea sent 1,000 containers to Russia"'],
};
