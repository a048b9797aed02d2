// Hostile corpus files: each one loads or is reported by name (and line where there is one), nothing
// hangs or crashes, and the rest of the corpus keeps serving — at start-up, in `check`, and when the
// file turns up while the bot runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { answerSource } from '../src/answers/source.js';
import { UserError, parseOptions } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import type { Article } from '../src/core/types.js';
import { checkCorpus } from '../src/corpus/check.js';
import { loadFile } from '../src/corpus/load.js';
import { type DossierHolder, watchCorpus } from '../src/corpus/watch.js';
import { extract } from '../src/extract/index.js';
import { PassageIndex } from '../src/search/passages.js';
import { DEFAULT_ALIASES } from '../src/search/aliases.js';
import { messageProblems } from '../src/render/limits.js';
import { tempCorpus } from './helpers.js';

const GOOD = `---\ntitle: "Ships"\noutlet: Test Wire\npublished: 2023-10-14\n---\nThe cargo ship Angara carried containers from Rajin to Dunai on Oct. 5, 2023, officials said.\n`;
const SENTENCE = 'Officials said the freighter Lady Maria left the port of Rajin on Oct. 5, 2023.';

/** Alias bomb: each level multiplies the one before by nine (9^7 ≈ 4.8 million nodes if expanded). */
const BOMB = `---\n${['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefg'.split('').map((k, i) => {
  const prev = 'abcdefg'[i]!;
  return `${k}: &${k} [${Array(9).fill(`*${prev}`).join(',')}]`;
})].join('\n')}\ntitle: Bomb\n---\n${SENTENCE}\n`;

type Expect = { problem: RegExp; line?: number | null } | { loads: (a: Article) => void };

const utf16 = (s: string, be = false) => {
  const le = Buffer.from(s, 'utf16le');
  if (!be) return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const out = Buffer.from(le);
  for (let i = 0; i + 1 < out.length; i += 2) [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), out]);
};

