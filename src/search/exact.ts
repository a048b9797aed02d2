// MiniSearch's own scoring, without its result objects.
//
// `mini.search()` builds a result object (score, terms, match) for every document any query term matches,
// merges them, makes a second object per document, and sorts them all. With OR queries over 300,000
// sentences that is tens of thousands of objects per query, and the garbage collector's work on a
// multi-gigabyte heap on top: 100–500 ms at 10,000 articles, where the answers need only the best 30.
//
// scoreAll() computes exactly the same scores — the same BM25 formula, the same term weights (exact,
// prefix, fuzzy), the same field boosts, the same order of floating-point additions (MiniSearch sums each
// term's map first, then merges the maps of an OR one after another), the same "quality" (number of query
// terms matched) — into flat arrays indexed by MiniSearch's short document ids, and keeps the documents
// in the order MiniSearch's result map would hold them (the order its stable sort keeps between equal
// scores). It reads MiniSearch's index directly (its private fields, pinned to the 7.x layout), so it
// declines (returns null, and the caller uses mini.search) whenever it cannot promise the same answer:
// another layout, discarded documents not yet vacuumed (MiniSearch then adjusts scores as it meets them),
// AND / AND_NOT, filters, document boosts, wildcard, more than 31 distinct query terms.
// test/search-exact.test.ts compares it with mini.search on many queries.
//
// Groups: fields every member of a group shares (an article's title and outlet, the same for each of its
// sentences) can live in a second, small MiniSearch with one document per group instead of being indexed
// again with every member. scoreAll then scores them as if each member held them: the same BM25 with the
// statistics of the member index (documents matching = the members of the groups matching, the average
// length over members), added to each member in order. The scores are those of the index with the fields
// on every member, up to the order of floating-point additions for prefix and fuzzy terms (the two trees
// list derived terms in their own orders): test/search-exact.test.ts compares the rankings.
import type MiniSearch from 'minisearch';
import type { Query, SearchOptions } from 'minisearch';

/** The scores of one query: read them inside the callback given to scoreAll (the arrays are reused). */
export interface Scored {
  /** Short ids of the matching documents, in the order MiniSearch's result map holds them; the first `count` are valid. */
  readonly ids: Int32Array;
  readonly count: number;
  /** By short id: MiniSearch's score (BM25 sum × number of query terms matched), as `search()` reports it. */
  readonly score: Float64Array;
  /** By short id: the OR of `mark(derived term, field)` over every term and field the document matched. */
  readonly marks: Int32Array;
  /** The document's id as given to MiniSearch. */
  idOf(shortId: number): unknown;
  /** The short id of a document's id, if it is in the index. */
  shortOf(id: unknown): number | undefined;
}

/** Gives bits to remember which index terms, in which fields, a document matched (see Scored.marks). */
export type Marker = (derivedTerm: string, field: string) => number;

/** Fields held once per group of documents (see the top of this file). */
export interface Groups {
  /** One document per group, with the shared fields. */
  mini: MiniSearch<any>;
  /** The id of the group a document (by its id in the member index) belongs to. */
  groupOf(documentId: unknown): unknown;
}

// ---- MiniSearch 7.x internals --------------------------------------------------------------------

type Postings = Map<number, Map<number, number>>; // fieldId → short doc id → term frequency
interface TermIndex {
  get(term: string): Postings | undefined;
  atPrefix(prefix: string): Iterable<[string, Postings]>;
  fuzzyGet(term: string, maxDistance: number): Map<string, [Postings, number]>;
}
interface Internals {
  _index: TermIndex;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _nextId: number;
  _dirtCount: number;
  _options: {
    fields: string[];
    tokenize: (text: string, fieldName?: string) => string[];
    processTerm: (term: string, fieldName?: string) => string | string[] | null | undefined | false;
    searchOptions: SearchOptions & { maxFuzzy: number; bm25: { k: number; b: number; d: number }; weights: { fuzzy: number; prefix: number } };
  };
}

const DEFAULT_WEIGHTS = { fuzzy: 0.45, prefix: 0.375 };

