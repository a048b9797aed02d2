// The fast reader of MiniSearch's serialisation (src/search/load.ts) must give what JSON.parse then
// MiniSearch.loadJS gives — the same documents, postings and field lengths, in the same orders (the order
// of a posting map decides the order of equal-scoring results) — and must decline, not guess, on
// anything else. Start-up from the persisted index reads it this way (src/core/cache.ts readIndex).
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { queries } from '../bench/corpus.js';
import { HEAD_INDEX_OPTIONS, INDEX_OPTIONS, newPassageIndex } from '../src/core/cache.js';
import { DEFAULT_ALIASES } from '../src/search/aliases.js';
import { PackedLengths, packFieldLengths, readMiniSearch, writeMiniSearch } from '../src/search/load.js';
import { PassageIndex } from '../src/search/passages.js';
import { CORPUS, articlesIn } from './helpers.js';

const seed = () => articlesIn();

interface Internals {
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _storedFields: Map<number, unknown>;
  _index: Iterable<[string, Map<number, Map<number, number>>]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _dirtCount: number;
  _fieldIds: Record<string, number>;
}

/** Everything loadJS sets, with every Map as its entries in order. */
function state(m: MiniSearch<unknown>): unknown {
  const i = m as unknown as Internals;
  return {
    documentIds: [...i._documentIds],
    idToShortId: [...i._idToShortId],
    fieldLength: [...i._fieldLength],
    storedFields: [...i._storedFields],
    index: [...i._index].map(([term, data]) => [term, [...data].map(([f, ds]) => [f, [...ds]])]),
    avg: i._avgFieldLength,
    documentCount: i._documentCount,
    nextId: i._nextId,
    dirtCount: i._dirtCount,
    fieldIds: i._fieldIds,
  };
}

function both(text: string) {
  const fast = readMiniSearch(text, INDEX_OPTIONS);
  const slow = MiniSearch.loadJS(JSON.parse(text), INDEX_OPTIONS);
  return { fast, slow };
}

