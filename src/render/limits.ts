// Discord's limits and the text hygiene every reply needs: no pings, no markdown injection, cuts marked.
import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIInteractionResponseCallbackData,
} from 'discord-api-types/v10';
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

/**
 * Something a user typed, repeated in a message (an error naming what was asked for): on one line, cut,
 * as inline code, so it can neither format nor ping, nor end the code span (a backtick in it is shown as ˋ).
 */
export function userCode(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim().replace(/`/g, 'ˋ');
  return `\`${cut(one, max) || ' '}\``;
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

// ───────────────────────────── The one place that makes a message fit ─────────────────────────────

type Message = APIInteractionResponseCallbackData;

/** Never ends on a lone escaping backslash or half of a surrogate pair. */
function safeEnd(s: string): string {
  let out = s;
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  const tail = /\\+$/.exec(out);
  if (tail && tail[0].length % 2 === 1) out = out.slice(0, -1);
  return out;
}

/**
 * Cuts to `max` characters keeping whole lines where it can (so a cut never lands inside a quote's
 * markdown), and marks the cut with an ellipsis line. Falls back to {@link cut} for a single long line.
 */
export function cutLines(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = max - 2; // "\n…"
  const head = s.slice(0, room + 1);
  const at = head.lastIndexOf('\n');
  if (at > room * 0.5) return `${safeEnd(s.slice(0, at).trimEnd())}\n${ELLIPSIS}`;
  return safeCut(s, max);
}

/** {@link cut} that never leaves a broken escape or half an emoji at the cut. */
export function safeCut(s: string, max: number): string {
  if (s.length <= max) return s;
  const c = cut(s, max);
  return `${safeEnd(c.slice(0, -1))}${ELLIPSIS}`;
}

/** What Discord counts toward the 6,000 characters of a message's embeds. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function embedsLength(embeds: readonly APIEmbed[] | undefined): number {
  return (embeds ?? []).reduce((n, e) => n + embedLength(e), 0);
}

function componentsOf(m: Message): { custom_id?: string; label?: string; url?: string }[] {
  const out: { custom_id?: string; label?: string; url?: string }[] = [];
  for (const row of m.components ?? []) {
    if ('components' in row) for (const c of row.components as unknown[]) out.push(c as { custom_id?: string; label?: string });
  }
  return out;
}

/** Every Discord limit a message breaks, named; empty when it would be accepted. */
export function messageProblems(m: Message): string[] {
  const p: string[] = [];
  if ((m.content?.length ?? 0) > LIMITS.content) p.push(`content is ${m.content!.length} > ${LIMITS.content}`);
  const embeds = m.embeds ?? [];
  if (embeds.length > LIMITS.embeds) p.push(`${embeds.length} embeds > ${LIMITS.embeds}`);
  embeds.forEach((e, i) => {
    if ((e.title?.length ?? 0) > LIMITS.embedTitle) p.push(`embed ${i} title > ${LIMITS.embedTitle}`);
    if ((e.description?.length ?? 0) > LIMITS.embedDescription) p.push(`embed ${i} description > ${LIMITS.embedDescription}`);
    if ((e.fields?.length ?? 0) > LIMITS.embedFields) p.push(`embed ${i} has ${e.fields!.length} fields > ${LIMITS.embedFields}`);
    for (const f of e.fields ?? []) {
      if (f.name.length > LIMITS.fieldName) p.push(`embed ${i} field name > ${LIMITS.fieldName}`);
      if (f.value.length > LIMITS.fieldValue) p.push(`embed ${i} field value > ${LIMITS.fieldValue}`);
      if (f.name.length === 0 || f.value.length === 0) p.push(`embed ${i} has an empty field`);
    }
    if ((e.footer?.text.length ?? 0) > LIMITS.footer) p.push(`embed ${i} footer > ${LIMITS.footer}`);
    if ((e.author?.name.length ?? 0) > LIMITS.author) p.push(`embed ${i} author > ${LIMITS.author}`);
  });
  const total = embedsLength(embeds);
  if (total > LIMITS.embedsTotal) p.push(`embeds total ${total} > ${LIMITS.embedsTotal}`);
  if ((m.components?.length ?? 0) > LIMITS.actionRows) p.push(`${m.components!.length} action rows > ${LIMITS.actionRows}`);
  for (const row of m.components ?? []) {
    if ('components' in row && (row.components as unknown[]).length > LIMITS.buttonsPerRow) p.push(`a row has more than ${LIMITS.buttonsPerRow} buttons`);
  }
  const ids = new Set<string>();
  for (const c of componentsOf(m)) {
    if (c.custom_id !== undefined) {
      if (c.custom_id.length > LIMITS.customId) p.push(`custom_id ${JSON.stringify(c.custom_id)} > ${LIMITS.customId}`);
      if (ids.has(c.custom_id)) p.push(`custom_id ${JSON.stringify(c.custom_id)} is not unique`);
      ids.add(c.custom_id);
    }
    if ((c.label?.length ?? 0) > LIMITS.buttonLabel) p.push(`button label > ${LIMITS.buttonLabel}`);
  }
  if (!m.allowed_mentions || (m.allowed_mentions.parse?.length ?? 0) > 0 || m.allowed_mentions.users?.length || m.allowed_mentions.roles?.length) {
    p.push('allowed_mentions must be { parse: [] }');
  }
  return p;
}

/** One embed clamped part by part, each cut marked. */
export function fitEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = safeCut(out.title, LIMITS.embedTitle);
  if (out.description !== undefined) out.description = cutLines(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: safeCut(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: safeCut(out.author.name, LIMITS.author) };
  if (out.fields) {
    let fields = out.fields
      .filter((f) => f.name.length > 0 && f.value.length > 0)
      .map((f) => ({ ...f, name: safeCut(f.name, LIMITS.fieldName), value: cutLines(f.value, LIMITS.fieldValue) }));
    if (fields.length > LIMITS.embedFields) {
      const dropped = fields.length - (LIMITS.embedFields - 1);
      fields = [...fields.slice(0, LIMITS.embedFields - 1), { name: ELLIPSIS, value: `${dropped} more not shown` }];
    }
    out.fields = fields;
  }
  return out;
}

/**
 * Makes any message acceptable to Discord: every part within its limit (cuts marked with an ellipsis),
 * at most 10 embeds and 6,000 characters across them (trimming from the end), button labels ≤ 80,
 * and `allowed_mentions: { parse: [] }`. Renderers should page rather than rely on this; it is the net.
 * custom_ids are not cut (a cut id would do something else): an over-long one throws.
 */
export function fitMessage(m: Message): Message {
  const out: Message = { ...m, allowed_mentions: NO_MENTIONS };
  if (out.content !== undefined) out.content = cutLines(defuseMentions(out.content, false), LIMITS.content);
  if (out.embeds) {
    let embeds = out.embeds.map((e) => fitEmbed(defuseEmbed(e)));
    if (embeds.length > LIMITS.embeds) embeds = embeds.slice(0, LIMITS.embeds);
    let excess = embedsLength(embeds) - LIMITS.embedsTotal;
    for (let i = embeds.length - 1; i >= 0 && excess > 0; i--) {
      const e = { ...embeds[i]! };
      // Drop fields from the end, then shorten the description, then (not the first) drop the embed.
      while (excess > 0 && e.fields && e.fields.length > 0) {
        const f = e.fields[e.fields.length - 1]!;
        e.fields = e.fields.slice(0, -1);
        excess -= f.name.length + f.value.length;
      }
      if (excess > 0 && e.description && e.description.length > 1) {
        const keep = Math.max(1, e.description.length - excess);
        const before = e.description.length;
        e.description = cutLines(e.description, keep);
        excess -= before - e.description.length;
      }
      if (excess > 0 && i > 0) {
        excess -= embedLength(e);
        embeds = embeds.slice(0, i);
        continue;
      }
      embeds[i] = e;
    }
    out.embeds = embeds;
  }
  if (out.components) {
    out.components = out.components.slice(0, LIMITS.actionRows).map((row) => {
      if (!('components' in row)) return row;
      const r = row as APIActionRowComponent<APIComponentInMessageActionRow>;
      return {
        ...r,
        components: r.components.slice(0, LIMITS.buttonsPerRow).map((c) => {
          const cc = { ...c } as { custom_id?: string; label?: string };
          if (cc.custom_id !== undefined && cc.custom_id.length > LIMITS.customId) {
            throw new Error(`custom_id longer than ${LIMITS.customId}: ${cc.custom_id}`);
          }
          if (cc.label !== undefined) cc.label = safeCut(cc.label, LIMITS.buttonLabel);
          return cc as typeof c;
        }),
      };
    }) as typeof out.components;
  }
  return out;
}

/**
 * The net under every renderer: text a user typed (a query echoed in an embed title, say) cannot show as
 * a mention. `@everyone`, `@here` and role mentions get a zero-width space; in embeds, user and channel
 * mentions too. (Content keeps `<@id>`: the bot itself writes "posted by <@id>", which allowed_mentions
 * keeps from pinging.) Text escaped with {@link escapeText} is left as it is.
 */
export function defuseMentions(s: string, all = true): string {
  const out = s.replace(/@(everyone|here)/g, '@\u200b$1');
  return all ? out.replace(/<(@[!&]?|#|\/)(?=[\w:])/g, '<\u200b$1') : out.replace(/<@&/g, '<\u200b@&');
}

function defuseEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (out.title !== undefined) out.title = defuseMentions(out.title);
  if (out.description !== undefined) out.description = defuseMentions(out.description);
  if (out.footer) out.footer = { ...out.footer, text: defuseMentions(out.footer.text) };
  if (out.author) out.author = { ...out.author, name: defuseMentions(out.author.name) };
  if (out.fields) out.fields = out.fields.map((f) => ({ ...f, name: defuseMentions(f.name), value: defuseMentions(f.value) }));
  return out;
}

/**
 * Autocomplete choices Discord accepts: at most 25, names cut (marked) to 100; a choice whose value is
 * over 100 is dropped, since a cut value would be a different value.
 */
export function fitChoices(choices: readonly APIApplicationCommandOptionChoice[]): APIApplicationCommandOptionChoice[] {
  const out: APIApplicationCommandOptionChoice[] = [];
  for (const c of choices) {
    if (typeof c.value === 'string' && (c.value.length > LIMITS.choiceValue || c.value.length === 0)) continue;
    const name = safeCut(c.name.replace(/\s+/g, ' ').trim(), LIMITS.choiceName);
    if (!name) continue;
    out.push({ ...c, name } as APIApplicationCommandOptionChoice);
    if (out.length === LIMITS.choices) break;
  }
  return out;
}

/**
 * Text for inside a ``` code block: a run of backticks cannot close the block early (a zero-width space
 * separates them). Nothing else in a code block is markdown, so nothing else needs escaping.
 */
export function escapeCodeBlock(s: string): string {
  return s.replace(/`(?=`)/g, '`\u200b').replace(/`$/, '`\u200b');
}