function internals(mini: MiniSearch<never> | MiniSearch<any>): Internals | null {
  const m = mini as unknown as Partial<Internals>;
  const ok =
    m._index !== undefined &&
    typeof m._index.get === 'function' &&
    typeof m._index.atPrefix === 'function' &&
    typeof m._index.fuzzyGet === 'function' &&
    m._fieldIds !== undefined &&
    m._fieldLength instanceof Map &&
    Array.isArray(m._avgFieldLength) &&
    typeof m._documentCount === 'number' &&
    m._documentIds instanceof Map &&
    m._idToShortId instanceof Map &&
    typeof m._nextId === 'number' &&
    typeof m._dirtCount === 'number' &&
    m._options?.searchOptions?.bm25 !== undefined &&
    typeof m._options.tokenize === 'function' &&
    typeof m._options.processTerm === 'function';
  return ok ? (m as Internals) : null;
}

// ---- per-index scratch space -----------------------------------------------------------------------

/** One accumulator: a score per short id and the ids in the order they were first added. */
interface Acc {
  score: Float64Array;
  ids: Int32Array;
  count: number;
}

interface Scratch {
  /** `_nextId/_documentCount` when made: any addition or removal changes it. */
  version: string;
  size: number;
  /** Field lengths, [shortId * fields + fieldId]. */
  lengths: Uint32Array;
  fields: number;
  accs: Acc[];
  terms: Int32Array;
  marks: Int32Array;
  busy: boolean;
  /** Per group index (its `version`): members and field statistics. */
  groups?: GroupStats;
}

interface GroupStats {
  version: string;
  /** Members' short ids (ascending) by group short id. */
  members: (Int32Array | undefined)[];
  /** Group field lengths, [groupShortId * fields + fieldId]. */
  lengths: Uint32Array;
  fields: number;
  /** By group field id: the average length over the members (each member holding its group's fields). */
  avg: number[];
}

const scratchOf = new WeakMap<object, Scratch>();

function scratch(m: Internals): Scratch {
  const version = `${m._nextId}/${m._documentCount}`;
  let s = scratchOf.get(m);
  if (s && s.version === version) return s;
  const size = m._nextId;
  const fields = Math.max(0, ...Object.values(m._fieldIds)) + 1;
  const lengths = new Uint32Array(size * fields);
  for (const [id, ls] of m._fieldLength) for (let f = 0; f < ls.length; f++) lengths[id * fields + f] = ls[f] ?? 0;
  s = { version, size, lengths, fields, accs: [], terms: new Int32Array(size), marks: new Int32Array(size), busy: false };
  scratchOf.set(m, s);
  return s;
}

function groupStats(m: Internals, s: Scratch, g: Internals, groupOf: (id: unknown) => unknown): GroupStats {
  const version = `${s.version}|${g._nextId}/${g._documentCount}`;
  if (s.groups?.version === version) return s.groups;
  const of = new Int32Array(m._nextId).fill(-1);
  const counts = new Int32Array(g._nextId);
  for (const [id, docId] of m._documentIds) {
    const gid = g._idToShortId.get(groupOf(docId));
    if (gid === undefined) continue;
    of[id] = gid;
    counts[gid]!++;
  }
  const members: (Int32Array | undefined)[] = Array.from({ length: g._nextId }, (_, gid) => (counts[gid]! > 0 ? new Int32Array(counts[gid]!) : undefined));
  const fill = new Int32Array(g._nextId);
  for (let id = 0; id < of.length; id++) {
    const gid = of[id]!;
    if (gid >= 0) members[gid]![fill[gid]!++] = id;
  }
  const fields = Math.max(0, ...Object.values(g._fieldIds)) + 1;
  const lengths = new Uint32Array(g._nextId * fields);
  const sums = new Array<number>(fields).fill(0);
  for (const [gid, ls] of g._fieldLength)
    for (let f = 0; f < ls.length; f++) {
      lengths[gid * fields + f] = ls[f] ?? 0;
      sums[f]! += (ls[f] ?? 0) * (members[gid]?.length ?? 0);
    }
  const avg = sums.map((x) => (m._documentCount > 0 ? x / m._documentCount : 0));
  return (s.groups = { version, members, lengths, fields, avg });
}

function acc(s: Scratch, depth: number): Acc {
  let a = s.accs[depth];
  if (!a) s.accs[depth] = a = { score: new Float64Array(s.size), ids: new Int32Array(s.size), count: 0 };
  return a;
}