describe('readMiniSearch', () => {
  it('reads a built index as loadJS does: same state, same orders, same answers', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed()) index.add(a);
    const text = JSON.stringify(index.mini.toJSON());
    const { fast, slow } = both(text);
    expect(fast).not.toBeNull();
    expect(fast!.end).toBe(text.length);
    expect(state(fast!.mini)).toEqual(state(slow));
    const a = new PassageIndex(DEFAULT_ALIASES, fast!.mini as never, index.heads);
    const b = new PassageIndex(DEFAULT_ALIASES, slow as never, index.heads);
    for (const q of [...queries(7, 60).source, 'North Korea artillery shells Russia', 'Kirby said']) expect(a.search(q, 10)).toEqual(b.search(q, 10));
  });

  it('the index read back can be edited as one loadJS read: has, add, remove, duplicate ids refused', () => {
    const articles = seed();
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of articles) index.add(a);
    const text = JSON.stringify(index.mini.toJSON());
    const { fast, slow } = both(text);
    const a = new PassageIndex(DEFAULT_ALIASES, fast!.mini as never, index.heads);
    expect(a.mini.has(`${articles[0]!.id}#0`)).toBe(true);
    expect(a.mini.has('nope#0')).toBe(false);
    expect(() => a.mini.add(index.docsOf(articles[0]!)[0]!)).toThrow(/duplicate/i);
    for (const m of [fast!.mini, slow]) {
      m.removeAll(index.docsOf(articles[1]!) as never);
      m.add({ id: 'new#0', article: 'new', sentence: 0, text: 'Artillery shells crossed the border.', entities: '' } as never);
    }
    expect(state(fast!.mini)).toEqual(state(slow));
  });

  it('reads an index with discarded documents (dirt), removed ones and a non-ASCII term', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    const articles = seed();
    for (const a of articles) index.add(a);
    index.mini.discard(`${articles[0]!.id}#0`);
    index.remove(articles[1]!);
    index.mini.add({ id: 'x#0', article: 'x', sentence: 0, text: 'Ким Чен Ын — «снаряды» 👍 \\ "quoted"', entities: '' });
    const text = JSON.stringify(index.mini.toJSON());
    const { fast, slow } = both(text);
    expect(fast).not.toBeNull();
    expect(state(fast!.mini)).toEqual(state(slow));
    expect((fast!.mini as unknown as Internals)._dirtCount).toBeGreaterThan(0);
  });

  it('reads posting lists written out of order as loadJS orders them (ascending ids)', () => {
    const text = JSON.stringify({
      documentCount: 3,
      nextId: 3,
      documentIds: { 2: 'c', 0: 'a', 1: 'b' },
      fieldIds: { text: 0, entities: 1, title: 2, outlet: 3 },
      fieldLength: { 0: [1, 0, 1, 0], 1: [2, 0, 1, 0], 2: [1, 0, 1, 0] },
      averageFieldLength: [1.3333333333333333, 0, 1, 0],
      storedFields: {},
      dirtCount: 0,
      index: [['shell', { 0: { 2: 1, 0: 1, 1: 2 } }]],
      serializationVersion: 2,
    }).replace('{"0":"a","1":"b","2":"c"}', '{"2":"c","0":"a","1":"b"}').replace('{"0":1,"1":2,"2":1}', '{"2":1,"0":1,"1":2}');
    expect(text).toContain('{"2":1,"0":1,"1":2}');
    const { fast, slow } = both(text);
    expect(fast).not.toBeNull();
    expect(state(fast!.mini)).toEqual(state(slow));
  });

  it('reads the heads index (titles and outlets) from inside a larger payload, as the cache stores it', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed()) index.add(a);
    const heads = JSON.stringify(index.heads.toJSON());
    const text = `{"docs":[],"heads":${heads}}`;
    const start = text.indexOf('"heads":') + '"heads":'.length;
    const fast = readMiniSearch(text, HEAD_INDEX_OPTIONS, start);
    expect(fast).not.toBeNull();
    expect(text.slice(fast!.end)).toBe('}');
    expect(state(fast!.mini)).toEqual(state(MiniSearch.loadJS(JSON.parse(heads), HEAD_INDEX_OPTIONS)));
  });

  it('a malformed part read on first use fails every use with a clear error, never half a map', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed().slice(0, 1)) index.add(a);
    const text = JSON.stringify(index.mini.toJSON()).replace('"documentIds":{"0":', '"documentIds":{"x":');
    const fast = readMiniSearch(text, INDEX_OPTIONS);
    expect(fast).not.toBeNull(); // read lazily: the text's checksum is the caller's to check
    const ids = (fast!.mini as unknown as Internals)._documentIds;
    expect(() => ids.get(1)).toThrow(/search index could not be read/);
    expect(() => ids.size).toThrow(/search index could not be read/);
  });

  it('declines what it does not expect instead of guessing', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed().slice(0, 1)) index.add(a);
    const text = JSON.stringify(index.mini.toJSON());
    // Another serialisation version, a fractional frequency, a duplicate key, stored fields, broken text.
    expect(readMiniSearch(text.replace('"serializationVersion":2', '"serializationVersion":1'), INDEX_OPTIONS)).toBeNull();
    expect(readMiniSearch(text.replace(/("\d+":)1([,}])/, '$11.5$2'), INDEX_OPTIONS)).toBeNull();
    expect(readMiniSearch(text.replace(/\{"(\d+)":(\d+)\}/, '{"$1":$2,"$1":$2}'), INDEX_OPTIONS)).toBeNull();
    expect(readMiniSearch(text.replace('"storedFields":{}', '"storedFields":{"0":{"a":1}}'), INDEX_OPTIONS)).toBeNull();
    expect(readMiniSearch(text.slice(0, text.length - 40), INDEX_OPTIONS)).toBeNull();
    expect(readMiniSearch('{"documentCount":1', INDEX_OPTIONS)).toBeNull();
  });
});

