// The buttons under every command's reply: pages (first / previous / page n of m / next / last), Pin,
// Cite and Post publicly. Their custom_ids are stateless: each carries the command, the page and the
// options it was asked with, so a button works on any replica and after a restart. When the options
// are too long for the 100 characters a custom_id may hold, the id says "@" and the options are read
// back from the "asked" line every reply carries in its content (`-# /source query: …`).
import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { DiscordMessage } from '../../core/command.js';
import { LIMITS, NO_MENTIONS, escapeText, safeCut } from '../limits.js';
import { unescape } from '../text.js';

/** Version prefix of every custom_id Dossier makes; ids without it are not ours. */
export const ID_PREFIX = 'dz1';

export type PageRole = 'first' | 'prev' | 'next' | 'last';
const ROLE_CODE: Record<PageRole, string> = { first: 'f', prev: 'p', next: 'n', last: 'l' };
const CODE_ROLE: Record<string, PageRole> = { f: 'first', p: 'prev', n: 'next', l: 'last' };

export type RawOptions = Record<string, string | number | boolean>;

/** What a button of ours asks for, decoded from its custom_id. `options: null` = read them from the message. */
export type Control =
  | { kind: 'page'; role: PageRole; command: string; page: number; options: RawOptions | null }
  | { kind: 'pin'; command: string; page: number; options: RawOptions | null }
  | { kind: 'cite'; command: string; page: number; options: RawOptions | null }
  | { kind: 'public' }
  | { kind: 'info' };

const FROM_MESSAGE = '@';

function idFor(kind: string, command: string, page: number, opts: string): string {
  return `${ID_PREFIX}:${kind}:${command}:${page}:${opts}`;
}

/** The custom_id for a control; options go in when they fit within 100 characters, else "@". */
export function controlId(kind: 'f' | 'p' | 'n' | 'l' | 'pin' | 'cite' | 'i', command: string, page: number, options: RawOptions): string {
  const json = Object.keys(options).length ? JSON.stringify(options) : '';
  const full = idFor(kind, command, page, json);
  return full.length <= LIMITS.customId ? full : idFor(kind, command, page, FROM_MESSAGE);
}

export const PUBLIC_ID = `${ID_PREFIX}:pub`;

/** Decodes one of our custom_ids; null for anything else (an old or foreign id). Never throws. */
export function parseControl(id: string): Control | null {
  if (id === PUBLIC_ID) return { kind: 'public' };
  const m = /^dz1:(f|p|n|l|pin|cite|i):([\w-]{1,32}):(\d{1,6}):(.*)$/s.exec(id);
  if (!m) return null;
  const [, code, command, pageText, opts] = m as unknown as [string, string, string, string, string];
  if (code === 'i') return { kind: 'info' };
  let options: RawOptions | null = {};
  if (opts === FROM_MESSAGE) options = null;
  else if (opts !== '') {
    try {
      const v: unknown = JSON.parse(opts);
      if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
      for (const x of Object.values(v)) if (!['string', 'number', 'boolean'].includes(typeof x)) return null;
      options = v as RawOptions;
    } catch {
      return null;
    }
  }
  const page = Number(pageText);
  if (code === 'pin' || code === 'cite') return { kind: code, command, page, options };
  return { kind: 'page', role: CODE_ROLE[code]!, command, page, options };
}

/**
 * The line that says what was asked, as the user would type it; escaped so it cannot ping or format. A
 * colon before a space or at the end of a value is escaped too (Discord shows "\\:" as ":"), so a value that reads
 * like another option ("limit: 3" in a query) is never read back as one.
 */
export function askedLine(command: string, options: RawOptions): string {
  const parts = Object.entries(options).map(([k, v]) => `${k}: ${escapeText(String(v).replace(/\s+/g, ' ')).replace(/:(?= |$)/g, '\\:')}`);
  return safeCut(`-# /${command}${parts.length ? ` ${parts.join(' ')}` : ''}`, LIMITS.content - 200);
}

/**
 * Reads the options back from a message's asked line (the inverse of {@link askedLine}), given the option
 * names the command knows. Null when the message has no asked line for `command`.
 */
