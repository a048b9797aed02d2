// Discord's limits, at and past each one, through the one module that owns them; escaping; cut markers.
import type { APIEmbed, APIInteractionResponseCallbackData } from 'discord-api-types/v10';
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ELLIPSIS,
  LIMITS,
  NO_MENTIONS,
  cutLines,
  cutQuote,
  embedsLength,
  escapeCodeBlock,
  escapeText,
  fitChoices,
  fitMessage,
  messageProblems,
  safeCut,
  userCode,
} from '../src/render/limits.js';

type Msg = APIInteractionResponseCallbackData;
const msg = (m: Partial<Msg>): Msg => ({ allowed_mentions: NO_MENTIONS, ...m });
const words = (n: number) => 'word '.repeat(Math.ceil(n / 5)).slice(0, n);
const lines = (n: number) => Array.from({ length: Math.ceil(n / 50) + 1 }, (_, i) => `line ${String(i).padStart(4, '0')} ${'x'.repeat(39)}`).join('\n').slice(0, n);
const button = (custom_id: string, label = 'Go') => ({ type: ComponentType.Button as const, custom_id, label, style: ButtonStyle.Secondary as const });
const row = (...components: ReturnType<typeof button>[]) => ({ type: ComponentType.ActionRow as const, components });

describe('each limit, at and past it', () => {
  const cases: [string, number, (n: number) => Msg, (m: Msg) => string][] = [
    ['content', LIMITS.content, (n) => msg({ content: words(n) }), (m) => m.content!],
    ['embed title', LIMITS.embedTitle, (n) => msg({ embeds: [{ title: words(n) }] }), (m) => m.embeds![0]!.title!],
    ['embed description', LIMITS.embedDescription, (n) => msg({ embeds: [{ description: lines(n) }] }), (m) => m.embeds![0]!.description!],
    ['field value', LIMITS.fieldValue, (n) => msg({ embeds: [{ fields: [{ name: 'Sources', value: lines(n) }] }] }), (m) => m.embeds![0]!.fields![0]!.value],
    ['field name', LIMITS.fieldName, (n) => msg({ embeds: [{ fields: [{ name: words(n), value: 'v' }] }] }), (m) => m.embeds![0]!.fields![0]!.name],
    ['footer', LIMITS.footer, (n) => msg({ embeds: [{ footer: { text: words(n) } }] }), (m) => m.embeds![0]!.footer!.text],
    ['button label', LIMITS.buttonLabel, (n) => msg({ components: [row(button('dz1:x', words(n)))] }), (m) => (m.components![0] as ReturnType<typeof row>).components[0]!.label],
  ];
  for (const [name, limit, make, read] of cases) {
    it(`${name}: ${limit} is kept as it is`, () => {
      const m = make(limit);
      expect(messageProblems(m)).toEqual([]);
      expect(read(fitMessage(m))).toBe(read(m));
    });
    it(`${name}: ${limit + 1} is cut to fit, and the cut is marked`, () => {
      const m = make(limit + 1);
      expect(messageProblems(m).join()).toMatch(/>|label/);
      const fitted = fitMessage(m);
      expect(messageProblems(fitted)).toEqual([]);
      expect(read(fitted).length).toBeLessThanOrEqual(limit);
      expect(read(fitted).endsWith(ELLIPSIS)).toBe(true);
    });
  }

  it('25 fields are kept; 26 become 24 and a field that says how many more there are', () => {
    const f = (n: number): APIEmbed => ({ fields: Array.from({ length: n }, (_, i) => ({ name: `F${i}`, value: 'v' })) });
    expect(fitMessage(msg({ embeds: [f(25)] })).embeds![0]!.fields).toHaveLength(25);
    expect(messageProblems(msg({ embeds: [f(26)] }))).toContain('embed 0 has 26 fields > 25');
    const fitted = fitMessage(msg({ embeds: [f(26)] })).embeds![0]!.fields!;
    expect(fitted).toHaveLength(25);
    expect(fitted[24]).toEqual({ name: ELLIPSIS, value: '2 more not shown' });
  });

  it('10 embeds are kept; the 11th is not sent', () => {
    const e = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `E${i}` }));
    expect(fitMessage(msg({ embeds: e(10) })).embeds).toHaveLength(10);
    expect(messageProblems(msg({ embeds: e(11) }))).toContain('11 embeds > 10');
    expect(fitMessage(msg({ embeds: e(11) })).embeds).toHaveLength(10);
  });

  it('6000 characters across embeds are kept; 6001 are trimmed from the end with a marker', () => {
    const two = (total: number): Msg => msg({ embeds: [{ description: lines(4000) }, { description: lines(total - 4000) }] });
    expect(embedsLength(two(6000).embeds)).toBe(6000);
    expect(messageProblems(two(6000))).toEqual([]);
    expect(fitMessage(two(6000))).toEqual(two(6000));
    const over = two(6001);
    expect(messageProblems(over)).toContain('embeds total 6001 > 6000');
    const fitted = fitMessage(over);
    expect(messageProblems(fitted)).toEqual([]);
    expect(fitted.embeds![0]!.description).toBe(over.embeds![0]!.description); // the first embed is untouched
    expect(fitted.embeds![1]!.description!.endsWith(ELLIPSIS)).toBe(true);
  });

  it('a custom_id of 100 is accepted; 101 is reported and never cut (a cut id would do something else)', () => {
    const ok = msg({ components: [row(button('x'.repeat(100)))] });
    expect(messageProblems(ok)).toEqual([]);
    const long = msg({ components: [row(button('x'.repeat(101)))] });
    expect(messageProblems(long).join()).toMatch(/custom_id .* > 100/);
    expect(() => fitMessage(long)).toThrow(/custom_id longer than 100/);
  });

  it('autocomplete: 25 choices kept, the 26th dropped; names of 100 kept, 101 cut and marked; values over 100 dropped', () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({ name: `choice ${i}`, value: `v${i}` }));
    expect(fitChoices(choices)).toHaveLength(25);
    const [exact] = fitChoices([{ name: 'n'.repeat(100), value: 'a' }]);
    expect(exact!.name).toHaveLength(100);
    const [cut] = fitChoices([{ name: words(101), value: 'a' }]);
    expect(cut!.name.length).toBeLessThanOrEqual(100);
    expect(cut!.name.endsWith(ELLIPSIS)).toBe(true);
    expect(fitChoices([{ name: 'ok', value: 'v'.repeat(100) }])).toHaveLength(1);
    expect(fitChoices([{ name: 'too long', value: 'v'.repeat(101) }])).toEqual([]);
  });

  it('every reply is made unable to ping', () => {
    expect(fitMessage({ content: 'hi', allowed_mentions: { parse: ['everyone' as never] } }).allowed_mentions).toEqual({ parse: [] });
    expect(messageProblems({ content: 'hi' })).toContain('allowed_mentions must be { parse: [] }');
  });

  it('any message, however long, fits after fitMessage (property)', () => {
    const text = (max: number) => fc.string({ maxLength: max, unit: fc.constantFrom('a', ' ', '\n', '*', '\\', '😀', 'é', '>') });
    const embed = fc.record({
      title: fc.option(text(400), { nil: undefined }),
      description: fc.option(text(5000), { nil: undefined }),
      footer: fc.option(fc.record({ text: text(2500) }), { nil: undefined }),
      fields: fc.option(fc.array(fc.record({ name: text(300).map((s) => s || 'n'), value: text(1300).map((s) => s || 'v') }), { maxLength: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(embed, { maxLength: 12 }), text(2500), (embeds, content) => {
        const m = { content, embeds: embeds.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined))) as APIEmbed[] };
        expect(messageProblems(fitMessage(m))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('escaping: text from articles and users shows as written', () => {
  it('cannot ping: @everyone, @here, user, role and channel mentions are broken with a zero-width space', () => {
    const s = escapeText('@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> </cmd:1>');
    expect(s).not.toMatch(/@everyone|@here|<@\d|<@!|<@&|<#\d|<\/c/);
    expect(s.replace(/\u200b/g, '')).toBe('@everyone @here <@123456789012345678> <@!123456789012345678> <@&123456789012345678> <#123456789012345678> </cmd:1>');
  });

  it('cannot format: bold, italics, strike, spoilers, masked links, headings, quotes and lists are escaped', () => {
    const raw = '**bold** _it_ ~~strike~~ ||spoiler|| [click](https://evil.example) `code`';
    const s = escapeText(raw);
    expect(s).toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\| \\[click\\](https://evil.example) \\`code\\`');
    expect(escapeText('# Heading\n> quote\n- item\n-# small')).toBe('\\# Heading\n\\> quote\n\\- item\n\\-# small');
  });

  it('cannot break out of a code block', () => {
    const inside = escapeCodeBlock('title with ``` fence and a trailing `');
    expect(`\`\`\`\n${inside}\n\`\`\``.match(/```/g)).toHaveLength(2);
  });

  it('what a user typed, repeated in an error, is one inline code span: it cannot format, ping or end the span', () => {
    const typed = '**x** `y` @everyone <@&123456789012345678>\n# z ' + 'long '.repeat(40);
    const shown = userCode(typed);
    expect(shown.startsWith('`') && shown.endsWith('`')).toBe(true);
    expect(shown.slice(1, -1)).not.toMatch(/[`\n]/);
    expect(shown.length).toBeLessThanOrEqual(62);
    expect(shown).toContain('**x** ˋyˋ @everyone <@&123456789012345678> # z');
  });

  it('a cut never leaves a dangling escape or half an emoji', () => {
    const escaped = escapeText('a'.repeat(9) + '*b');
    const c = safeCut(escaped, 11); // would end on the backslash of "\*"
    expect(c.endsWith(`\\${ELLIPSIS}`)).toBe(false);
    const emoji = safeCut(`${'a '.repeat(4)}😀😀😀`, 10);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('a quote is never cut without a marker', () => {
  it('cutQuote keeps a verbatim prefix and marks the cut (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600, unit: fc.constantFrom('a', 'b', ' ', ',', ';', ' – ', '.') }), fc.integer({ min: 20, max: 500 }), (s, max) => {
        const c = cutQuote(s, max);
        expect(c.length).toBeLessThanOrEqual(Math.max(max, s.length <= max ? s.length : 0));
        if (c === s) return;
        expect(c.endsWith(ELLIPSIS)).toBe(true);
        expect(s.startsWith(c.slice(0, -1))).toBe(true);
      }),
    );
  });

  it('cutLines keeps whole lines and marks the cut (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 80 }), { maxLength: 80 }), fc.integer({ min: 10, max: 1500 }), (ls, max) => {
        const s = ls.join('\n');
        const c = cutLines(s, max);
        expect(c.length).toBeLessThanOrEqual(Math.max(max, s.length <= max ? s.length : 0));
        if (c !== s) expect(c.endsWith(ELLIPSIS)).toBe(true);
      }),
    );
  });
});
