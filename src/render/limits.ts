// Discord's limits and the text hygiene every reply needs: no pings, no markdown injection, cuts marked.
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedsTotal: 6000,
  embeds: 10,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
  actionRows: 5,
  buttonsPerRow: 5,
} as const;

/** Every reply carries this: nothing a reply says can ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] };

export const ELLIPSIS = '…';

/**
 * Escapes text so it shows as written: markdown characters, mentions (`@everyone`, `<@…>`), links' angle
 * brackets and code fences cannot take effect. Zero-width joiners are kept (emoji); bidi controls are neutralised.
 */
export function escapeText(s: string): string {
  return s
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/([\\*_~`|>#\-[\]()])/g, (m, c: string, off: number, all: string) => {
      // Only escape characters markdown could act on; hyphens only at a line start (lists), # only at line start.
      if (c === '-' || c === '#' || c === '>') return off === 0 || all[off - 1] === '\n' ? `\\${c}` : c;
      if (c === '(' || c === ')') return c;
      return `\\${c}`;
    })
    .replace(/@(everyone|here)/g, '@\u200b$1')
    .replace(/<(@[!&]?|#|\/)/g, '<\u200b$1');
}

/** Cuts to `max` characters, at a word boundary where possible, marking the cut with an ellipsis. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = max - 1;
  let at = s.lastIndexOf(' ', room);
  if (at < room * 0.6) at = room;
  return `${s.slice(0, at).trimEnd()}${ELLIPSIS}`;
}

/**
 * Cuts a verbatim quote at a clause boundary (comma, semicolon, dash) when it is too long; the kept text
 * stays verbatim and the cut is marked with an ellipsis.
 */
export function cutQuote(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = max - 1;
  const head = s.slice(0, room);
  const clause = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf(' – '), head.lastIndexOf(' — '), head.lastIndexOf(' -- '));
  if (clause >= room * 0.5) return `${s.slice(0, clause)}${ELLIPSIS}`;
  return cut(s, max);
}
