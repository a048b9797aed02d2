// /who-said: the answer layer (one speaker across articles, fuzzy words, topic), the CLI's JSON contract,
// autocomplete, the Discord pages, and the quotes scorer on the seed corpus.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import whoSaid from '../commands/who-said.js';
import { answerWhoSaid, knownSpeakers } from '../src/answers/whoSaid.js';
import { runCli } from '../src/cli.js';
import { buildDossier } from '../src/core/dossier.js';
import { LIMITS, NO_MENTIONS } from '../src/render/limits.js';
import { renderWhoSaidDiscord, whoSaidPageCount } from '../src/render/discord/whoSaid.js';
import { ROOT, SHARED, tempCorpus } from './helpers.js';

const article = (title: string, published: string, body: string) => `---\ntitle: "${title}"\noutlet: "Test Wire"\npublished: "${published}"\nurl: "https://example.org/${published}"\n---\n${body}\n`;

const dir = tempCorpus({
  'a.md': article(
    'Shipments worry Washington',
    '2023-10-13',
    'White House national-security spokesman John Kirby briefed reporters on Friday.\n\n' +
      '“We condemn the DPRK for providing Russia with this military equipment,” Kirby said.\n\n' +
      'The Kremlin said that the accusations were baseless and unfounded.',
  ),
  'b.md': article(
    'Envoy meets allies in Jakarta',
    '2023-10-17',
    'John Kirby, a spokesperson for the US National Security Council, told reporters that sanctions on the shipping firms would follow.\n\n' +
      'US envoy Sung Kim met his counterparts. North Korean leader Kim Jong Un said the drills were a rehearsal for invasion. ' +
      'Sung Kim said the allies were united against the threat.',
  ),
});
const d = buildDossier(dir);

describe('answerWhoSaid', () => {
  it('lists every statement when neither speaker nor words are given', () => {
    const a = answerWhoSaid(d, {});
    expect(a.statements.map((s) => s.speaker)).toEqual(['John Kirby', 'Kremlin', 'John Kirby', 'Kim Jong Un', 'Sung Kim']);
  });

  it('one person across articles is one speaker, found by full name, surname or alias', () => {
    for (const typed of ['John Kirby', 'kirby', 'KIRBY']) {
      const a = answerWhoSaid(d, { speaker: typed });
      expect(a.statements.map((s) => [s.kind, s.citation.article])).toEqual([
        ['direct', 'a'],
        ['reported', 'b'],
      ]);
    }
  });

  it('people who share a word stay apart', () => {
    expect(answerWhoSaid(d, { speaker: 'Sung Kim' }).statements.map((s) => s.quote)).toEqual(['the allies were united against the threat']);
    expect(answerWhoSaid(d, { speaker: 'Kim Jong Un' }).statements.map((s) => s.quote)).toEqual(['the drills were a rehearsal for invasion']);
  });

  it('finds who said a slightly misremembered phrase', () => {
    const a = answerWhoSaid(d, { words: 'we condemned the DPRK for giving Russia military equipment' });
    expect(a.statements[0]).toMatchObject({ speaker: 'John Kirby', kind: 'direct', quote: 'We condemn the DPRK for providing Russia with this military equipment,' });
    expect(a.statements[0]!.citation.quote).toContain('Kirby said.');
  });

  it('topic narrows a speaker’s statements', () => {
    expect(answerWhoSaid(d, { speaker: 'John Kirby', topic: 'sanctions' }).statements.map((s) => s.citation.article)).toEqual(['b']);
  });

  it('an unknown speaker gives nothing, with names to try', () => {
    const a = answerWhoSaid(d, { speaker: 'Kirbyy' });
    expect(a.statements).toEqual([]);
    expect(a.suggestions).toContain('John Kirby');
  });
});

describe('autocomplete', () => {
  it('offers known speakers with their counts, most first, filtered by what is typed', () => {
    const all = whoSaid.autocomplete!('speaker', '', { dossier: d });
    expect(all[0]).toEqual({ name: 'John Kirby (2)', value: 'John Kirby' });
    expect(all.map((c) => c.value)).toEqual(knownSpeakers(d).map((s) => s.name));
    expect(whoSaid.autocomplete!('speaker', 'kim', { dossier: d }).map((c) => c.value).sort()).toEqual(['Kim Jong Un', 'Sung Kim']);
  });

  it('stays within Discord’s limits on a large corpus', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      const name = `Person${String.fromCharCode(65 + (i % 26))}${i} Longname${'x'.repeat(90)}`;
      files[`f${i}.md`] = article(`Story ${i}`, '2023-10-01', `Foreign Minister ${name} said that the talks would continue next week.`);
    }
    const big = buildDossier(tempCorpus(files));
    const choices = whoSaid.autocomplete!('speaker', '', { dossier: big });
    expect(choices.length).toBe(LIMITS.choices);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
      expect(String(c.value).length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  });
});

