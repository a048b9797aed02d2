// /who-said by words: the fast path (MiniSearch's scores in flat arrays, shared words from an index of
// quote words) must give exactly the statements, order and scores of the way it was computed before:
// mini.search's result objects over an index that also had an always-empty `passage` field, and each
// hit's quote words compared with the words asked for.
import MiniSearch from 'minisearch';
import { describe, expect, it, vi } from 'vitest';
import { FIRST, LAST, Rng, TOPICS, queries } from '../bench/corpus.js';
import { SETTLING_SEARCHES, answerWhoSaid, settlingSearchesRun, warmWhoSaid } from '../src/answers/whoSaid.js';
import type { Dossier } from '../src/core/dossier.js';
import type { Article } from '../src/core/types.js';
import { nameKey } from '../src/extract/speakers.js';
import type { Extraction, Statement } from '../src/extract/types.js';
import { DEFAULT_ALIASES } from '../src/search/aliases.js';

/** A Dossier with only what /who-said reads: articles (id, body, meta) and their statements. */
function dossier(n: number): Dossier {
  const r = new Rng(11);
  const articles: Article[] = [];
  const extractions = new Map<string, Extraction>();
  for (let i = 0; i < n; i++) {
    const id = `s${i}`;
    const t = r.pick(TOPICS);
    const quotes = Array.from({ length: r.int(1, 6) }, () =>
      r.pick([
        'We are watching it closely.',
        'This is dangerous.',
        `The reports of ${t.noun} are baseless.`,
        `We suspect that ${r.pick(t.things)} were ${r.pick(t.verbs)}.`,
        `It is a matter of grave concern, and ${r.int(1, 9) * 1000} ${r.pick(t.things)} is unsubstantiated.`,
        `${r.pick(t.things)} ${r.pick(t.verbs)} ${r.pick(['last month', 'in 2023', 'by rail'])}.`,
        'Dangerously close to a crisis, we suspected.',
      ]),
    );
    let body = '';
    const statements: Statement[] = quotes.map((quote) => {
      const start = body.length + 1;
      body += `“${quote}” `;
      return { article: id, speaker: `${r.pick(FIRST)} ${r.pick(LAST)}`, role: null, kind: 'direct', quote, at: [start, start + quote.length], passage: { start: start - 1, end: start + quote.length + 1 }, speakerKind: 'person' };
    });
    articles.push({ id, file: `${id}.md`, body, meta: { title: `T${i}`, outlet: 'Wire', published: '2023-10-01', url: null, byline: null, publishedFrom: null, extra: {} }, bodyLine: 1, paragraphs: [], sentences: [] } as unknown as Article);
    extractions.set(id, { article: id, dates: [], events: [], statements });
  }
  return { dir: '/nowhere', articles, byId: new Map(articles.map((a) => [a.id, a])), extractions, problems: [], aliases: DEFAULT_ALIASES, passages: null as never };
}

const tokensOf = (s: string) => (nameKey(s).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2 || /\d/.test(w));

/** The statements `words` found before this change: [article, quote, score], best first. */
function before(d: Dossier, words: string): [string, string, number][] {
  const all = d.articles.flatMap((a) => d.extractions.get(a.id)!.statements);
  const ms = new MiniSearch({ fields: ['quote', 'passage'], storeFields: [], searchOptions: { boost: { quote: 3 }, fuzzy: 0.2, prefix: true } });
  ms.addAll(all.map((s, id) => ({ id, quote: s.quote, passage: '' })));
  const hits = ms.search(words, { combineWith: 'OR' });
  const q = tokensOf(words);
  const best = hits[0]?.score ?? 0;
  const score = new Map<number, number>();
  for (const h of hits) {
    const allWords = new Set(tokensOf(all[h.id as number]!.quote));
    const long = [...allWords].filter((x) => x.length > 4);
    const shared = q.filter((w) => allWords.has(w) || long.some((x) => x.startsWith(w.slice(0, 5)) || w.startsWith(x.slice(0, 5)))).length;
    const cover = q.length ? shared / q.length : 0;
    if (cover >= 0.5 || (h.score >= best * 0.6 && cover >= 0.34)) score.set(h.id as number, Math.round((h.score / best) * cover * 100) / 100);
  }
  const ids = [...score.keys()].sort((a, b) => score.get(b)! - score.get(a)! || a - b);
  return ids.map((id) => [all[id]!.article, all[id]!.quote, score.get(id)!]);
}

