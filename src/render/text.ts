// The console's renderer: a Discord message laid out for a terminal, so a person sees what Discord would show.
import type { APIEmbed } from 'discord-api-types/v10';
import type { DiscordMessage } from '../core/command.js';

/** Undoes the markdown escaping meant for Discord, so the terminal shows the words as written. */
export function unescape(s: string): string {
  return s.replace(/\\([\\*_~`|>#\-[\]():])/g, '$1').replace(/\u200b/g, '');
}

/** Markdown links [text](url) become "text <url>"; bold/italic markers go. */
function plain(s: string): string {
  return unescape(
    s
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1 <$2>')
      .replace(/(?<!\\)\*\*(.+?)(?<!\\)\*\*/g, '$1')
      .replace(/(?<![\\*])\*(?!\*)(.+?)(?<!\\)\*/g, '$1')
      .replace(/^-# /gm, ''),
  );
}

export function embedToText(e: APIEmbed): string {
  const lines: string[] = [];
  if (e.title) lines.push(`┃ ${plain(e.title)}`, '┃');
  if (e.description) lines.push(...plain(e.description).split('\n').map((l) => `┃ ${l}`));
  for (const f of e.fields ?? []) lines.push('┃', `┃ ${plain(f.name)}`, ...plain(f.value).split('\n').map((l) => `┃   ${l}`));
  if (e.footer?.text) lines.push('┃', `┃ ${plain(e.footer.text)}`);
  return lines.join('\n');
}

export function messageToText(m: DiscordMessage): string {
  const parts: string[] = [];
  if (m.content) parts.push(plain(m.content));
  for (const e of m.embeds ?? []) parts.push(embedToText(e));
  const buttons: string[] = [];
  for (const row of m.components ?? []) {
    const children: unknown[] = 'components' in row ? (row.components as unknown[]) : [];
    for (const c of children) {
      const label = (c as { label?: unknown }).label;
      if (typeof label === 'string' && label) buttons.push(`[${label}]`);
    }
  }
  if (buttons.length) parts.push(buttons.join(' '));
  if (m.flags && (m.flags & 64) !== 0) parts.push('(only you can see this)');
  return parts.join('\n\n');
}