const HOSTILE: Record<string, { content: string | Uint8Array; expect: Expect }> = {
  'empty.md': { content: '', expect: { problem: /the file is empty/ } },
  'whitespace.md': { content: ' \n\t\n\n  ', expect: { problem: /no text/ } },
  'binary.md': { content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), expect: { problem: /binary/ } },
  'nul.md': { content: `Title\n\nLine two.\n${SENTENCE}\u0000 and more.\n`, expect: { problem: /binary \(it has NUL bytes\)/, line: 4 } },
  'latin1.md': { content: Buffer.concat([Buffer.from('Title\n\nFirst line.\n'), Buffer.from('Caf\xe9 owners said so.\n', 'latin1')]), expect: { problem: /not valid UTF-8/, line: 4 } },
  'truncated-utf8.md': { content: Buffer.concat([Buffer.from(`Title\n\n${SENTENCE} `), Buffer.from([0xe2, 0x80])]), expect: { problem: /not valid UTF-8/, line: 3 } },
  'utf16le.md': {
    content: utf16(`Title\r\n\r\n${SENTENCE}\r\n`),
    expect: { loads: (a) => expect(a.sentences.map((s) => s.text)).toEqual([SENTENCE]) },
  },
  'utf16be.md': {
    content: utf16(`Title\n\n${SENTENCE}\n`, true),
    expect: { loads: (a) => expect(a.sentences.map((s) => s.text)).toEqual([SENTENCE]) },
  },
  'crlf.md': {
    content: `---\r\ntitle: CRLF\r\npublished: 2023-10-14\r\n---\r\n${SENTENCE}\r\n\r\nThe ship returned on Oct. 9, 2023, port records show.\r\n`,
    expect: {
      loads: (a) => {
        expect(a.meta).toMatchObject({ title: 'CRLF', published: '2023-10-14' });
        expect(a.sentences.map((s) => s.text)).toEqual([SENTENCE, 'The ship returned on Oct. 9, 2023, port records show.']);
        expect(a.body).not.toContain('\r');
      },
    },
  },
  'lone-cr.md': {
    content: `Title\r\r${SENTENCE}\rThe ship returned on Oct. 9, 2023, port records show.\r`,
    expect: { loads: (a) => expect(a.sentences.map((s) => s.text)).toEqual([SENTENCE, 'The ship returned on Oct. 9, 2023, port records show.']) } },
  'huge.md': { content: Buffer.alloc(20 * 1024 * 1024, 'a'), expect: { problem: /20\.0 MB; articles over 2 MB are not loaded/ } },
  'wrong-types.md': { content: `---\ntitle: [1, 2]\n---\n${SENTENCE}\n`, expect: { problem: /front matter field 'title'/, line: 2 } },
  'wrong-date-type.md': { content: `---\ntitle: ok\npublished: 12\n---\n${SENTENCE}\n`, expect: { problem: /front matter field 'published'/, line: 3 } },
  'impossible-date.md': { content: `---\npublished: 2023-02-30\n---\n${SENTENCE}\n`, expect: { problem: /'published' \("2023-02-30"\) is not a date/, line: 2 } },
  'object-outlet.md': { content: `---\noutlet: {a: {b: {c: 1}}}\n---\n${SENTENCE}\n`, expect: { problem: /front matter field 'outlet'/, line: 2 } },
  'yaml-bomb.md': { content: BOMB, expect: { problem: /resource exhaustion|alias/i } },
  'unclosed-fm.md': { content: `---\ntitle: never closed\n${SENTENCE}\n`, expect: { problem: /never closed/, line: 1 } },
  'nested-quotes.md': {
    content: `Title\n\n${'“'.repeat(500)}He said ${'‘“'.repeat(500)}yes${'”’'.repeat(500)}${'”'.repeat(500)}, Kim said.\n`,
    expect: { loads: (a) => expect(a.sentences.length).toBeGreaterThan(0) },
  },
  'many-quotes.md': {
    content: `Title\n\n${'He said "yes" and '.repeat(2500)}done.\n\n${'"'.repeat(5000)}\n`,
    expect: { loads: (a) => expect(a.body.split('"').length - 1).toBe(10_000) },
  },
  'no-punctuation.md': {
    content: `Title\n\n${Array.from({ length: 60_000 }, (_, i) => ['rajin', 'port', 'ship', 'cargo', 'dunai', 'wagon', 'shell'][i % 7]).join(' ')}\n`,
    expect: { loads: (a) => expect(a.sentences.length).toBeGreaterThanOrEqual(1) },
  },
  'only-markup.md': { content: '# \n\n---\n\n* * *\n\n[link](http://x)\n', expect: { loads: (a) => expect(a.sentences).toEqual([]) } },
};

function expectation(name: string, r: ReturnType<typeof loadFile>) {
  const e = HOSTILE[name]!.expect;
  if ('problem' in e) {
    expect('problem' in r, `${name} should be refused`).toBe(true);
    if (!('problem' in r)) return;
    expect(r.problem.reason).toMatch(e.problem);
    expect(r.problem.file.endsWith(name)).toBe(true);
    if (e.line !== undefined) expect(r.problem.line).toBe(e.line);
  } else {
    expect('article' in r, `${name} should load: ${'problem' in r ? r.problem.reason : ''}`).toBe(true);
    if (!('article' in r)) return;
    e.loads(r.article);
    for (const s of r.article.sentences) expect(r.article.body.slice(s.start, s.end)).toBe(s.text);
  }
}

const holders: DossierHolder[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.close();
});