/** MiniSearch's OR combinator: b's scores added to a's, b's new documents appended in b's order; b is emptied. */
function mergeInto(a: Acc, b: Acc): void {
  for (let i = 0; i < b.count; i++) {
    const id = b.ids[i]!;
    const v = b.score[id]!;
    b.score[id] = 0;
    if (a.score[id] === 0) {
      a.ids[a.count++] = id;
      a.score[id] = v;
    } else a.score[id] = a.score[id]! + v;
  }
  b.count = 0;
}

class Unsupported extends Error {}

/**
 * Scores `query` as `mini.search(query, options)` would and hands the scores to `use`; null when it
 * cannot promise MiniSearch's exact scores (then call mini.search). Documents whose score is 0 cannot
 * occur (BM25 here is always positive), which is how "not matched" is told apart.
 */
export function scoreAll<T>(mini: MiniSearch<any>, query: Query, options: SearchOptions, mark: Marker | null, use: (s: Scored) => T, groups?: Groups): T | null {
  const m = internals(mini);
  if (!m || m._dirtCount !== 0) return null;
  const gi = groups ? internals(groups.mini) : null;
  if (groups && (!gi || gi._dirtCount !== 0)) return null;
  const s = scratch(m);
  if (s.busy) return null; // re-entered from `use`: the arrays are in use
  const g: Group | null = gi && groups ? { m: gi, stats: groupStats(m, s, gi, groups.groupOf) } : null;
  const top = acc(s, 0);
  const termBits = new Map<string, number>();
  const markMemo = new Map<string, number>();
  const marked = (derived: string, field: string): number => {
    if (!mark) return 0;
    const k = `${field}\u0000${derived}`;
    let v = markMemo.get(k);
    if (v === undefined) markMemo.set(k, (v = mark(derived, field)));
    return v;
  };
  s.busy = true;
  try {
    try {
      run(m, s, query, options, 0, termBits, marked, g);
    } catch (e) {
      if (e instanceof Unsupported) {
        clear(s);
        return null;
      }
      throw e;
    }
    // score × quality, as search() reports it
    for (let i = 0; i < top.count; i++) {
      const id = top.ids[i]!;
      top.score[id] = top.score[id]! * (popcount(s.terms[id]!) || 1);
    }
    return use({ ids: top.ids, count: top.count, score: top.score, marks: s.marks, idOf: (id) => m._documentIds.get(id), shortOf: (id) => m._idToShortId.get(id) });
  } finally {
    clear(s);
    s.busy = false;
  }
}

function clear(s: Scratch): void {
  for (const a of s.accs) {
    for (let i = 0; i < a.count; i++) {
      const id = a.ids[i]!;
      a.score[id] = 0;
      s.terms[id] = 0;
      s.marks[id] = 0;
    }
    a.count = 0;
  }
}

export const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

type Opts = SearchOptions & Record<string, unknown>;

/**
 * MiniSearch's executeQuery into acc(depth): the first child of a combination writes straight into its
 * parent's accumulator (MiniSearch reduces onto the first child's map), the others into the next depth,
 * merged after.
 */
/** The group index and its statistics, when there is one. */
interface Group {
  m: Internals;
  stats: GroupStats;
}

function run(m: Internals, s: Scratch, query: Query, searchOptions: Opts, depth: number, termBits: Map<string, number>, marked: Marker, g: Group | null): void {
  if (typeof query !== 'string') {
    if (typeof query === 'symbol' || !query || !Array.isArray((query as { queries?: unknown }).queries)) throw new Unsupported();
    const options: Opts = { ...searchOptions, ...(query as Opts), queries: undefined } as Opts;
    checkCombine(options);
    query.queries.forEach((sub, i) => runChild(m, s, sub, options, depth, i, termBits, marked, g));
    return;
  }
  const globals = m._options.searchOptions;
  const options: Opts = { tokenize: m._options.tokenize, processTerm: m._options.processTerm, ...globals, ...searchOptions } as Opts;
  checkCombine(options);
  const tokenize = options.tokenize as (t: string) => string[];
  const processTerm = options.processTerm as (t: string) => string | string[] | null | undefined | false;
  const terms = tokenize(query)
    .flatMap((term) => processTerm(term))
    .filter((term): term is string => !!term);
  terms.forEach((term, i) => {
    const spec = {
      term,
      fuzzy: typeof options.fuzzy === 'function' ? options.fuzzy(term, i, terms) : options.fuzzy || false,
      prefix: typeof options.prefix === 'function' ? options.prefix(term, i, terms) : options.prefix === true,
      termBoost: typeof options.boostTerm === 'function' ? options.boostTerm(term, i, terms) : 1,
    };
    if (i === 0) querySpec(m, s, spec, options, acc(s, depth), termBits, marked, g);
    else {
      const child = acc(s, depth + 1);
      querySpec(m, s, spec, options, child, termBits, marked, g);
      mergeInto(acc(s, depth), child);
    }
  });
}