describe('Discord pages', () => {
  it('shows each statement verbatim (escaped), quoted or reported, with speaker, role and citation', () => {
    const m = renderWhoSaidDiscord(answerWhoSaid(d, { speaker: 'Kirby' }), { page: 0 });
    expect(m.allowed_mentions).toEqual(NO_MENTIONS);
    const fields = m.embeds![0]!.fields!;
    expect(fields[0]!.name).toBe('1. John Kirby — White House national-security spokesman');
    expect(fields[0]!.value).toContain('“We condemn the DPRK for providing Russia with this military equipment,”');
    expect(fields[0]!.value).toContain('*quoted*');
    expect(fields[0]!.value).toContain('[Shipments worry Washington](https://example.org/2023-10-13)');
    expect(fields[1]!.value).toContain('*reported speech*');
  });

  it('pages are deterministic, clamped, and each stays within Discord’s limits; long words are cut with a marker', () => {
    const long = 'We will *not* stop the @everyone shipments until the war is over, and nothing will change that. '.repeat(25);
    const base = answerWhoSaid(d, { speaker: 'Kirby' });
    const one = base.statements[0]!;
    const a = { ...base, statements: Array.from({ length: 12 }, (_, i) => ({ ...one, speaker: `Speaker ${i}`, quote: long })) };
    expect(whoSaidPageCount(a)).toBe(3);
    const p1 = renderWhoSaidDiscord(a, { page: 1 });
    expect(renderWhoSaidDiscord(a, { page: 1 })).toEqual(p1);
    expect(renderWhoSaidDiscord(a, { page: 99 })).toEqual(renderWhoSaidDiscord(a, { page: 2 }));
    expect(p1.embeds![0]!.fields!.map((f) => f.name)).toEqual(['6. Speaker 5 — White House national-security spokesman', '7. Speaker 6 — White House national-security spokesman', '8. Speaker 7 — White House national-security spokesman', '9. Speaker 8 — White House national-security spokesman', '10. Speaker 9 — White House national-security spokesman']);
    for (const page of [0, 1, 2]) {
      const e = renderWhoSaidDiscord(a, { page }).embeds![0]!;
      const total = (e.title ?? '').length + (e.footer?.text ?? '').length + e.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
      expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
      for (const f of e.fields!) {
        expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
        expect(f.value).toMatch(/…”/); // cut, and the cut is marked
        expect(f.value).not.toContain('@everyone');
        expect(f.value).toContain('\\*not\\*');
      }
    }
    expect(renderWhoSaidDiscord(a, { page: 0 }).embeds![0]!.footer!.text).toContain('page 1 of 3');
  });

  it('says so when nothing matches', () => {
    const m = renderWhoSaidDiscord(answerWhoSaid(d, { words: 'zebra crossing quartz' }));
    expect(m.embeds![0]!.description).toMatch(/No statements match/);
  });
});

describe('CLI JSON contract', () => {
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join(''), err: err.join('\n') };
  }

  it('prints exactly the documented fields', async () => {
    const r = await cli(['who-said', '--speaker', 'Kirby', '--json', '--corpus', dir]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['statements']);
    expect(json.statements[0]).toEqual({
      speaker: 'John Kirby',
      role: 'White House national-security spokesman',
      kind: 'direct',
      quote: 'We condemn the DPRK for providing Russia with this military equipment,',
      citation: {
        article: 'a',
        title: 'Shipments worry Washington',
        outlet: 'Test Wire',
        published: '2023-10-13',
        url: 'https://example.org/2023-10-13',
        quote: '“We condemn the DPRK for providing Russia with this military equipment,” Kirby said.',
      },
    });
  });

  it('--words finds the speaker; with no options it lists every statement', async () => {
    const w = JSON.parse((await cli(['who-said', '--words', 'rehearsal for an invasion', '--json', '--corpus', dir])).out);
    expect(w.statements[0].speaker).toBe('Kim Jong Un');
    const all = JSON.parse((await cli(['who-said', '--json', '--corpus', dir])).out);
    expect(all.statements).toHaveLength(5);
  });
});

describe('quotes scorer on the seed corpus', () => {
  it.skipIf(!existsSync(join(SHARED, 'score', 'quotes.mjs')))('passes node ../shared/score/quotes.mjs --strict', () => {
    const out = execFileSync('node', [join(SHARED, 'score', 'quotes.mjs'), '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    expect(out).toMatch(/who-said: statements \d+/);
    expect(out).not.toMatch(/under the bar/);
  }, 180_000);
});
