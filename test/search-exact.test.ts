// The fast scoring path (src/search/exact.ts) must give exactly what MiniSearch's own search gives: the
// same documents, the same scores to the last bit, the same order between equal scores; and the passage
// index, whose titles and outlets are held once per article, must rank as MiniSearch over an index with
// them on every sentence. Checked on the seed articles and on a synthetic corpus with many repeated
// sentences (ties) and shared titles.
import { join } from 'node:path';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { FIRST, LAST, OUTLETS, PLACES, Rng, TOPICS, queries } from '../bench/corpus.js';
import { INDEX_OPTIONS, newPassageIndex } from '../src/core/cache.js';
import type { Article } from '../src/core/types.js';
import { DEFAULT_ALIASES } from '../src/search/aliases.js';
import { scoreAll } from '../src/search/exact.js';
import { BOOST, type PassageHit, rankResults } from '../src/search/passages.js';
import { articlesIn } from './helpers.js';

/** A minimal article: what the passage index reads (id, title, outlet, sentences). */
function article(id: string, title: string, outlet: string, sentences: string[]): Article {
  return { id, meta: { title, outlet }, sentences: sentences.map((text, index) => ({ index, text })) } as unknown as Article;
}

/** Template sentences with heavy repetition: many exact ties, titles that share the topic words. */
function synthetic(n: number): Article[] {
  const r = new Rng(7);
  const out: Article[] = [];
  for (let i = 0; i < n; i++) {
    const t = r.pick(TOPICS);
    const who = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    const sentences: string[] = [];
    for (let j = 0; j < r.int(3, 14); j++)
      sentences.push(
        r.pick([
          `${r.pick(PLACES)} ${r.pick(t.verbs)} ${r.int(1, 9) * 100} ${r.pick(t.things)} to ${r.pick(PLACES)}, officials said.`,
          `"We are watching it closely," said ${who}, ${r.pick(['a spokesperson', 'the minister'])}.`,
          `The ${t.noun} were ${r.pick(t.verbs)} last month by rail.`,
          `${who} called the reports of ${t.noun} baseless.`,
          `Satellite images showed ${r.pick(t.things)} near ${r.pick(PLACES)}.`,
          'Officials declined to comment.',
          `1,000 containers of ${r.pick(t.things)} crossed the border, the U.S. said.`,
        ]),
      );
    out.push(article(`a${String(i).padStart(4, '0')}`, `${r.pick(PLACES)} and ${t.noun}: ${r.pick(t.things)}`, r.pick(OUTLETS), sentences));
  }
  return out;
}

const seed = () => articlesIn();

const QUESTIONS = [
  ...queries(7, 150).source,
  '1,000 containers',
  'North Korea shipped artillery shells to Russia',
  'DPRK Kremlin munitions',
  'how far is the ammunition depot from the border',
  'satelite imagry of the port', // misspelt: fuzzy matches
  'contain contai containerz', // prefixes and fuzzy of one word, and a concept sharing four letters
  'U.S. UN EU UK',
  'Wagner Group',
  'rail', // short: no prefix, no fuzzy
  'what was the', // nothing but stop words
  `${Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')} containers`, // over 31 concepts: the first 31
];

/**
 * The ranking PassageIndex.search must give: MiniSearch's own search over an index with each article's
 * title and outlet on every one of its sentences (as the index was before titles moved to the heads
 * index), ranked by rankResults.
 */
function oracle(articles: Article[]) {
  const index = newPassageIndex(DEFAULT_ALIASES);
  const flat = new MiniSearch<Record<string, unknown>>({ ...INDEX_OPTIONS, fields: ['text', 'entities', 'title', 'outlet'] });
  for (const a of articles) flat.addAll(index.docsOf(a).map((d) => ({ ...d, title: a.meta.title, outlet: a.meta.outlet ?? '' })));
  return (q: string, limit: number) => {
    const plan = index.plan(q);
    return plan ? rankResults(flat.search(plan.query, { boost: BOOST }), plan.concepts, limit) : [];
  };
}

/**
 * The same passages in the same order with the same scores, up to the order of floating-point additions
 * (1e-12 relative): two passages whose scores are that close may trade places, and only they.
 */
function expectSameRanking(got: PassageHit[], want: PassageHit[], what: string) {
  expect(got.length, what).toBe(want.length);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  got.forEach((h, i) => {
    expect(close(h.score, want[i]!.score), `${what} #${i}: ${h.score} vs ${want[i]!.score}`).toBe(true);
    if (h.article !== want[i]!.article || h.sentence !== want[i]!.sentence) {
      // A near-tie: the passage stands next to an equal score in the expected list, or at the cut.
      const tied = want.some((w, j) => j !== i && close(w.score, want[i]!.score) && w.article === h.article && w.sentence === h.sentence);
      const atCut = close(want[want.length - 1]!.score, h.score);
      expect(tied || atCut, `${what} #${i}: ${h.article}#${h.sentence} where ${want[i]!.article}#${want[i]!.sentence} was expected`).toBe(true);
    }
  });
}

