// The passage index: MiniSearch over every sentence of every article, with aliases applied at query time.
// An article's title and outlet count for each of its sentences; they are held once per article, in a
// small second MiniSearch (`heads`), and scored for every sentence as if each held them (src/search/exact.ts,
// Groups) — the ranking of an index with them on every sentence, at about half the postings.
import MiniSearch, { type Query, type SearchResult } from 'minisearch';
import { eng as ENGLISH_STOP_WORDS } from 'stopword';
import stem from 'wink-porter2-stemmer';
import type { Article } from '../core/types.js';
import type { AliasTable } from './aliases.js';
import { popcount, type Scored, scoreAll } from './exact.js';

/** One indexed sentence. Its id is "<article>#<sentence index>". */
export interface PassageDoc {
  id: string;
  article: string;
  sentence: number;
  text: string;
  /** Alias groups the sentence names, as tokens "ent<i>": "DPRK" and "Pyongyang" are one entity. */
  entities: string;
}

/** One article's title and outlet, which count for each of its sentences. Its id is the article's. */
export interface HeadDoc {
  id: string;
  title: string;
  outlet: string;
}

export interface PassageHit {
  article: string;
  sentence: number;
  score: number;
}

/** Question words and query filler that say nothing about the subject, on top of English stop words. */
const QUERY_FILLER = ['did', 'does', 'do', 'what', 'which', 'who', 'whom', 'how', 'many', 'much', 'when', 'where', 'why', 'name', 'tell', 'show', 'find', 'about'];
const STOP = new Set([...ENGLISH_STOP_WORDS, ...QUERY_FILLER].map((w) => w.toLowerCase()));
/** Words kept although they are stop words: they carry meaning in news questions. */
const KEEP = new Set(['us', 'un', 'eu', 'uk', 'not', 'no']);

/** Terms are lower-cased, stripped of apostrophes' tails, stemmed; stop words go. */
export function processTerm(term: string, fieldName?: string): string | null {
  if (fieldName === 'entities' || /^ent\d+$/.test(term)) return term;
  const t = term.toLowerCase().replace(/[’']s$/, '').replace(/[’'.]/g, '');
  if (t.length === 0) return null;
  if (STOP.has(t) && !KEEP.has(t)) return null;
  if (/^\d[\d,.]*$/.test(t)) return t.replace(/,/g, '');
  return stem(t);
}