describe('/who-said words', () => {
  const d = dossier(800);
  const asked = [
    ...new Set(queries(7, 120).words),
    'we suspect',
    'watchin it closly', // misremembered
    'dangerous crisis',
    'it we', // short words only: no word over two letters is asked
    '3000 shipping containers',
    'dange', // a word shorter than the quotes' words
    'unsubstantiated grave concern we are watching',
    'zzzz qqqq',
    'suspect suspect grave', // a word asked twice counts twice
  ];
  it('gives the same statements, in the same order, with the same scores as before', () => {
    for (const words of asked) {
      const got = answerWhoSaid(d, { words }).statements.map((s) => [s.citation.article, s.quote, s.score]);
      expect(got, words).toEqual(before(d, words));
    }
  });

  it('keeps a speaker filter on top of the words', () => {
    const all = answerWhoSaid(d, { words: 'we suspect' }).statements;
    const speaker = all[0]!.speaker;
    const bySpeaker = answerWhoSaid(d, { words: 'we suspect', speaker }).statements;
    expect(bySpeaker.length).toBeGreaterThan(0);
    expect(bySpeaker.every((s) => s.speaker === speaker)).toBe(true);
    expect(bySpeaker.map((s) => s.quote)).toEqual(all.filter((s) => s.speaker === speaker).map((s) => s.quote));
  });

  describe('the background warm-up', () => {
    const json = (x: Dossier, words: string) => JSON.stringify(answerWhoSaid(x, { words }));
    /** Runs `warm`, counting the turns of the event loop other work gets while it runs. */
    async function turnsDuring<T>(warm: () => Promise<T>): Promise<{ result: T; turns: number }> {
      let turns = 0;
      let running = true;
      const tick = () => {
        if (!running) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const result = await warm();
      running = false;
      return { result, turns };
    }

    it('makes the words index in slices, letting the event loop turn, and leaves it for the queries', async () => {
      const warmed = dossier(400);
      const { result, turns } = await turnsDuring(() => warmWhoSaid(warmed, { sliceMs: 0 }));
      expect(result.stopped).toBe(false);
      expect(result.error).toBeUndefined();
      expect(result.statements).toBeGreaterThan(1000);
      // Slices of no time: a turn after every statement's words and shown form, not one synchronous call.
      expect(turns).toBeGreaterThan(result.statements);
      // Then the settling searches by words (the search code compiled before a member asks), one per slice.
      expect(result.settled).toBe(SETTLING_SEARCHES);
      const adds = vi.spyOn(MiniSearch.prototype, 'addAll');
      try {
        const cold = dossier(400);
        for (const words of asked) expect(json(warmed, words), words).toBe(json(cold, words));
        expect(adds).toHaveBeenCalledTimes(1); // the cold Dossier's index; the warmed one had its own
      } finally {
        adds.mockRestore();
      }
    });

    it('settles once per Dossier, at its first question by words when no warm-up did', () => {
      const d = dossier(400);
      answerWhoSaid(d, { speaker: 'Kirby' });
      expect(settlingSearchesRun(d)).toBe(0);
      const first = json(d, 'we suspect');
      expect(settlingSearchesRun(d)).toBe(SETTLING_SEARCHES);
      expect(json(d, 'we suspect')).toBe(first);
      json(d, 'nuclear tests');
      expect(settlingSearchesRun(d)).toBe(SETTLING_SEARCHES);
    });

    it('keeps the index a query made while it was making its own', async () => {
      const warmed = dossier(400);
      const adds = vi.spyOn(MiniSearch.prototype, 'addAll');
      try {
        const warm = warmWhoSaid(warmed, { sliceMs: 0 });
        // A few turns in: the warm-up has added some quotes, in slices of 200, not all of them.
        while (adds.mock.calls.length < 2) await new Promise((r) => setImmediate(r));
        const n = answerWhoSaid(warmed, {}).statements.length;
        const during = json(warmed, 'we suspect'); // makes the whole index itself
        expect(adds.mock.calls.at(-1)![0]).toHaveLength(n);
        const before = adds.mock.calls.length;
        expect((await warm).stopped).toBe(false);
        // The warm-up stopped its own index at its next slice and kept the query's.
        expect(adds.mock.calls.length - before).toBeLessThanOrEqual(1);
        const calls = adds.mock.calls.length;
        expect(json(warmed, 'we suspect')).toBe(during);
        expect(adds.mock.calls.length).toBe(calls);
        const cold = dossier(400);
        for (const words of asked) expect(json(warmed, words), words).toBe(json(cold, words));
      } finally {
        adds.mockRestore();
      }
    });

    it('stops when told, partway, and the first query then makes everything itself', async () => {
      const cold = dossier(400);
      const first = dossier(400);
      expect((await warmWhoSaid(first, { stop: () => true })).stopped).toBe(true);
      for (const words of asked) expect(json(first, words), words).toBe(json(cold, words));
      // Stopped while making the quote index (after its second slice).
      const partway = dossier(400);
      const adds = vi.spyOn(MiniSearch.prototype, 'addAll');
      try {
        expect((await warmWhoSaid(partway, { sliceMs: 0, stop: () => adds.mock.calls.length >= 2 })).stopped).toBe(true);
        expect(adds).toHaveBeenCalledTimes(2);
      } finally {
        adds.mockRestore();
      }
      for (const words of asked) expect(json(partway, words), words).toBe(json(cold, words));
    });
  });
});
