// The shared pager: stateless custom_ids (≤ 100 characters, decodable after a restart), page buttons,
// and the asked line that carries options too long for a custom_id.
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiscordMessage } from '../src/core/command.js';
import { PUBLIC_ID, type RawOptions, askedLine, controlId, countPages, parseAskedLine, parseControl, withControls, withoutPostPublicly } from '../src/render/discord/pager.js';
import { LIMITS, NO_MENTIONS, messageProblems } from '../src/render/limits.js';

const page = (n: number): DiscordMessage => ({ embeds: [{ title: 'T', description: `page ${n}`, footer: { text: `Page ${n + 1}` } }], allowed_mentions: NO_MENTIONS });
const labelled = (m: DiscordMessage) =>
  (m.components ?? []).flatMap((r) => ('components' in r ? (r.components as { label?: string; custom_id?: string; disabled?: boolean; style?: number }[]) : []));

describe('custom_ids', () => {
  it('carry command, page and options, and decode back to them', () => {
    const id = controlId('n', 'timeline', 3, { topic: 'containers', from: '2023-09' });
    expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
    expect(parseControl(id)).toEqual({ kind: 'page', role: 'next', command: 'timeline', page: 3, options: { topic: 'containers', from: '2023-09' } });
    expect(parseControl(controlId('pin', 'timeline', 0, {}))).toEqual({ kind: 'pin', command: 'timeline', page: 0, options: {} });
    expect(parseControl(PUBLIC_ID)).toEqual({ kind: 'public' });
  });

  it('never exceed 100 characters: long options are left to the asked line (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), fc.integer({ min: 0, max: 9999 }), fc.constantFrom('f', 'p', 'n', 'l', 'pin', 'cite') as fc.Arbitrary<'f'>, (q, p, kind) => {
        const id = controlId(kind, 'who-said', p, { words: q });
        expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
        const c = parseControl(id)!;
        expect(c).not.toBeNull();
        const opts = (c as { options: RawOptions | null }).options;
        if (opts !== null) expect(opts).toEqual({ words: q });
      }),
    );
  });

  it('refuse ids that are not ours or are damaged', () => {
    for (const bad of ['', 'other:thing', 'dz1:n:timeline:x:', 'dz1:n:timeline:1:{bad json', 'dz1:n:timeline:1:[1,2]', 'dz1:zz:timeline:1:', 'dz1:n:timeline:1:{"a":{"b":1}}']) {
      expect(parseControl(bad)).toBeNull();
    }
  });
});

describe('page buttons of a very long answer', () => {
  it('turn pages past 9,999 (a 10,000-article timeline has over 20,000 pages)', () => {
    for (const page of [9_999, 10_000, 23_577, 199_999]) {
      const parsed = parseControl(controlId('l', 'timeline', page, {}));
      expect(parsed).toMatchObject({ page });
    }
  });
});

describe('the asked line', () => {
  it('reads back the options it shows (property), escaped so it cannot ping or format', () => {
    const value = fc.string({ minLength: 1, maxLength: 300 }).map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0 && !/[\u200b\u202A-\u202E\u2066-\u2069]/.test(s));
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 25 }), (query, limit) => {
        const line = askedLine('source', { query, limit });
        expect(parseAskedLine(`${line}\nother text`, 'source', ['query', 'limit'])).toEqual({ query, limit: String(limit) });
      }),
    );
    // A value that reads like other options is read back whole (a button re-runs what was asked).
    for (const query of ['containers limit: 3', 'limit: 3 query: x', 'why\\: not: \\\\ limit:', 'ends with limit:', 'query: '.repeat(3).trim()]) {
      const line = askedLine('source', { query, limit: 7 });
      expect(parseAskedLine(line, 'source', ['query', 'limit'])).toEqual({ query, limit: '7' });
    }
    expect(askedLine('source', { query: 'containers limit: 3' })).toBe('-# /source query: containers limit\\: 3');
    const line = askedLine('source', { query: '@everyone **now** <@&1234567890123456789>' });
    expect(line).toMatch(/^-# \/source query: /);
    expect(line).not.toMatch(/@everyone|\*\*now|<@&/);
  });

  it('is absent from a message of another command', () => {
    expect(parseAskedLine('-# /timeline topic: x', 'source', ['query'])).toBeNull();
  });
});

describe('page buttons', () => {
  it('counts the pages of a renderer that clamps', () => {
    expect(countPages((p) => page(Math.min(p, 4)))).toBe(5);
    expect(countPages(() => page(0))).toBe(1);
  });

  it('one page: no page buttons, only the actions', () => {
    const m = withControls(page(0), { command: 'source', options: { query: 'q' }, page: 0, pages: 1, cite: true });
    expect(labelled(m).map((b) => b.label)).toEqual(['Cite sources']);
    expect(messageProblems(m)).toEqual([]);
  });

  it('many pages: first / previous / page n of m / next / last, with the impossible ones disabled', () => {
    const first = withControls(page(0), { command: 'timeline', options: {}, page: 0, pages: 4, pin: true, postPublicly: true });
    const b = labelled(first);
    expect(b.map((x) => x.label)).toEqual(['First', 'Previous', 'Page 1 of 4', 'Next', 'Last', 'Pin this page', 'Post publicly']);
    expect(b.map((x) => x.disabled)).toEqual([true, true, true, false, false, false, false]);
    expect(parseControl(b[3]!.custom_id!)).toMatchObject({ role: 'next', page: 1 });
    expect(parseControl(b[4]!.custom_id!)).toMatchObject({ role: 'last', page: 3 });
    expect(messageProblems(first)).toEqual([]);
    const last = labelled(withControls(page(3), { command: 'timeline', options: {}, page: 3, pages: 4 }));
    expect(last.map((x) => x.disabled)).toEqual([false, false, true, true, true]);
    expect(parseControl(last[1]!.custom_id!)).toMatchObject({ role: 'prev', page: 2 });
  });

  it('Post publicly is removed from the public copy, the other buttons stay', () => {
    const m = withControls(page(0), { command: 'source', options: { query: 'q' }, page: 0, pages: 1, cite: true, postPublicly: true });
    const copy = withoutPostPublicly(m);
    expect(labelled(copy).map((b) => b.label)).toEqual(['Cite sources']);
    expect(labelled(copy)[0]!.style).toBe(ButtonStyle.Secondary);
    expect(copy.components![0]!.type).toBe(ComponentType.ActionRow);
  });
});