function runChild(m: Internals, s: Scratch, sub: Query, options: Opts, depth: number, i: number, termBits: Map<string, number>, marked: Marker, g: Group | null): void {
  if (i === 0) run(m, s, sub, options, depth, termBits, marked, g);
  else {
    run(m, s, sub, options, depth + 1, termBits, marked, g);
    mergeInto(acc(s, depth), acc(s, depth + 1));
  }
}

function checkCombine(options: Opts): void {
  const c = options.combineWith;
  if (c !== undefined && String(c).toLowerCase() !== 'or') throw new Unsupported();
  if (options.filter != null || options.boostDocument != null) throw new Unsupported();
}

interface Spec {
  term: string;
  fuzzy: boolean | number;
  prefix: boolean;
  termBoost: number;
}

/** MiniSearch's executeQuerySpec: the exact term, then its prefix matches, then its fuzzy matches. */
function querySpec(m: Internals, s: Scratch, spec: Spec, searchOptions: Opts, into: Acc, termBits: Map<string, number>, marked: Marker, g: Group | null): void {
  const options = { ...m._options.searchOptions, ...searchOptions } as Opts & Internals['_options']['searchOptions'];
  const fields = (options.fields || m._options.fields) as string[];
  // Object.keys of MiniSearch's boosts object: each field once, in order (field names are not integers).
  const boosts: [string, number][] = [...new Set(fields)].map((f) => [f, (options.boost && Object.prototype.hasOwnProperty.call(options.boost, f) ? options.boost[f] : undefined) || 1]);
  const { maxFuzzy, bm25 } = options;
  const { fuzzy: fuzzyWeight, prefix: prefixWeight } = { ...DEFAULT_WEIGHTS, ...options.weights };
  let bit = termBits.get(spec.term);
  if (bit === undefined) {
    if (termBits.size >= 31) throw new Unsupported();
    termBits.set(spec.term, (bit = 1 << termBits.size));
  }
  const score = (derived: string, weight: number, data: Postings | undefined, groupData: Postings | undefined) => {
    termResults(m, s, derived, weight, spec.termBoost, data, boosts, bm25, into, bit, marked);
    if (g && groupData) groupResults(m, s, g, derived, weight, spec.termBoost, groupData, boosts, bm25, into, bit, marked);
  };
  score(spec.term, 1, m._index.get(spec.term), g?.m._index.get(spec.term));
  // Derived terms of both indexes, each once: the member index's in its order, then the group index's others.
  let fuzzyMatches: Map<string, [Postings | undefined, Postings | undefined, number]> | undefined;
  if (spec.fuzzy) {
    const fuzzy = spec.fuzzy === true ? 0.2 : spec.fuzzy;
    const maxDistance = fuzzy < 1 ? Math.min(maxFuzzy, Math.round(spec.term.length * fuzzy)) : fuzzy;
    if (maxDistance) {
      fuzzyMatches = new Map();
      for (const [term, [data, distance]] of m._index.fuzzyGet(spec.term, maxDistance)) fuzzyMatches.set(term, [data, undefined, distance]);
      if (g)
        for (const [term, [data, distance]] of g.m._index.fuzzyGet(spec.term, maxDistance)) {
          const had = fuzzyMatches.get(term);
          if (had) had[1] = data;
          else fuzzyMatches.set(term, [undefined, data, distance]);
        }
    }
  }
  if (spec.prefix) {
    const prefixed = new Map<string, [Postings | undefined, Postings | undefined]>();
    for (const [term, data] of m._index.atPrefix(spec.term)) prefixed.set(term, [data, undefined]);
    if (g)
      for (const [term, data] of g.m._index.atPrefix(spec.term)) {
        const had = prefixed.get(term);
        if (had) had[1] = data;
        else prefixed.set(term, [undefined, data]);
      }
    for (const [term, [data, groupData]] of prefixed) {
      const distance = term.length - spec.term.length;
      if (!distance) continue;
      fuzzyMatches?.delete(term);
      const weight = (prefixWeight * term.length) / (term.length + 0.3 * distance);
      score(term, weight, data, groupData);
    }
  }
  if (fuzzyMatches) {
    for (const [term, [data, groupData, distance]] of fuzzyMatches) {
      if (!distance) continue;
      const weight = (fuzzyWeight * term.length) / (term.length + distance);
      score(term, weight, data, groupData);
    }
  }
}

