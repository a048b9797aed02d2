// /source laid out for Discord: one embed, each passage quoted verbatim (escaped, cut only with a marker)
// with a numbered citation, and the sources listed at the end.
import type { APIEmbed } from 'discord-api-types/v10';
import type { SourceAnswer } from '../../answers/source.js';
import type { DiscordMessage } from '../../core/command.js';
import { formatDate, oneLine } from '../format.js';
import { LIMITS, NO_MENTIONS, cut, cutQuote, escapeText } from '../limits.js';
import { noteLine } from './compare.js';

export const EMBED_COLOR = 0x4f6d8f;

export function renderSourceDiscord(a: SourceAnswer): DiscordMessage {
  const title = cut(`Sources for “${escapeText(oneLine(a.query))}”`, LIMITS.embedTitle);
  if (a.passages.length === 0) {
    return {
      embeds: [
        {
          title,
          color: EMBED_COLOR,
          description: cut(
            `Nothing in the ${a.searched} articles supports this.\n\nTry:\n${a.suggestions.map((s) => `• ${escapeText(s)}`).join('\n')}`,
            LIMITS.embedDescription,
          ),
        },
      ],
      allowed_mentions: NO_MENTIONS,
    };
  }
  // Sources are numbered once each, in order of first use.
  const order: string[] = [];
  for (const p of a.passages) if (!order.includes(p.citation.article)) order.push(p.citation.article);
  const sourceLines = order.map((id, i) => {
    const c = a.passages.find((p) => p.citation.article === id)!.citation;
    const name = escapeText(cut(oneLine(c.title), 120));
    const linked = c.url ? `[${name}](${c.url})` : name;
    const rest = [c.outlet ? escapeText(c.outlet) : null, c.published ? formatDate(c.published) : null].filter(Boolean).join(', ');
    return `[${i + 1}] ${linked}${rest ? ` — ${rest}` : ''}`;
  });
  let sources = sourceLines.join('\n');
  if (sources.length > LIMITS.fieldValue) sources = cut(sources, LIMITS.fieldValue);
  // Share the description between passages; each keeps at least a clause.
  const per = Math.max(200, Math.floor((LIMITS.embedDescription - 50) / a.passages.length) - 20);
  const lines: string[] = [];
  let used = 0;
  for (const p of a.passages) {
    const n = order.indexOf(p.citation.article) + 1;
    const quote = escapeText(cutQuote(oneLine(p.quote), per));
    const line = `> “${quote}”${p.caption ? ' *(photo caption)*' : ''} **[${n}]**`;
    if (used + line.length + 2 > LIMITS.embedDescription - 10) break;
    lines.push(line);
    used += line.length + 2;
  }
  // Where the passages' figures differ or agree: a few lines, differences first.
  const fields = [{ name: order.length === 1 ? 'Source' : 'Sources', value: sources }];
  const notes = (a.notes ?? []).slice(0, 3);
  if (notes.length) {
    let value = '';
    for (const n of notes) {
      const line = noteLine(n, 330, new Map(order.map((id, i) => [id, i + 1])));
      if (value.length + line.length + 1 > LIMITS.fieldValue) break;
      value += (value ? '\n' : '') + line;
    }
    if (value) fields.push({ name: 'Figures', value });
  }
  const c = a.corroboration;
  const independent = c && c.independent < c.articles ? ` (${c.independent} independent: ${c.shared.map((g) => g.label).join(', ')})` : '';
  const embed: APIEmbed = {
    title,
    color: EMBED_COLOR,
    description: lines.join('\n\n'),
    fields,
    footer: { text: cut(`${a.passages.length} passage${a.passages.length === 1 ? '' : 's'} from ${order.length} article${order.length === 1 ? '' : 's'}${independent} · quotes are verbatim`, LIMITS.footer) },
  };
  return { embeds: [embed], allowed_mentions: NO_MENTIONS };
}
