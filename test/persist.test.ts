// The persisted cache: unchanged files are not extracted again, changed ones are, a corrupt or stale
// cache is rebuilt, and answers are the same with and without it.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerSource } from '../src/answers/source.js';
import { ARTICLES_FILE, CACHE_FORMAT, INDEX_FILE, openDossier } from '../src/core/cache.js';
import { type BuildOptions, type Dossier, buildDossier } from '../src/core/dossier.js';
import type { Article } from '../src/core/types.js';
import type { Extraction } from '../src/extract/types.js';
import { tempCorpus } from './helpers.js';

const A = `---
title: "Containers shipped north"
outlet: Yonhap
published: 2023-10-14
---
North Korea shipped 1,000 containers of munitions to Russia on Oct. 13, officials said.

"We are watching closely," John Kirby said. The shipments crossed by rail.
`;
const B = `---
title: "Rail traffic rises"
outlet: Reuters
published: 2023-10-17
---
Satellite images showed rail traffic between Pyongyang and Moscow rising in September 2023.

Analysts said the DPRK supplied artillery shells to the Kremlin.
`;
const C = `Drone strikes on Odesa

Kyiv, October 2, 2023 – Russia launched Shahed drones at Odesa overnight, Ukraine's air force said.
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const corpus = tempCorpus({ 'a.md': A, 'b.md': B, 'c.txt': C });
  const cache = mkdtempSync(join(tmpdir(), 'dossier-cache-test-'));
  dirs.push(corpus, cache);
  return { corpus, cache };
}

/** A counting extractor: cheap and deterministic, so the test is about the cache, not extraction. */
function counter() {
  const calls: string[] = [];
  const extractFn = (a: Article): Extraction => {
    calls.push(a.id);
    return { article: a.id, dates: [], events: [], statements: [] };
  };
  return { calls, extractFn };
}

const build = (corpus: string, cache: string, extra: Partial<BuildOptions> = {}) => {
  const c = counter();
  const d = buildDossier(corpus, { cache: { dir: cache }, extractFn: c.extractFn, extractorVersion: 'test-1', ...extra });
  return { d, calls: c.calls };
};

/** What answers read: the articles, extractions, problems and search results. */
function visible(d: Dossier) {
  return {
    articles: d.articles,
    extractions: [...d.extractions],
    problems: d.problems,
    answers: ['containers', 'DPRK artillery', 'drones Odesa', 'rail traffic Moscow', 'Kirby'].map((q) => answerSource(d, { query: q, limit: 5 })),
  };
}

describe('the persisted cache', () => {
  it('a start-up over an unchanged corpus re-extracts nothing and loads the saved index', () => {
    const { corpus, cache } = setup();
    const first = build(corpus, cache);
    expect(first.calls.sort()).toEqual(['a', 'b', 'c']);
    expect(first.d.build).toMatchObject({ cache: 'miss', loaded: 3, index: 'built', saved: true });

    const second = build(corpus, cache);
    expect(second.calls).toEqual([]);
    expect(second.d.build).toMatchObject({ cache: 'hit', reused: 3, loaded: 0, index: 'loaded', saved: false });
    expect(visible(second.d)).toEqual(visible(first.d));
  });

  it('a changed file is re-read and re-extracted, the others are not; added and removed files are picked up', () => {
    const { corpus, cache } = setup();
    build(corpus, cache);
    appendFileSync(join(corpus, 'b.md'), '\nThe ministry said 40 more containers were loaded on Monday.\n');
    writeFileSync(join(corpus, 'd.md'), 'Talks resume\n\nDiplomats said on Friday that talks on sanctions would resume in Geneva.\n');
    unlinkSync(join(corpus, 'c.txt'));
    const next = build(corpus, cache);
    expect(next.calls.sort()).toEqual(['b', 'd']);
    expect(next.d.build).toMatchObject({ cache: 'partial', reused: 1, loaded: 2, removed: 1, index: 'updated' });
    expect(next.d.articles.map((a) => a.id)).toEqual(['a', 'b', 'd']);
    // The updated index finds the new text and no longer the removed article's.
    expect(answerSource(next.d, { query: '40 more containers' }).passages[0]?.citation.article).toBe('b');
    expect(answerSource(next.d, { query: 'Shahed drones Odesa' }).passages.every((p) => p.citation.article !== 'c')).toBe(true);
    // …and gives what a build from the files gives.
    const cold = buildDossier(corpus, { cache: false, extractFn: counter().extractFn });
    expect(visible(next.d)).toEqual(visible(cold));
    // The next start-up is a full hit again.
    const again = build(corpus, cache);
    expect(again.calls).toEqual([]);
    expect(again.d.build?.cache).toBe('hit');
  });

  it('keeps every character of an article through the cache (quotes, Cyrillic, Korean, emoji): ASCII files for English, UTF-8 for other scripts', () => {
    const english = `Kyiv, October 2, 2023\n\n${'“We are watching closely,” the official said — at 3 p.m. on the bridge. '.repeat(60)}Кличко і 김정은 🇺🇦 ✓\n`;
    const cyrillic = `${'Україна отримала нову партію снарядів, повідомили “Укрінформ” та ТАСС. '.repeat(20)}\n`;
    for (const [text, ascii] of [[english, true], [cyrillic, false]] as const) {
      const corpus = tempCorpus({ 'u.md': text });
      const cache = mkdtempSync(join(tmpdir(), 'dossier-cache-test-'));
      dirs.push(corpus, cache);
      const first = build(corpus, cache);
      const again = build(corpus, cache);
      expect(again.d.build?.cache).toBe('hit');
      expect(again.d.articles[0]!.body).toBe(first.d.articles[0]!.body);
      expect(again.d.articles[0]!.body).toBe(text);
      expect(visible(again.d)).toEqual(visible(first.d));
      const bytes = readFileSync(join(cache, ARTICLES_FILE));
      expect(/^[\x00-\x7f]*$/.test(bytes.toString('latin1'))).toBe(ascii);
      // Other scripts are not inflated by escapes: the file is not much bigger than the text twice (body + index).
      if (!ascii) expect(bytes.length).toBeLessThan(Buffer.byteLength(text) * 3);
    }
  });

  it('a corrupt cache file is detected and rebuilt, never trusted', () => {
    const { corpus, cache } = setup();
    const first = build(corpus, cache);
    const path = join(cache, ARTICLES_FILE);
    const text = readFileSync(path, 'utf8');
    // One changed character in the payload: the checksum no longer matches.
    writeFileSync(path, text.replace('Containers shipped north', 'Containers shipped south'));
    const second = build(corpus, cache);
    expect(second.calls.sort()).toEqual(['a', 'b', 'c']);
    expect(second.d.build?.rejected.join(' ')).toMatch(/articles: corrupt \(checksum mismatch\)/);
    expect(second.d.byId.get('a')?.meta.title).toBe('Containers shipped north');
    expect(visible(second.d)).toEqual(visible(first.d));

    // Truncated, garbage, and an index file that is not JSON at all: all rebuilt.
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, 200));
    writeFileSync(join(cache, INDEX_FILE), `DOSSIER-CACHE {"format":${CACHE_FORMAT}}\n{not json`);
    const third = build(corpus, cache);
    expect(third.calls.length).toBe(3);
    expect(third.d.build?.index).toBe('built');
    expect(third.d.build?.rejected.join(' ')).toMatch(/articles: corrupt.*index: corrupt/);
    expect(visible(third.d)).toEqual(visible(first.d));
    expect(build(corpus, cache).d.build?.cache).toBe('hit');
  });

  it('a start-up that reads the cache while another thread checks it still catches changed files and corrupt bytes', async () => {
    const { corpus, cache } = setup();
    const open = (extra: Partial<BuildOptions> = {}) => {
      const c = counter();
      // workers: the cache is read on two threads even when it is small (the path a large corpus takes).
      return openDossier(corpus, { cache: { dir: cache }, extractFn: c.extractFn, extractorVersion: 'test-1', workers: 2, ...extra }).then((d) => ({ d, calls: c.calls }));
    };
    const first = await open();
    expect(first.calls.sort()).toEqual(['a', 'b', 'c']);
    const hit = await open();
    expect(hit.calls).toEqual([]);
    expect(hit.d.build).toMatchObject({ cache: 'hit', index: 'loaded', reused: 3, readAhead: true });
    expect(visible(hit.d)).toEqual(visible(first.d));

    // An edited article (its hash is computed on the other thread) is read again, the others reused.
    writeFileSync(join(corpus, 'b.md'), B.replace('artillery shells', 'rockets'));
    const edited = await open();
    expect(edited.calls).toEqual(['b']);
    expect(edited.d.build).toMatchObject({ reused: 2, loaded: 1 });

    // One changed byte in either file: the checksum does not match and nothing parsed from it is used.
    for (const file of [ARTICLES_FILE, INDEX_FILE]) {
      const path = join(cache, file);
      const text = readFileSync(path, 'utf8');
      const at = text.indexOf('Containers shipped north') >= 0 ? text.indexOf('Containers shipped north') : text.lastIndexOf('"a');
      writeFileSync(path, text.slice(0, at) + (text[at] === 'C' ? 'K' : '"b') + text.slice(at + (text[at] === 'C' ? 1 : 2)));
      const again = await open();
      expect(again.d.build?.rejected.join(' ')).toMatch(new RegExp(`${file.replace('.json', '')}: corrupt \\(checksum mismatch\\)`));
      expect(visible(again.d).answers).toEqual(visible(edited.d).answers);
      expect(again.d.byId.get('a')?.meta.title).toBe('Containers shipped north');
    }
  });

  it('two files with one id ("a.md" and "a.txt"): the first is served, the other reported, nothing crashes', async () => {
    const corpus = tempCorpus({ 'a.md': A, 'a.txt': 'Rajin harbour\n', 'b.md': B });
    const cache = mkdtempSync(join(tmpdir(), 'dossier-cache-test-'));
    dirs.push(corpus, cache);
    for (const d of [buildDossier(corpus, { cache: false }), buildDossier(corpus, { cache: { dir: cache } }), await openDossier(corpus, { cache: { dir: cache } })]) {
      expect(d.articles.map((a) => a.file.split('/').pop())).toEqual(['a.md', 'b.md']);
      expect(d.problems.find((p) => p.file.endsWith('a.txt'))?.reason).toMatch(/same id 'a' as a\.md: not served/);
      expect(answerSource(d, { query: 'containers', limit: 3 }).passages[0]?.citation.article).toBe('a');
    }
  });

  it('a cache made by another extractor version or alias table is stale and rebuilt', () => {
    const { corpus, cache } = setup();
    build(corpus, cache);
    const other = build(corpus, cache, { extractorVersion: 'test-2' });
    expect(other.calls.length).toBe(3);
    expect(other.d.build?.rejected.join(' ')).toMatch(/stale/);

    writeFileSync(join(corpus, 'aliases.yaml'), '- [Russia, the Russian side]\n');
    const withAliases = build(corpus, cache, { extractorVersion: 'test-2' });
    expect(withAliases.calls.length).toBe(3);
    expect(withAliases.d.build?.rejected.join(' ')).toMatch(/stale/);

    // A header from a future format is stale too.
    const path = join(cache, ARTICLES_FILE);
    writeFileSync(path, readFileSync(path, 'utf8').replace(`"format":${CACHE_FORMAT}`, '"format":99'));
    const future = build(corpus, cache, { extractorVersion: 'test-2' });
    expect(future.calls.length).toBe(3);
    expect(future.d.build?.rejected.join(' ')).toMatch(/articles: stale \(format 99/);
  });

  it('results are identical with and without the cache, with the real extractor', async () => {
    const { corpus, cache } = setup();
    const off = buildDossier(corpus, { cache: false });
    const cold = buildDossier(corpus, { cache: { dir: cache } });
    const warm = await openDossier(corpus, { cache: { dir: cache } });
    expect(warm.build).toMatchObject({ cache: 'hit', index: 'loaded' });
    expect(visible(cold)).toEqual(visible(off));
    expect(visible(warm)).toEqual(visible(off));
  });

  it('read-only: uses the cache but never writes it', () => {
    const { corpus, cache } = setup();
    const r = build(corpus, cache, { cache: { dir: cache, readOnly: true } });
    expect(r.d.build).toMatchObject({ saved: false });
    expect(() => readFileSync(join(cache, ARTICLES_FILE))).toThrow();
    build(corpus, cache);
    const ro = build(corpus, cache, { cache: { dir: cache, readOnly: true } });
    expect(ro.calls).toEqual([]);
  });

  it('two processes writing at once leave a complete, usable cache', async () => {
    const { corpus, cache } = setup();
    // Both builds run to their atomic rename; whichever lands last, the file is whole and valid.
    const [x, y] = await Promise.all([openDossier(corpus, { cache: { dir: cache } }), openDossier(corpus, { cache: { dir: cache } })]);
    expect(x.articles.length).toBe(3);
    expect(y.articles.length).toBe(3);
    const after = build(corpus, cache, { extractorVersion: undefined, extractFn: undefined });
    expect(after.d.build?.cache).toBe('hit');
  });

  it('cache: false builds from the files and writes nothing', () => {
    const { corpus, cache } = setup();
    const r = build(corpus, cache, { cache: false });
    expect(r.calls.length).toBe(3);
    expect(r.d.build).toMatchObject({ cache: 'off', saved: false });
    expect(() => readFileSync(join(cache, ARTICLES_FILE))).toThrow();
  });
});
