// /who-said laid out for Discord: pages of statements, each with the words verbatim (escaped, cut only
// with a marker), whether they were quoted or reported, the speaker with role, and the citation.
// Pages are deterministic: the same answer and page number always give the same embed. The page buttons
// are added by the shared pager; this only says which page it shows and how many there are.
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { WhoSaidAnswer, WhoSaidStatement } from '../../answers/whoSaid.js';
import type { DiscordMessage, RenderOptions } from '../../core/command.js';
import { formatDate, oneLine } from '../format.js';
import { LIMITS, NO_MENTIONS, cut, cutQuote, escapeText } from '../limits.js';

export const WHO_SAID_COLOR = 0x7a5c99;
/** Statements on one page. */
export const WHO_SAID_PAGE_SIZE = 5;
/** Room for one statement's words, so that a full page stays under Discord's 6,000 characters. */
const QUOTE_ROOM = 700;

export function whoSaidPageCount(a: WhoSaidAnswer): number {
  return Math.max(1, Math.ceil(a.statements.length / WHO_SAID_PAGE_SIZE));
}

function titleOf(a: WhoSaidAnswer): string {
  const parts: string[] = [];
  if (a.words) parts.push(`Who said “${escapeText(oneLine(a.words))}”`);
  else if (a.speaker) parts.push(`What ${escapeText(oneLine(a.statements[0]?.speaker ?? a.speaker))} said`);
  else parts.push('Who said what');
  if (a.topic) parts.push(`about ${escapeText(oneLine(a.topic))}`);
  return cut(parts.join(' '), LIMITS.embedTitle);
}

function sourceOf(s: WhoSaidStatement): string {
  const c = s.citation;
  const name = escapeText(cut(oneLine(c.title), 120));
  const linked = c.url ? `[${name}](${c.url})` : `*${name}*`;
  const rest = [c.outlet ? escapeText(c.outlet) : null, c.published ? formatDate(c.published) : null].filter(Boolean).join(', ');
  return `${linked}${rest ? ` — ${rest}` : ''}`;
}

function fieldOf(s: WhoSaidStatement, n: number): APIEmbedField {
  const name = cut(`${n}. ${escapeText(oneLine(s.speaker))}${s.role ? ` — ${escapeText(oneLine(s.role))}` : ''}`, LIMITS.fieldName);
  const words = escapeText(cutQuote(oneLine(s.quote), QUOTE_ROOM));
  const said = s.kind === 'direct' ? `> “${words}”\n*quoted* · ` : `> ${words}\n*reported speech* · `;
  const value = `${said}${sourceOf(s)}`;
  return { name, value: value.length <= LIMITS.fieldValue ? value : `${said}${cut(escapeText(oneLine(s.citation.title)), 200)}` };
}

export function renderWhoSaidDiscord(a: WhoSaidAnswer, opts: RenderOptions = {}): DiscordMessage {
  const title = titleOf(a);
  if (a.statements.length === 0) {
    const lines = [
      a.speaker && a.suggestions.length
        ? `No statements by “${escapeText(oneLine(a.speaker))}” in the ${a.searched} articles. Did you mean: ${a.suggestions.map((s) => escapeText(s)).join(', ')}?`
        : `No statements match in the ${a.searched} articles.`,
      '',
      'Try:',
      '• fewer or different words (the match forgives a misremembered word)',
      '• a speaker from the list `/who-said speaker:` offers as you type',
    ];
    return { embeds: [{ title, color: WHO_SAID_COLOR, description: cut(lines.join('\n'), LIMITS.embedDescription) }], allowed_mentions: NO_MENTIONS };
  }
  const pages = whoSaidPageCount(a);
  const page = Math.min(Math.max(0, Math.floor(opts.page ?? 0)), pages - 1);
  const from = page * WHO_SAID_PAGE_SIZE;
  const items = a.statements.slice(from, from + WHO_SAID_PAGE_SIZE);
  const fields: APIEmbedField[] = [];
  let total = title.length;
  const footer = `${a.statements.length} statement${a.statements.length === 1 ? '' : 's'}${pages > 1 ? ` · page ${page + 1} of ${pages}` : ''} · words are verbatim from the articles`;
  total += footer.length;
  for (let i = 0; i < items.length; i++) {
    const f = fieldOf(items[i]!, from + i + 1);
    if (total + f.name.length + f.value.length > LIMITS.embedsTotal - 50) break;
    total += f.name.length + f.value.length;
    fields.push(f);
  }
  const embed: APIEmbed = { title, color: WHO_SAID_COLOR, fields, footer: { text: cut(footer, LIMITS.footer) } };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}
