// A cold build over worker threads (openDossier with many files to read): the same Dossier as one built
// on the calling thread, a broken file still reported by name and line, and the cache it writes usable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../bench/corpus.js';
import { PARALLEL_MIN_FILES, openDossier } from '../src/core/cache.js';
import { type Dossier, buildDossier } from '../src/core/dossier.js';
import { processInWorkers } from '../src/corpus/pool.js';
import type { Article } from '../src/core/types.js';
import type { Extraction } from '../src/extract/types.js';

const same = (d: Dossier) => JSON.stringify([d.articles, [...d.extractions], d.problems]);

describe('building over worker threads', () => {
  let dir: string;
  let cacheDir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-pool-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'dossier-pool-cache-'));
    writeCorpus(dir, PARALLEL_MIN_FILES + 12, 7);
    // A broken article among them: unclosed front matter, reported by name and line.
    writeFileSync(join(dir, '0000-broken.md'), '---\ntitle: "Never closed"\npublished: 2023-10-14\nNo end to the front matter.\n');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('gives the same articles, extractions and problems as a build on one thread, and says it used workers', async () => {
    const pooled = await openDossier(dir, { cache: false, workers: 2 });
    expect(pooled.build?.workers).toBe(2);
    const single = buildDossier(dir, { cache: false });
    expect(single.build?.workers).toBe(0);
    expect(pooled.articles.length).toBe(PARALLEL_MIN_FILES + 12);
    expect(same(pooled)).toBe(same(single));
    // The passage index built while the workers extracted is the one a build on one thread makes.
    expect(pooled.build?.index).toBe('built');
    expect(JSON.stringify(pooled.passages.mini.toJSON()) === JSON.stringify(single.passages.mini.toJSON())).toBe(true);
    expect(JSON.stringify(pooled.passages.heads.toJSON()) === JSON.stringify(single.passages.heads.toJSON())).toBe(true);
    const broken = pooled.problems.find((p) => p.file.endsWith('0000-broken.md'));
    expect(broken?.severity).toBe('error');
    expect(broken?.line).toBeGreaterThan(0);
  }, 120_000);

  it('writes a cache the next start-up reads without extracting anything', async () => {
    const first = await openDossier(dir, { cache: { dir: cacheDir }, workers: 2 });
    expect(first.build?.saved).toBe(true);
    const again = await openDossier(dir, { cache: { dir: cacheDir }, workers: 2 });
    expect(again.build?.cache).toBe('hit');
    expect(again.build?.loaded).toBe(0);
    expect(again.build?.workers).toBe(0);
    const answers = (d: Dossier) => JSON.stringify([d.articles.map((a) => [a.file, a.meta, a.body, a.sentences]), [...d.extractions], d.problems]);
    expect(answers(again) === answers(first)).toBe(true);
  }, 120_000);

  it('reports missing files from the workers, and does every file no worker took on the calling thread, in order', async () => {
    const paths = ['a', 'b', 'c'].map((n) => join(dir, `missing-${n}.md`));
    const fallback = (p: string) => ({ problem: { file: p, line: null, reason: 'done here', severity: 'error' as const } });
    const byWorkers = await processInWorkers(paths, 1, fallback);
    expect(byWorkers.map((x) => ('problem' in x ? x.problem.file : null))).toEqual(paths);
    expect(byWorkers.every((x) => 'problem' in x && x.problem.reason !== 'done here')).toBe(true);
    const noWorkers = await processInWorkers(paths, 0, fallback);
    expect(noWorkers.map((x) => ('problem' in x ? `${x.problem.file} ${x.problem.reason}` : null))).toEqual(paths.map((p) => `${p} done here`));
  }, 60_000);

  it('gives up on a file a worker works on for too long, reports it by name, and does the rest', async () => {
    const names = ['a000001.md', 'a000002.md', 'a000003.md'].map((n) => join(dir, n));
    const here: string[] = [];
    const fallback = (p: string) => {
      here.push(p);
      return { problem: { file: p, line: null, reason: 'done here', severity: 'error' as const } };
    };
    // A limit no real extraction meets: the first file the worker takes is given up on.
    const r = await processInWorkers(names, 1, fallback, undefined, 1);
    expect('problem' in r[0]! && r[0].problem.file).toBe(names[0]);
    expect('problem' in r[0]! && r[0].problem.reason).toMatch(/took longer than .* given up on/);
    expect(r.every(Boolean)).toBe(true);
    expect(here).not.toContain(names[0]);
  }, 60_000);
});

describe('what a worker sends back', () => {
  /** One generated article file, loaded and extracted here, and what a worker would send back for it. */
  async function withArticle(name: string, check: (path: string, article: Article, x: Extraction) => Promise<void> | void): Promise<void> {
    const { loadFile } = await import('../src/corpus/load.js');
    const { extract } = await import('../src/extract/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'dossier-transfer-'));
    try {
      writeCorpus(dir, 3, 5);
      const path = join(dir, name);
      const r = loadFile(path);
      if (!('article' in r)) throw new Error(r.problem.reason);
      await check(path, r.article, extract(r.article));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is the article and extraction exactly, and a reply that does not unpack is that file\'s problem, not a crash', async () => {
    const { replyOf, fromReply } = await import('../src/corpus/transfer.js');
    await withArticle('a000001.md', (path, article, x) => {
      // Through the structured clone a worker's message goes through.
      const back = fromReply(structuredClone(replyOf(1, article, x, null)), path);
      expect(back).toEqual({ article, extraction: x, extractError: null });
      const bad = structuredClone(replyOf(1, article, x, null));
      bad.article!.sentences = [0, 1e9, 0, 0];
      expect(fromReply(bad, path)).toEqual({ problem: expect.objectContaining({ file: path, reason: expect.stringMatching(/^could not be read: sentence span out of the body/) }) });
    });
  });

  it('keeps an extraction packed as it came until it is read (a cold build saves it without packing it again), yet refuses a bad one at once', async () => {
    const { replyOf, fromReply } = await import('../src/corpus/transfer.js');
    const { packExtraction } = await import('../src/core/stored.js');
    await withArticle('a000002.md', (path, article, x) => {
      expect(x.statements.length).toBeGreaterThan(0);
      const reply = structuredClone(replyOf(1, article, x, null));
      const back = fromReply(reply, path);
      if (!('article' in back) || !back.extraction) throw new Error('no extraction');
      // Unread: written to the cache as it came from the worker, not made into objects and packed again.
      expect(packExtraction(back.extraction, back.article.body)).toBe(reply.extraction);
      // Read: the extraction itself.
      expect(back.extraction).toEqual(x);
      // A statement out of the body is that file's problem when the reply arrives, not when it is first read.
      const bad = structuredClone(replyOf(1, article, x, null));
      const s = (bad.extraction as { s: unknown[] }).s;
      s[4] = 1e9;
      expect(fromReply(bad, path)).toEqual({ problem: expect.objectContaining({ file: path, reason: expect.stringMatching(/^could not be read: a stored statement/) }) });
    });
  });
});