describe('writeMiniSearch', () => {
  /** What writeMiniSearch emits, joined, and how many pieces it came in. */
  const written = (m: MiniSearch<any>) => {
    const pieces: string[] = [];
    writeMiniSearch(m, (p) => pieces.push(p));
    return { text: pieces.join(''), pieces: pieces.length };
  };

  it('writes exactly JSON.stringify(toJSON()) for a built index, its heads, and one edited after building', () => {
    const articles = seed();
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of articles) index.add(a);
    expect(written(index.mini).text).toBe(JSON.stringify(index.mini.toJSON()));
    expect(written(index.heads).text).toBe(JSON.stringify(index.heads.toJSON()));
    index.mini.discard(`${articles[0]!.id}#0`);
    index.remove(articles[1]!);
    index.mini.add({ id: 'x#0', article: 'x', sentence: 0, text: 'Ким Чен Ын — «снаряды» 👍 \\ "quoted" 3.5 1,000', entities: 'ent0' });
    index.add(articles[1]!);
    expect(written(index.mini).text).toBe(JSON.stringify(index.mini.toJSON()));
  });

  it('writes an index read back from its text (maps read on first use) as toJSON() would, and posting lists out of order as V8 orders them', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed()) index.add(a);
    const back = readMiniSearch(JSON.stringify(index.mini.toJSON()), INDEX_OPTIONS)!.mini;
    expect(written(back).text).toBe(JSON.stringify(back.toJSON()));
    const m = new MiniSearch<{ id: string; t: string }>({ fields: ['t'] });
    m.addAll([{ id: 'a', t: 'shell shell' }, { id: 'b', t: 'shell' }, { id: 'c', t: 'shell depot' }]);
    // A posting list whose ids are not in ascending order (as an edit can leave one).
    const postings = (m as unknown as Internals)._index;
    for (const [, fields] of postings) for (const [f, freqs] of fields) fields.set(f, new Map([...freqs].reverse()));
    expect(written(m).text).toBe(JSON.stringify(m.toJSON()));
  });

  it('hands a large index on in pieces of about 64 KB, not as one string', () => {
    const m = new MiniSearch<{ id: string; t: string }>({ fields: ['t'] });
    const words = (i: number) => Array.from({ length: 12 }, (_, k) => `w${(i * 7919 + k * 104729) % 5000}`).join(' ');
    m.addAll(Array.from({ length: 4000 }, (_, i) => ({ id: `doc-${i}`, t: words(i) })));
    const { text, pieces } = written(m);
    expect(text).toBe(JSON.stringify(m.toJSON()));
    expect(text.length).toBeGreaterThan(4 << 16);
    expect(pieces).toBeGreaterThanOrEqual(Math.floor(text.length / (1 << 16)) - 1);
    expect(pieces).toBeLessThanOrEqual(Math.ceil(text.length / (1 << 16)) + 2);
  });
});

