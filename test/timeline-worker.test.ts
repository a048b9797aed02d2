// The whole corpus's timeline merged in a worker thread (as the bot warms it after start-up): the same
// events, reports and answer as the merge on the calling thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../bench/corpus.js';
import { answerTimeline, mergedInWorker, mergedTimeline, mergedTimelineAsync, reportsOf } from '../src/answers/timeline.js';
import { buildDossier } from '../src/core/dossier.js';
import { warmDossier } from '../src/discord/start.js';
import { CORPUS } from './helpers.js';

describe('merging the timeline in a worker thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-merge-'));
    writeCorpus(dir, 130, 11);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the timeline the calling thread gives', async () => {
    const inWorker = buildDossier(dir, { cache: false });
    const here = buildDossier(dir, { cache: false });
    expect(reportsOf(inWorker).length).toBeGreaterThan(2000);
    const a = await mergedTimelineAsync(inWorker, { worker: true });
    expect(mergedInWorker.has(inWorker)).toBe(true);
    // Asked again (a query, the warm-up): the same timeline, not merged again.
    expect(await mergedTimelineAsync(inWorker, { worker: true })).toBe(a);
    expect(mergedTimeline(inWorker)).toBe(a);
    const b = mergedTimeline(here);
    expect(mergedInWorker.has(here)).toBe(false);
    const shape = (t: typeof a) => t.events.map((e) => [e.date, e.end, e.precision, e.expected, e.reports.map((r) => `${r.article.id}#${r.event.sentence}`)]);
    expect(a.events.length).toBeGreaterThan(100);
    expect(shape(a)).toEqual(shape(b));
    expect(JSON.stringify(answerTimeline(inWorker))).toBe(JSON.stringify(answerTimeline(here)));
    expect(JSON.stringify(answerTimeline(inWorker, { topic: 'border crossings' }))).toBe(JSON.stringify(answerTimeline(here, { topic: 'border crossings' })));
  }, 120_000);
});

describe('warming a corpus before it serves', () => {
  it('merges the timeline and runs the other commands\' examples, saying so', async () => {
    const d = buildDossier(CORPUS, { cache: false });
    const lines: [object, string | undefined][] = [];
    const log = { info: (o: object, m?: string) => void lines.push([o, m]), debug: () => {} };
    await warmDossier(d, log as never);
    const timeline = lines.find(([, m]) => m === 'timeline warmed')?.[0] as { events: number; stopped: boolean };
    expect(timeline.events).toBeGreaterThan(10);
    expect(timeline.stopped).toBe(false);
    const warmed = lines.find(([, m]) => m === 'corpus warmed')?.[0] as { examples: number };
    expect(warmed.examples).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