/**
 * One document's share of a term: `v` added to its score (a document not yet scored is appended to the
 * accumulator's ids, as MiniSearch's result map appends it), the query term's bit and the mark set.
 */
function credit(s: Scratch, into: Acc, id: number, v: number, bit: number, mk: number): void {
  const was = into.score[id]!;
  if (was === 0) {
    into.ids[into.count++] = id;
    into.score[id] = v;
  } else into.score[id] = was + v;
  s.terms[id] = s.terms[id]! | bit;
  if (mk) s.marks[id] = s.marks[id]! | mk;
}

/**
 * termResults for the fields held by groups: each group's BM25 score, with the member index's statistics,
 * added to each of its members.
 */
function groupResults(
  m: Internals,
  s: Scratch,
  g: Group,
  derived: string,
  termWeight: number,
  termBoost: number,
  data: Postings,
  boosts: [string, number][],
  bm25: { k: number; b: number; d: number },
  into: Acc,
  bit: number,
  marked: Marker,
): void {
  const { k, b, d } = bm25;
  const total = m._documentCount;
  const { members, lengths, fields, avg } = g.stats;
  for (const [field, fieldBoost] of boosts) {
    if (m._fieldIds[field] !== undefined) continue; // a member field: scored by termResults
    const fieldId = g.m._fieldIds[field];
    if (fieldId === undefined) continue;
    const freqs = data.get(fieldId);
    if (freqs == null) continue;
    let matching = 0;
    freqs.forEach((_tf, gid) => {
      matching += members[gid]?.length ?? 0;
    });
    if (matching === 0) continue;
    const avgLength = avg[fieldId]!;
    const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    const w = termWeight * termBoost * fieldBoost;
    const mk = marked(derived, field);
    freqs.forEach((tf, gid) => {
      const list = members[gid];
      if (!list) return;
      const fieldLength = lengths[gid * fields + fieldId]!;
      const v = w * (idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * fieldLength) / avgLength))));
      for (let i = 0; i < list.length; i++) credit(s, into, list[i]!, v, bit, mk);
    });
  }
}

/** MiniSearch's termResults: one index term's postings in each field, BM25-scored into `into`. */
function termResults(
  m: Internals,
  s: Scratch,
  derived: string,
  termWeight: number,
  termBoost: number,
  data: Postings | undefined,
  boosts: [string, number][],
  bm25: { k: number; b: number; d: number },
  into: Acc,
  bit: number,
  marked: Marker,
): void {
  if (data == null) return;
  const { k, b, d } = bm25;
  const total = m._documentCount;
  const { lengths, fields } = s;
  for (const [field, fieldBoost] of boosts) {
    const fieldId = m._fieldIds[field];
    if (fieldId === undefined) continue;
    const freqs = data.get(fieldId);
    if (freqs == null) continue;
    const matching = freqs.size;
    const avg = m._avgFieldLength[fieldId]!;
    const idf = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
    const w = termWeight * termBoost * fieldBoost;
    const mk = marked(derived, field);
    // forEach, not for…of: no [id, tf] pair allocated per posting.
    freqs.forEach((tf, id) => {
      const fieldLength = lengths[id * fields + fieldId]!;
      // calcBM25Score, term for term; then termWeight * termBoost * fieldBoost * docBoost (1) * rawScore
      const raw = idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * fieldLength) / avg)));
      credit(s, into, id, w * raw, bit, mk);
    });
  }
}