describe('PassageIndex.search ranks as MiniSearch would with titles and outlets on every sentence', () => {
  for (const [name, articles] of [
    ['seed articles', seed()],
    ['synthetic corpus with ties', synthetic(400)],
  ] as const) {
    it(`${name}: same passages, same scores, same order`, () => {
      const index = newPassageIndex(DEFAULT_ALIASES);
      for (const a of articles) index.add(a);
      const want = oracle(articles);
      for (const q of QUESTIONS) for (const limit of [1, 5, 30, 300]) expectSameRanking(index.search(q, limit), want(q, limit), `${q} (limit ${limit})`);
    });
  }

  it('after articles are removed and added again (the watcher\'s updates), the same as an index built from the result', () => {
    const articles = synthetic(60);
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of articles) index.add(a);
    for (const i of [3, 10, 11]) index.remove(articles[i]!);
    index.add(articles[10]!);
    expect(index.mini.dirtCount).toBe(0);
    const kept = [...articles.filter((_, i) => i !== 3 && i !== 10 && i !== 11), articles[10]!];
    const want = oracle(kept);
    for (const q of QUESTIONS.slice(0, 40)) expectSameRanking(index.search(q, 30), want(q, 30), q);
  });

  it('titles and outlets count for every sentence of their article: a word only in a title still finds its article', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    index.add(article('t1', 'Zircon missiles in focus', 'Reuters', ['Officials declined to comment.', 'The launch was delayed.']));
    index.add(article('t2', 'Other news', 'AP', ['Officials declined to comment.']));
    const hits = index.search('zircon', 5);
    expect(hits.map((h) => `${h.article}#${h.sentence}`)).toEqual(['t1#0', 't1#1']);
    expect(index.search('Reuters officials', 5)[0]!.article).toBe('t1');
  });

  it('a question of more than 31 concepts is searched by its first 31', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of synthetic(40)) index.add(a);
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    expect(index.plan(long)!.concepts).toHaveLength(31);
    expect(index.search(`${long} containers`, 5)).toEqual(index.search(long, 5));
  });
});

describe('scoreAll equals mini.search', () => {
  // The who-said index's kind: default tokenizer and lower-casing, prefix and fuzzy on every term.
  const r = new Rng(3);
  const docs = Array.from({ length: 3000 }, (_, id) => ({
    id,
    quote: Array.from({ length: r.int(2, 14) }, () => r.pick([...LAST, 'we', 'suspect', 'grave', 'concern', 'dangerous', 'closely', 'watching', 'baseless', ...TOPICS.map((t) => t.noun)])).join(' '),
    note: r.chance(0.3) ? r.pick(PLACES) : '',
  }));
  const mini = new MiniSearch({ fields: ['quote', 'note'], storeFields: [], searchOptions: { boost: { quote: 3 }, fuzzy: 0.2, prefix: true } });
  mini.addAll(docs);

  /** MiniSearch's results as [id, score] in its order, and the same from scoreAll. */
  const slow = (q: Query, o: SearchOptions) => mini.search(q, o).map((x) => [x.id, x.score]);
  const fast = (q: Query, o: SearchOptions) =>
    scoreAll(mini, q, o, null, (s) => {
      const pos = Array.from({ length: s.count }, (_, i) => i);
      // MiniSearch's sort: score descending, stable over its result map's order.
      pos.sort((a, b) => s.score[s.ids[b]!]! - s.score[s.ids[a]!]! || a - b);
      return pos.map((p) => [s.idOf(s.ids[p]!), s.score[s.ids[p]!]]);
    });

  const cases: [string, Query, SearchOptions][] = [
    ['one word, prefix + fuzzy from the constructor', 'suspect', { combineWith: 'OR' }],
    ['several words', 'we suspect grave concern', {}],
    ['misremembered', 'watchin it closly', { combineWith: 'OR' }],
    ['no prefix, other weights', 'dangerous baseless', { prefix: false, weights: { fuzzy: 0.1, prefix: 0.9 } }],
    ['field boosts and a field list', 'kirby grave', { fields: ['quote'], boost: { quote: 2 } }],
    ['term boost', 'kirby price', { boostTerm: (t) => (t === 'kirby' ? 3 : 1) }],
    ['nested combination', { combineWith: 'OR', queries: ['kirby', { queries: ['grave concern', 'moscow'], fields: ['note', 'quote'], prefix: false }] }, {}],
    ['nothing matches', 'zzzzzz', {}],
  ];
  for (const [name, q, o] of cases)
    it(name, () => {
      expect(fast(q, o)).toEqual(slow(q, o));
    });

  it('declines what it cannot compute exactly: AND, filters, document boosts', () => {
    expect(scoreAll(mini, 'grave concern', { combineWith: 'AND' }, null, () => 1)).toBeNull();
    expect(scoreAll(mini, 'grave', { filter: () => true }, null, () => 1)).toBeNull();
    expect(scoreAll(mini, 'grave', { boostDocument: () => 2 }, null, () => 1)).toBeNull();
  });

  it('marks the index terms and fields each document matched', () => {
    const got = scoreAll(mini, 'suspect', {}, (term, field) => (field === 'quote' && term === 'suspect' ? 1 : 0), (s) => {
      const marked = new Set<unknown>();
      for (let i = 0; i < s.count; i++) if (s.marks[s.ids[i]!]) marked.add(s.idOf(s.ids[i]!));
      return marked;
    });
    const want = new Set(mini.search('suspect').filter((x) => x.match.suspect?.includes('quote')).map((x) => x.id));
    expect(got).toEqual(want);
  });
});