describe('hostile corpus files', () => {
  const files: Record<string, string | Uint8Array> = { 'good.md': GOOD };
  for (const [n, f] of Object.entries(HOSTILE)) files[n] = f.content;
  const dir = tempCorpus(files);

  it.each(Object.keys(HOSTILE))('%s loads or is reported, with its line', (name) => {
    const r = loadFile(join(dir, name));
    expectation(name, r);
    // What loads can be extracted without throwing.
    if ('article' in r) expect(() => extract(r.article)).not.toThrow();
  });

  it('a corpus full of them still serves the good article, and names every refused file', () => {
    const d = buildDossier(dir, { cache: false });
    expect(answerSource(d, { query: 'Angara cargo ship' }).passages[0]?.citation.article).toBe('good');
    const refused = Object.entries(HOSTILE).filter(([, f]) => 'problem' in f.expect).map(([n]) => n);
    for (const n of refused) expect(d.problems.some((p) => p.file === join(dir, n) && p.severity === 'error'), n).toBe(true);
    expect(d.articles.map((a) => a.id)).toContain('good');
    // Every command answers over it without an internal error, within Discord's limits.
    for (const mod of COMMANDS) {
      if (mod.name === 'corpus') continue;
      for (const raw of [{}, { query: 'rajin port ship' }, { topic: 'yes' }, { speaker: 'Kim' }]) {
        let opts;
        try {
          opts = parseOptions(mod, raw);
        } catch (e) {
          expect(e).toBeInstanceOf(UserError);
          continue;
        }
        try {
          const answer = mod.run(opts, { dossier: d });
          expect(messageProblems(mod.render.discord(answer))).toEqual([]);
          expect(() => mod.render.text(answer)).not.toThrow();
          expect(() => JSON.stringify(mod.render.json(answer))).not.toThrow();
        } catch (e) {
          expect(e, `${mod.name} ${JSON.stringify(raw)}: ${(e as Error).stack}`).toBeInstanceOf(UserError);
        }
      }
    }
  });

  it('`check` reports each refused file with its line and does not stop at them', () => {
    const { findings } = checkCorpus(dir);
    for (const [name, f] of Object.entries(HOSTILE)) {
      if (!('problem' in f.expect)) continue;
      const mine = findings.filter((x) => x.file === join(dir, name) && x.severity === 'error');
      expect(mine.length, name).toBe(1);
      if (f.expect.line) expect(mine[0]!.line).toBe(f.expect.line);
    }
    expect(findings.some((x) => x.file.endsWith('only-markup.md') && /no sentences found/.test(x.message))).toBe(true);
    expect(findings.filter((x) => x.file.endsWith('good.md'))).toEqual([]);
  });

  it('hostile files dropped into a running corpus are reported; the good article keeps answering', async () => {
    const live = tempCorpus({ 'good.md': GOOD });
    const h = watchCorpus(live, { watch: false, pollMs: 0, build: (x) => buildDossier(x, { cache: false }) });
    holders.push(h);
    for (const n of ['binary.md', 'yaml-bomb.md', 'huge.md', 'utf16le.md', 'nested-quotes.md']) writeFileSync(join(live, n), HOSTILE[n]!.content);
    const d = await h.refresh();
    expect(h.failing().map((f) => f.file.replace(/.*\//, '')).sort()).toEqual(['binary.md', 'huge.md', 'yaml-bomb.md']);
    expect(d.articles.map((a) => a.id).sort()).toEqual(['good', 'nested-quotes', 'utf16le']);
    expect(answerSource(d, { query: 'Angara cargo ship' }).passages[0]?.citation.article).toBe('good');
    expect(answerSource(d, { query: 'Lady Maria freighter' }).passages[0]?.citation.article).toBe('utf16le');
  });

  it('a 10,000-line article loads, every line a verbatim sentence, and search finds one in the middle', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `Report number ${i} says wagon ${i * 7} carried shells to depot ${i}.`);
    const big = tempCorpus({ 'long.md': `---\ntitle: Long\npublished: 2023-10-14\n---\n${lines.join('\n')}\n` });
    const r = loadFile(join(big, 'long.md'));
    if (!('article' in r)) throw new Error(r.problem.reason);
    expect(r.article.sentences.length).toBe(10_000);
    expect(r.article.sentences[5000]!.text).toBe(lines[5000]);
    const index = new PassageIndex(DEFAULT_ALIASES);
    index.add(r.article);
    const hits = index.search('wagon 35000', 5);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => r.article.sentences[h.sentence]!.text)).toContain(lines[5000]);
  });
});
