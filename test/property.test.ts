// Properties of every command module, the console and the CLI under hostile and random input:
// they never throw (a UserError is fine: it becomes an ephemeral message), every Discord reply fits
// Discord's limits, every quote in every reply is verbatim from its article, and no reply can mention
// anyone. Options are generated from each command's own Discord definition, so a command added later
// is covered too. Runs are bounded (numRuns modest) so the suite stays quick.
import { cpSync } from 'node:fs';
import fc from 'fast-check';
import type { APIApplicationCommandOption, APIEmbed } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { runCli } from '../src/cli.js';
import { answerLine } from '../src/console.js';
import { type CommandContext, type CommandModule, type DiscordMessage, UserError, parseOptions, runCommand } from '../src/core/command.js';
import { type Dossier, buildDossier } from '../src/core/dossier.js';
import { fitChoices, fitMessage, messageProblems } from '../src/render/limits.js';
import { unescape } from '../src/render/text.js';
import { CORPUS, tempDir } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

/** Inputs people (and attackers) type. */
export const HOSTILE_STRINGS = [
  '',
  '   ',
  'x'.repeat(6000),
  'containers '.repeat(545),
  '!!! ??? ... ,,, ;;; ---',
  '.*+?^${}()|[]\\/',
  '(a+)+$ (?<x>a) \\1 [^]',
  '**bold** __under__ ~~strike~~ ||spoiler|| `code` ```fence``` [link](http://x) # head\n> quote\n-# small',
  '@everyone',
  '@here look',
  '<@&123456789012345678>',
  '<@123456789012345678> <@!123456789012345678> <#123456789012345678> </source:123>',
  '@everyone containers',
  'Kirby <@&123> said',
  '`@everyone`',
  '\u200b\u200c\u200d\u2060\ufeff',
  'containers\u200b\u200bKirby',
  '\u202eKirby\u202c \u2066Russia\u2069',
  'مرحبا بالعالم روسيا',
  'שלום containers',
  '🚢💥🇰🇵 containers 👨‍👩‍👧',
  '\ud800 lone surrogate \udfff',
  '2023-02-30',
  '2023-13-45',
  'yesterday',
  'last Friday',
  '0000-00-00',
  '99999',
  '-1',
  '1e400',
  'NaN',
  'null',
  'undefined',
  '[object Object]',
  '__proto__',
  'constructor',
  '\n\n\n',
  '\t\r\n\u0000\u0007',
  'Kirby',
  'John Kirby',
  '1,000 containers',
  'Tikhoretsk',
  'North Korea',
  'text',
  'json',
  'csv',
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.constantFrom(...HOSTILE_STRINGS)).map(([a, b]) => `${a} ${b}`) },
);

const numberish: fc.Arbitrary<unknown> = fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(0, 1, 25, 26, 1e9, -0, 2.5, Number.NaN), hostileString);

/** Raw options for one command, from its Discord definition (subcommands flattened, as the runtime does). */
function rawOptions(mod: AnyCommand): fc.Arbitrary<Record<string, unknown>> {
  const defs = (('options' in mod.data ? mod.data.options : undefined) ?? []) as APIApplicationCommandOption[];
  const subs = defs.filter((d) => d.type === 1);
  const forOptions = (opts: APIApplicationCommandOption[]) => {
    const rec: Record<string, fc.Arbitrary<unknown>> = {};
    for (const o of opts) {
      if (o.type === 3) rec[o.name] = 'choices' in o && o.choices?.length ? fc.oneof(fc.constantFrom(...o.choices.map((c) => c.value)), hostileString) : hostileString;
      else if (o.type === 4 || o.type === 10) rec[o.name] = numberish;
      else if (o.type === 5) rec[o.name] = fc.oneof(fc.boolean(), hostileString);
      else if (o.type === 11) rec[o.name] = fc.oneof(hostileString, fc.constant('123'));
    }
    return fc.record(rec, { requiredKeys: [] });
  };
  if (subs.length === 0) return forOptions(defs);
  return fc.oneof(
    ...subs.map((s) =>
      fc.tuple(fc.boolean(), forOptions((('options' in s ? s.options : undefined) ?? []) as APIApplicationCommandOption[])).map(([named, o]) => (named ? { subcommand: s.name, ...o } : o)),
    ),
  );
}

const MENTION = /@everyone|@here|<@[!&]?\d|<#\d|<\/\w/;