export function parseAskedLine(content: string | undefined, command: string, optionNames: string[]): RawOptions | null {
  const line = (content ?? '').split('\n').find((l) => l.startsWith(`-# /${command}`));
  if (line === undefined) return null;
  // Split where an option name is followed by an unescaped ": ", then undo the escaping of each value.
  const rest = line.slice(`-# /${command}`.length).trim();
  const out: RawOptions = {};
  if (!rest || optionNames.length === 0) return out;
  const names = optionNames.map((n) => n.replace(/[^\w-]/g, '')).filter(Boolean);
  const re = new RegExp(`(?:^|\\s)(${names.join('|')}): `, 'g');
  const marks = [...rest.matchAll(re)].map((x) => ({ name: x[1]!, start: x.index!, valueStart: x.index! + x[0].length }));
  marks.forEach((mk, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.start : rest.length;
    out[mk.name] = unescapeValue(rest.slice(mk.valueStart, end).trim());
  });
  return out;
}

/** Undoes askedLine's escaping of one value: each backslash pair from the left (so "\\\\" is one backslash). */
const unescapeValue = (s: string) => unescape(s.replace(/\\([\\:])/g, (_m, c: string) => (c === ':' ? ':' : '\\\\')));

/**
 * How many pages a renderer makes: renderers clamp the page they are asked for, so the last page is the
 * first one whose rendering equals the one after it. Bounded by `max`.
 */
export function countPages(render: (page: number) => DiscordMessage, max = 200): number {
  let prev = JSON.stringify(render(0));
  for (let p = 1; p < max; p++) {
    const cur = JSON.stringify(render(p));
    if (cur === prev) return p;
    prev = cur;
  }
  return max;
}

export interface Controls {
  command: string;
  options: RawOptions;
  /** 0-based page shown. */
  page: number;
  pages: number;
  /** Show a Pin button (timeline pages). */
  pin?: boolean;
  /** Show a Cite button (answers with sources). */
  cite?: boolean;
  /** Show "Post publicly" (ephemeral replies). */
  postPublicly?: boolean;
}

function button(custom_id: string, label: string, style: ButtonStyle, disabled = false, emoji?: string): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id,
    label: safeCut(label, LIMITS.buttonLabel),
    style,
    disabled,
    ...(emoji ? { emoji: { name: emoji } } : {}),
  } as APIButtonComponent;
}

/**
 * A rendered page with its controls: the asked line as content (kept above any content the renderer
 * gave), page buttons when there is more than one page, and a row of Pin / Cite / Post publicly.
 */
export function withControls(msg: DiscordMessage, c: Controls): DiscordMessage {
  const pages = Math.max(1, c.pages);
  const page = Math.min(Math.max(0, c.page), pages - 1);
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  if (pages > 1) {
    const at = (code: 'f' | 'p' | 'n' | 'l' | 'i', p: number) => controlId(code, c.command, p, c.options);
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        button(at('f', 0), 'First', ButtonStyle.Secondary, page === 0, '⏮'),
        button(at('p', Math.max(0, page - 1)), 'Previous', ButtonStyle.Secondary, page === 0, '◀'),
        button(at('i', page), `Page ${page + 1} of ${pages}`, ButtonStyle.Secondary, true),
        button(at('n', Math.min(pages - 1, page + 1)), 'Next', ButtonStyle.Secondary, page === pages - 1, '▶'),
        button(at('l', pages - 1), 'Last', ButtonStyle.Secondary, page === pages - 1, '⏭'),
      ],
    });
  }
  const actions: APIButtonComponent[] = [];
  if (c.pin) actions.push(button(controlId('pin', c.command, page, c.options), 'Pin this page', ButtonStyle.Secondary, false, '📌'));
  if (c.cite) actions.push(button(controlId('cite', c.command, page, c.options), 'Cite sources', ButtonStyle.Secondary, false, '📚'));
  if (c.postPublicly) actions.push(button(PUBLIC_ID, 'Post publicly', ButtonStyle.Primary, false, '📣'));
  if (actions.length) rows.push({ type: ComponentType.ActionRow, components: actions });
  const asked = askedLine(c.command, c.options);
  const content = msg.content ? `${asked}\n${msg.content}` : asked;
  return { ...msg, content, components: rows, allowed_mentions: NO_MENTIONS };
}

/**
 * A message as another copy would show it, without the Post publicly button (used when an ephemeral
 * reply is posted to the channel): the same embeds, content and the other buttons.
 */
export function withoutPostPublicly(msg: DiscordMessage): DiscordMessage {
  const components = (msg.components ?? [])
    .map((row) => {
      if (!('components' in row)) return row;
      const kept = (row.components as { custom_id?: string }[]).filter((b) => b.custom_id !== PUBLIC_ID);
      return { ...row, components: kept };
    })
    .filter((row) => !('components' in row) || (row.components as unknown[]).length > 0);
  return { ...msg, components: components as DiscordMessage['components'] };
}