describe('PackedLengths (field lengths read back)', () => {
  const entries = (m: Map<number, number[]>) => [...m];
  const written = (m: MiniSearch<any>) => {
    const pieces: string[] = [];
    writeMiniSearch(m, (p) => pieces.push(p));
    return { text: pieces.join('') };
  };

  it('holds an index read back as one typed array, with the entries and edits of the map loadJS makes, in its order until an entry is set again', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed()) index.add(a);
    const text = JSON.stringify(index.mini.toJSON());
    const { fast, slow } = both(text);
    const packed = (fast!.mini as unknown as Internals)._fieldLength;
    const plain = (slow as unknown as Internals)._fieldLength;
    expect(packed).toBeInstanceOf(PackedLengths);
    expect(entries(packed)).toEqual(entries(plain));
    expect(packed.size).toBe(plain.size);
    expect(packed.get(3)).toEqual(plain.get(3));
    expect(packed.get(3)).not.toBe(packed.get(3)); // a new array each time: nobody can change the packed one
    expect([packed.has(0), packed.has(plain.size), packed.get(plain.size)]).toEqual([true, false, undefined]);
    for (const m of [packed, plain]) {
      m.delete(2);
      m.set(5, [7, 1]);
      m.set(1000, [3, 0]);
      const added: number[] = [];
      m.set(1001, added);
      added[0] = 4; // MiniSearch fills the array of a document it adds after setting it
    }
    expect(packed.get(1001)).toEqual([4]);
    expect(new Set(entries(packed).map(([k]) => k))).toEqual(new Set(entries(plain).map(([k]) => k)));
    expect(new Map(entries(packed))).toEqual(new Map(entries(plain)));
    expect(packed.size).toBe(plain.size);
    const seen: number[] = [];
    packed.forEach((_, k) => seen.push(k));
    expect(seen).toEqual([...packed.keys()]);
    expect([...packed.values()]).toEqual(entries(packed).map(([, v]) => v));
    packed.clear();
    expect([packed.size, packed.has(0), entries(packed)]).toEqual([0, false, []]);
  });

  it('keeps lengths that do not pack (uneven, a missing field, too large, ids far sparser than the documents) as loadJS does', () => {
    const sparse = { 0: [1, 0], 5000: [2, 1] };
    for (const fieldLength of [{ 0: [1, 0], 1: [2] }, { 0: [1, 0], 1: [null, 1] }, { 0: [1, 0], 1: [2 ** 33, 0] }, sparse]) {
      const ids = Object.fromEntries(Object.keys(fieldLength).map((k) => [k, `d${k}`]));
      const text = JSON.stringify({ documentCount: 2, nextId: 5001, documentIds: ids, fieldIds: { text: 0, entities: 1 }, fieldLength, averageFieldLength: [1, 0], storedFields: {}, dirtCount: 0, index: [], serializationVersion: 2 });
      const { fast, slow } = both(text);
      const lengths = (fast!.mini as unknown as Internals)._fieldLength;
      expect(entries(lengths)).toEqual(entries((slow as unknown as Internals)._fieldLength));
      expect(written(fast!.mini).text).toBe(JSON.stringify(slow.toJSON()));
    }
  });

  it('packs the lengths of an index built here (as a cold build and a live update leave it), which then serializes, searches and edits as before', () => {
    const articles = seed();
    const plain = newPassageIndex(DEFAULT_ALIASES);
    const packed = newPassageIndex(DEFAULT_ALIASES);
    for (const a of articles) plain.add(a), packed.add(a);
    packFieldLengths(packed.mini);
    packFieldLengths(packed.heads);
    expect((packed.mini as unknown as Internals)._fieldLength).toBeInstanceOf(PackedLengths);
    expect(JSON.stringify(packed.mini.toJSON())).toBe(JSON.stringify(plain.mini.toJSON()));
    for (const q of ['North Korea artillery shells Russia', 'Kirby said', '1,000 containers']) expect(packed.search(q, 10)).toEqual(plain.search(q, 10));
    for (const i of [plain, packed]) {
      i.remove(articles[1]!);
      i.mini.add({ id: 'x#0', article: 'x', sentence: 0, text: 'Artillery shells crossed the border.', entities: '' });
    }
    expect(JSON.stringify(packed.mini.toJSON())).toBe(JSON.stringify(plain.mini.toJSON()));
    expect(packed.search('artillery shells border', 10)).toEqual(plain.search('artillery shells border', 10));
  });

  it('a corpus built from its files, and an index updated for a changed corpus, hold their lengths packed', async () => {
    const { buildDossier } = await import('../src/core/dossier.js');
    const { updatedPassageIndex } = await import('../src/core/cache.js');
    const d = buildDossier(CORPUS, { cache: false });
    expect((d.passages.mini as unknown as Internals)._fieldLength).toBeInstanceOf(PackedLengths);
    expect((d.passages.heads as unknown as Internals)._fieldLength).toBeInstanceOf(PackedLengths);
    const updated = await updatedPassageIndex(d.passages, d.aliases, [d.articles[0]!], [d.articles[0]!]);
    expect((updated.mini as unknown as Internals)._fieldLength).toBeInstanceOf(PackedLengths);
    expect(updated.search('1,000 containers', 5)).toEqual(d.passages.search('1,000 containers', 5));
  });

  it('a malformed length list fails every use with the same clear error, never an empty map', () => {
    const index = newPassageIndex(DEFAULT_ALIASES);
    for (const a of seed().slice(0, 1)) index.add(a);
    const text = JSON.stringify(index.mini.toJSON()).replace('"fieldLength":{"0":[', '"fieldLength":{"0":[x');
    const lengths = (readMiniSearch(text, INDEX_OPTIONS)!.mini as unknown as Internals)._fieldLength;
    for (let i = 0; i < 3; i++) {
      expect(() => lengths.get(0)).toThrow(/search index could not be read/);
      expect(() => lengths.size).toThrow(/search index could not be read/);
      expect(() => [...lengths]).toThrow(/search index could not be read/);
    }
  });
});