function texts(m: DiscordMessage): string[] {
  const out: string[] = [];
  if (m.content) out.push(m.content);
  for (const e of (m.embeds ?? []) as APIEmbed[]) {
    for (const t of [e.title, e.description, e.footer?.text, e.author?.name]) if (t) out.push(t);
    for (const f of e.fields ?? []) out.push(f.name, f.value);
  }
  for (const row of m.components ?? []) {
    for (const c of ('components' in row ? row.components : []) as { label?: string }[]) if (c.label) out.push(c.label);
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every `quote` in an answer's JSON (with its article) is a span of that article's text. */
function jsonQuotesVerbatim(d: Dossier, value: unknown, where: string): number {
  let n = 0;
  const seen = new Set<unknown>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(walk);
    const o = v as Record<string, unknown>;
    const article = typeof o.article === 'string' ? o.article : typeof (o.citation as { article?: unknown } | undefined)?.article === 'string' ? (o.citation as { article: string }).article : null;
    if (typeof o.quote === 'string' && article) {
      const a = d.byId.get(article);
      expect(a, `${where}: quote cites unknown article ${article}`).toBeDefined();
      expect(norm(a!.body).includes(norm(o.quote)), `${where}: quote not verbatim from ${article}: ${o.quote.slice(0, 120)}`).toBe(true);
      n++;
    }
    Object.values(o).forEach(walk);
  };
  walk(value);
  return n;
}

/** Every quoted line ("> …") in a Discord message is, cut marks aside, text of some article. */
function discordQuotesVerbatim(d: Dossier, m: DiscordMessage, where: string, bodies: string): number {
  let n = 0;
  for (const t of texts(m)) {
    for (const line of t.split('\n')) {
      if (!line.startsWith('> ')) continue;
      let q = unescape(line.slice(2))
        .replace(/(\s*\*\*\[\d+\]\*\*)+\s*$/, '')
        .replace(/\s*\*\(photo caption\)\*\s*$/, '')
        .trim();
      if (q.startsWith('“') && q.endsWith('”')) q = q.slice(1, -1);
      for (const piece of q.split('…').map(norm)) {
        if (piece.length < 4) continue;
        expect(bodies.includes(piece), `${where}: quoted line not verbatim: ${piece.slice(0, 160)}`).toBe(true);
        n++;
      }
    }
  }
  return n;
}

let dossier: Dossier;
let bodies = '';
beforeAll(() => {
  // A copy of the seed corpus: /corpus remove must never touch the real one.
  const dir = tempDir('dossier-prop-');
  cpSync(CORPUS, dir, { recursive: true });
  dossier = buildDossier(dir, { cache: false });
  bodies = dossier.articles.map((a) => norm(a.body)).join('\n');
}, 120_000);

const permissions = fc.constantFrom<CommandContext['permissions']>(undefined, null, '0', '32', '8', 'garbage', 1n << 5n);

async function checkCommand(mod: AnyCommand, raw: Record<string, unknown>, perms: CommandContext['permissions'], page: number): Promise<void> {
  const where = `/${mod.name} ${JSON.stringify(raw).slice(0, 300)}`;
  let opts: unknown;
  try {
    opts = parseOptions(mod, raw);
  } catch (e) {
    expect(e, `${where}: parseOptions threw ${(e as Error).stack}`).toBeInstanceOf(UserError);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return;
  }
  let answer: unknown;
  try {
    answer = await runCommand(mod, opts, { dossier, permissions: perms, attachments: {} });
  } catch (e) {
    expect(e, `${where}: run threw ${(e as Error).stack}`).toBeInstanceOf(UserError);
    return;
  }
  for (const p of [0, page]) {
    const msg = mod.render.discord(answer, { page: p });
    // The renderer's own message already fits (the runtime's fitMessage is only a net)…
    expect(messageProblems(msg), where).toEqual([]);
    discordQuotesVerbatim(dossier, msg, where, bodies);
    // …and the reply as sent (through fitMessage, as the router sends every reply) can mention no one.
    const sent = fitMessage(msg);
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    for (const t of texts(sent)) expect(t, `${where}: raw mention`).not.toMatch(MENTION);
  }
  expect(typeof mod.render.text(answer)).toBe('string');
  const json = mod.render.json(answer);
  expect(() => JSON.stringify(json)).not.toThrow();
  jsonQuotesVerbatim(dossier, json, where);
}

describe('every command module under hostile options', () => {
  it('the verbatim checks do check: quotes in the JSON and quoted lines in Discord are found and matched', () => {
    const cases: [string, Record<string, unknown>][] = [['source', { query: '1,000 containers' }], ['who-said', { speaker: 'Kirby' }]];
    for (const [name, raw] of cases) {
      const mod = COMMANDS.find((c) => c.name === name)!;
      const answer = mod.run(parseOptions(mod, raw), { dossier });
      expect(jsonQuotesVerbatim(dossier, mod.render.json(answer), name)).toBeGreaterThanOrEqual(3);
      expect(discordQuotesVerbatim(dossier, mod.render.discord(answer), name, bodies)).toBeGreaterThanOrEqual(3);
    }
    // A quote changed by one word is caught.
    expect(() => jsonQuotesVerbatim(dossier, { article: dossier.articles[0]!.id, quote: `${dossier.articles[0]!.sentences[0]!.text} extra` }, 'x')).toThrow(/not verbatim/);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('/%s: each hostile string in each option', async (_n, mod) => {
    const defs = (('options' in mod.data ? mod.data.options : undefined) ?? []) as APIApplicationCommandOption[];
    const flat = defs.flatMap((d): { sub: string | null; o: APIApplicationCommandOption }[] =>
      d.type === 1 ? ((d.options ?? []) as APIApplicationCommandOption[]).map((o) => ({ sub: d.name, o })) : [{ sub: null, o: d }],
    );
    for (const { sub, o } of flat) {
      if (o.type === 11) continue;
      for (const s of HOSTILE_STRINGS) await checkCommand(mod, { ...(sub ? { subcommand: sub } : {}), [o.name]: s }, '32', 1);
    }
  }, 120_000);

  it.each(COMMANDS.map((c) => [c.name, c] as const))('/%s: random option sets never throw, fit Discord, quote verbatim, ping no one', async (_n, mod) => {
    await fc.assert(
      fc.asyncProperty(rawOptions(mod), permissions, fc.integer({ min: -3, max: 50 }), async (raw, perms, page) => {
        await checkCommand(mod, raw, perms, page);
      }),
      { numRuns: 40, seed: 20231014 },
    );
  }, 120_000);

  it.each(COMMANDS.filter((c) => c.autocomplete).map((c) => [c.name, c] as const))('/%s: autocomplete with hostile text never throws and fits', (_n, mod) => {
    const defs = JSON.stringify(mod.data);
    const names = [...defs.matchAll(/"name":"([\w-]+)"[^{}]*"autocomplete":true/g)].map((m) => m[1]!);
    fc.assert(
      fc.property(fc.constantFrom(...(names.length ? names : ['query'])), hostileString, (option, value) => {
        const choices = mod.autocomplete!(option, value, { dossier, permissions: '32' });
        expect(Array.isArray(choices)).toBe(true);
        const fitted = fitChoices(choices);
        expect(fitted.length).toBeLessThanOrEqual(25);
        for (const c of fitted) {
          expect(c.name.length).toBeLessThanOrEqual(100);
          expect(String(c.value).length).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

describe('the console and the CLI under hostile input', () => {
  it('the console answers any line without an internal error', async () => {
    const lines = fc.oneof(
      hostileString,
      fc.tuple(fc.constantFrom(...COMMANDS.map((c) => `/${c.name}`), '/help', '/nope', '/'), hostileString).map(([c, s]) => `${c} ${s}`),
      fc.tuple(fc.constantFrom('/source query:', '/timeline from:', '/who-said speaker:', '/corpus remove'), hostileString).map(([c, s]) => `${c} ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(lines, async (line) => {
        const out = await answerLine(line, dossier);
        expect(typeof out).toBe('string');
        expect(out).not.toMatch(/Something went wrong/);
      }),
      { numRuns: 150, seed: 42 },
    );
  }, 120_000);

  it('the CLI exits 0 or 1, never with an internal error, and --json prints JSON only on success', async () => {
    const names = COMMANDS.map((c) => c.name);
    const flags = (mod: AnyCommand) => (('options' in mod.data ? mod.data.options : undefined) ?? []).map((o) => `--${o.name.replace(/_/g, '-')}`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names, 'extract', 'check', 'nope'),
        fc.array(fc.tuple(fc.constantFrom('--query', '--limit', '--topic', '--speaker', '--from', '--to', '--article', '--json', '--bogus'), hostileString), { maxLength: 3 }),
        fc.boolean(),
        async (name, pairs, json) => {
          const mod = COMMANDS.find((c) => c.name === name);
          const known = mod ? flags(mod) : [];
          const argv = [name, ...pairs.flatMap(([f, v]) => (f === '--json' ? [f] : [known.includes(f) || !mod ? f : '--bogus', v])), ...(json ? ['--json'] : [])];
          if (name === 'check') argv.push('--corpus', dossier.dir);
          const out: string[] = [];
          const err: string[] = [];
          const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, () => dossier);
          expect([0, 1]).toContain(code);
          expect(err.join('\n'), argv.join(' ')).not.toMatch(/internal error/);
          if (code === 0 && json && name !== 'check' && !argv.includes('--help')) expect(() => JSON.parse(out.join('\n'))).not.toThrow();
          if (code === 1 && name !== 'check') expect(out).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 99 },
    );
  }, 120_000);
});