/** tokenize's words (esbuild compiles a literal with some \p{…} escapes to `new RegExp(…)`: made here once, not at every call). */
const TOKENS = /\d[\d,.]*\d|\d|(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:[’'][\p{L}]+)?/gu;

/** Splits on anything that is not a letter or digit, but keeps "1,000" and "U.S." whole. */
export function tokenize(text: string): string[] {
  return text.match(TOKENS) ?? [];
}

export const SEARCH_OPTIONS = {
  fields: ['text', 'entities'],
  storeFields: [] as string[],
  idField: 'id',
  tokenize,
  processTerm,
};

/** The options of the heads index: the same words, the article-wide fields. */
export const HEAD_FIELDS = ['title', 'outlet'];

/** A question is searched by its first this-many concepts (scoring keeps one bit per query term). */
export const MAX_CONCEPTS = 31;

export class PassageIndex {
  readonly mini: MiniSearch<PassageDoc>;
  /** Titles and outlets, one document per article. */
  readonly heads: MiniSearch<HeadDoc>;
  /** Each alias group's patterns (matching any of its names), sticky: whether the group names the text at one place. */
  private readonly groupAt: RegExp[][];
  /** Every group's names in one global pattern per letter case: where none matches, no group's pattern does. */
  private readonly anyName: RegExp[];
  /** The same patterns with the global flag, to strip a group's names out of a query. */
  private readonly groupStrippers: RegExp[][];

  /** `mini` and `heads` go together (both built from the same articles, in the same order), or neither. */
  constructor(
    private readonly aliases: AliasTable,
    mini?: MiniSearch<PassageDoc>,
    heads?: MiniSearch<HeadDoc>,
  ) {
    if (!mini !== !heads) throw new Error('a passage index needs both its sentence and its heads index');
    this.mini = mini ?? new MiniSearch<PassageDoc>(SEARCH_OPTIONS);
    this.heads = heads ?? new MiniSearch<HeadDoc>({ ...SEARCH_OPTIONS, fields: HEAD_FIELDS });
    this.groupAt = aliases.map((g) => groupPattern(g, 'y'));
    this.anyName = namesPattern(aliases, 'g');
    this.groupStrippers = aliases.map((g) => groupPattern(g, 'g'));
  }

  /**
   * The entity tokens of a text: "ent<i>" for every alias group it names (whose groupPattern matches
   * somewhere in it). Testing each group's patterns over the whole text was ~25 scans of every sentence
   * indexed; instead one scan per letter case finds every place where any alias name's text begins, and
   * only there is each group's pattern tried. A group's pattern matches somewhere exactly when it matches
   * at one of those places, so the groups are the same (test/search-aliases.test.ts holds the two equal).
   */
  entitiesOf(text: string): string {
    const n = this.groupAt.length;
    let found: Uint8Array | null = null;
    for (const scan of this.anyName) {
      scan.lastIndex = 0;
      for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
        const at = m.index;
        for (let i = 0; i < n; i++) {
          if (found?.[i]) continue;
          for (const re of this.groupAt[i]!) {
            re.lastIndex = at;
            if (re.test(text)) {
              (found ??= new Uint8Array(n))[i] = 1;
              break;
            }
          }
        }
        // The next place: one character (one code point) on, so that names overlapping this one are found too.
        scan.lastIndex = at + ((text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
      }
    }
    if (!found) return '';
    const out: string[] = [];
    for (let i = 0; i < n; i++) if (found[i]) out.push(`ent${i}`);
    return out.join(' ');
  }

  docsOf(article: Article): PassageDoc[] {
    return article.sentences.map((s) => ({
      id: `${article.id}#${s.index}`,
      article: article.id,
      sentence: s.index,
      text: s.text,
      entities: this.entitiesOf(s.text),
    }));
  }

  headOf(article: Article): HeadDoc {
    return { id: article.id, title: article.meta.title, outlet: article.meta.outlet ?? '' };
  }

  add(article: Article): void {
    this.mini.addAll(this.docsOf(article));
    this.heads.add(this.headOf(article));
  }

  /** Removes an article as it was added (its sentences must be the ones indexed). */
  remove(article: Article): void {
    this.mini.removeAll(this.docsOf(article));
    this.heads.remove(this.headOf(article));
  }

  /**
   * The user's words as concepts: each alias group named in them is one concept, found through the
   * entity field whichever spelling a sentence uses; every other word is a concept of its own.
   */
  concepts(text: string): Concept[] {
    let rest = ` ${text} `;
    const out: Concept[] = [];
    this.groupStrippers.forEach((res, i) => {
      let hit = false;
      for (const re of res) {
        re.lastIndex = 0;
        if (re.test(rest)) {
          hit = true;
          rest = rest.replace(re, ' ');
        }
      }
      if (hit) out.push({ entity: `ent${i}`, word: null });
    });
    for (const w of new Set(termsOf(rest))) out.push({ entity: null, word: w });
    return out;
  }

  /**
   * The best `limit` passages for a question: MiniSearch's BM25 score (aliases as one entity each, word
   * prefixes and small misspellings counting for less; the article's title and outlet counting a little
   * for each of its sentences) times 0.25 + coverage², coverage being the share of the question's concepts
   * the sentence's own text names. A question is searched by its first MAX_CONCEPTS concepts.
   */
  search(text: string, limit = 5): PassageHit[] {
    const plan = this.plan(text);
    if (!plan) return [];
    const { concepts, query } = plan;
    const k = Math.max(1, Math.floor(limit)) || 1;
    // Which concepts an index term covers when a sentence has it in its text or entities: an alias
    // group's token covers its group; a word covers every word concept sharing its first four letters.
    const covers = (derived: string) => {
      let bits = 0;
      concepts.forEach((c, i) => {
        if (c.entity ? derived === c.entity : derived.startsWith(c.word!.slice(0, 4))) bits |= 1 << i;
      });
      return bits;
    };
    const mark = (derived: string, field: string) => (field === 'text' || field === 'entities' ? covers(derived) : 0);
    // MiniSearch's scores in flat arrays and a heap of the best `limit` (src/search/exact.ts): no result
    // object per matching sentence; titles and outlets from the heads index.
    const groups = { mini: this.heads, groupOf: (id: unknown) => splitId(String(id))[0] };
    const fast = scoreAll(this.mini, query, { boost: BOOST }, mark, (s) => bestOf(s, concepts.length, k), groups);
    if (fast) return fast;
    // Only if MiniSearch's internals are not the ones exact.ts reads: its own search, without titles.
    return rankResults(this.mini.search(query, { boost: BOOST }), concepts, k);
  }

  /** The question as concepts and the MiniSearch query search() runs (null: nothing to search for). */
  plan(text: string): { concepts: Concept[]; query: Query } | null {
    const concepts = this.concepts(text).slice(0, MAX_CONCEPTS);
    if (concepts.length === 0) return null;
    const entities = concepts.flatMap((c) => (c.entity ? [c.entity] : []));
    const words = concepts.flatMap((c) => (c.word ? [c.word] : []));
    const queries: Query[] = [];
    if (entities.length) queries.push({ queries: entities, fields: ['entities'], prefix: false, fuzzy: false, combineWith: 'OR' });
    if (words.length)
      queries.push({
        queries: words,
        fields: ['text', 'title', 'outlet'],
        combineWith: 'OR',
        prefix: (term: string) => term.length >= 5,
        fuzzy: (term: string) => (term.length >= 6 ? 0.15 : false),
        weights: { fuzzy: 0.3, prefix: 0.5 },
      });
    return { concepts, query: { combineWith: 'OR', queries } };
  }
}

export const BOOST = { text: 1, entities: 0.8, title: 0.1, outlet: 0.05 };

/**
 * Prefers passages that touch more of the question's concepts, not just one of them many times: search()'s
 * ranking from MiniSearch's own results (bestOf is the same from exact scores).
 */
export function rankResults(results: SearchResult[], concepts: Concept[], limit: number): PassageHit[] {
  const ranked = results.map((r) => {
    const inText = (t: string) => (r.match[t] ?? []).some((f) => f === 'text' || f === 'entities');
    const matched = Object.keys(r.match).filter(inText);
    const covered = concepts.filter((c) => (c.entity ? matched.includes(c.entity) : matched.some((m) => m.startsWith(c.word!.slice(0, 4))))).length;
    const coverage = covered / concepts.length;
    return { r, score: r.score * (0.25 + coverage * coverage) };
  });
  ranked.sort((a, b) => b.score - a.score);
  return ranked.slice(0, limit).map(({ r, score }) => {
    const [article, n] = splitId(String(r.id));
    return { article, sentence: n, score };
  });
}

/**
 * rankResults' answer from exact scores: each matching sentence's score × (0.25 + coverage²), the best
 * `limit` kept in a heap. Ties fall as rankResults' two stable sorts leave them: higher MiniSearch score
 * first, then MiniSearch's order of results.
 */
function bestOf(s: Scored, conceptCount: number, limit: number): PassageHit[] {
  const k = Math.min(limit, s.count);
  const pos = new Int32Array(k);
  const fin = new Float64Array(k);
  const raw = new Float64Array(k);
  let n = 0;
  // worse(a, b): a ranks after b. The heap keeps its worst entry at the root.
  const worse = (fa: number, ra: number, pa: number, fb: number, rb: number, pb: number) => (fa !== fb ? fa < fb : ra !== rb ? ra < rb : pa > pb);
  const swap = (i: number, j: number) => {
    [pos[i], pos[j]] = [pos[j]!, pos[i]!];
    [fin[i], fin[j]] = [fin[j]!, fin[i]!];
    [raw[i], raw[j]] = [raw[j]!, raw[i]!];
  };
  const worseAt = (i: number, j: number) => worse(fin[i]!, raw[i]!, pos[i]!, fin[j]!, raw[j]!, pos[j]!);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < n && worseAt(l, w)) w = l;
      if (r < n && worseAt(r, w)) w = r;
      if (w === i) return;
      swap(i, w);
      i = w;
    }
  };
  for (let p = 0; p < s.count; p++) {
    const id = s.ids[p]!;
    const r = s.score[id]!;
    const coverage = popcount(s.marks[id]!) / conceptCount;
    const f = r * (0.25 + coverage * coverage);
    if (n < k) {
      pos[n] = p;
      fin[n] = f;
      raw[n] = r;
      for (let i = n++; i > 0; ) {
        const up = (i - 1) >> 1;
        if (!worseAt(i, up)) break;
        swap(i, up);
        i = up;
      }
    } else if (k > 0 && worse(fin[0]!, raw[0]!, pos[0]!, f, r, p)) {
      pos[0] = p;
      fin[0] = f;
      raw[0] = r;
      down(0);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (worseAt(a, b) ? 1 : worseAt(b, a) ? -1 : 0));
  return order.map((i) => {
    const [article, sentence] = splitId(String(s.idOf(s.ids[pos[i]!]!)));
    return { article, sentence, score: fin[i]! };
  });
}

export interface Concept {
  /** The entity token of an alias group, or null. */
  entity: string | null;
  /** A processed word, or null. */
  word: string | null;
}

function termsOf(s: string): string[] {
  return tokenize(s)
    .map((w) => processTerm(w))
    .filter((w): w is string => !!w);
}

/**
 * A group's names as pattern alternatives, longest first: short capitals ("US"), and the others without a
 * leading "the". A name that is nothing once that is gone ("The ") is no name: it would match everywhere.
 */
function alternatives(group: string[]): { caps: string[]; other: string[] } {
  const longestFirst = [...group].sort((a, b) => b.length - a.length);
  return {
    caps: longestFirst.filter((n) => n.length > 0 && isCaps(n)).map(escapeRe),
    other: longestFirst
      .filter((n) => !isCaps(n))
      .map((n) => n.replace(/^the /i, ''))
      .filter((n) => n.length > 0)
      .map(escapeRe),
  };
}

const onWordBoundaries = (alts: string[], flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, flags);

/** Any name of the group, on word boundaries: short capitals ("US") case-sensitive, the rest not. */
export function groupPattern(group: string[], extraFlags = ''): RegExp[] {
  const { caps, other } = alternatives(group);
  return [...(caps.length ? [onWordBoundaries(caps, `u${extraFlags}`)] : []), ...(other.length ? [onWordBoundaries(other, `iu${extraFlags}`)] : [])];
}

/**
 * Any name of any group, in the letter case groupPattern matches it, but not only on word boundaries: it
 * finds every place a group's pattern may match, and a few more (the lookarounds made the scan 3× slower).
 */
function namesPattern(groups: string[][], extraFlags = ''): RegExp[] {
  const caps = groups.flatMap((g) => alternatives(g).caps);
  const other = groups.flatMap((g) => alternatives(g).other);
  return [...(caps.length ? [new RegExp(caps.join('|'), `u${extraFlags}`)] : []), ...(other.length ? [new RegExp(other.join('|'), `iu${extraFlags}`)] : [])];
}

const isCaps = (name: string) => name.length <= 5 && name === name.toUpperCase();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function splitId(id: string): [string, number] {
  const i = id.lastIndexOf('#');
  return [id.slice(0, i), Number(id.slice(i + 1))];
}
