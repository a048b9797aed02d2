// The passage index: MiniSearch over every sentence of every article, with aliases applied at query time.
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
  title: string;
  outlet: string;
  /** Alias groups the sentence names, as tokens "ent<i>": "DPRK" and "Pyongyang" are one entity. */
  entities: string;
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

/** Splits on anything that is not a letter or digit, but keeps "1,000" and "U.S." whole. */
export function tokenize(text: string): string[] {
  return text.match(/\d[\d,.]*\d|\d|(?:\p{L}\.){2,}|[\p{L}\p{N}]+(?:[’'][\p{L}]+)?/gu) ?? [];
}

export const SEARCH_OPTIONS = {
  fields: ['text', 'entities', 'title', 'outlet'],
  storeFields: [] as string[],
  idField: 'id',
  tokenize,
  processTerm,
};

export class PassageIndex {
  readonly mini: MiniSearch<PassageDoc>;
  /** One pattern per alias group, matching any of its names. */
  private readonly groupPatterns: RegExp[][];
  /** The same patterns with the global flag, to strip a group's names out of a query. */
  private readonly groupStrippers: RegExp[][];

  constructor(
    private readonly aliases: AliasTable,
    mini?: MiniSearch<PassageDoc>,
  ) {
    this.mini = mini ?? new MiniSearch<PassageDoc>(SEARCH_OPTIONS);
    this.groupPatterns = aliases.map((g) => groupPattern(g));
    this.groupStrippers = aliases.map((g) => groupPattern(g, 'g'));
  }

  /** The entity tokens of a text: "ent<i>" for every alias group it names. */
  entitiesOf(text: string): string {
    const out: string[] = [];
    this.groupPatterns.forEach((res, i) => {
      if (res.some((re) => re.test(text))) out.push(`ent${i}`);
    });
    return out.join(' ');
  }

  docsOf(article: Article): PassageDoc[] {
    return article.sentences.map((s) => ({
      id: `${article.id}#${s.index}`,
      article: article.id,
      sentence: s.index,
      text: s.text,
      title: article.meta.title,
      outlet: article.meta.outlet ?? '',
      entities: this.entitiesOf(s.text),
    }));
  }

  add(article: Article): void {
    this.mini.addAll(this.docsOf(article));
  }

  remove(articleId: string, sentences: number): void {
    for (let i = 0; i < sentences; i++) {
      const id = `${articleId}#${i}`;
      if (this.mini.has(id)) this.mini.discard(id);
    }
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
   * prefixes and small misspellings counting for less) times 0.25 + coverage², coverage being the share
   * of the question's concepts the sentence's own text names.
   */
  search(text: string, limit = 5): PassageHit[] {
    return this.rank(text, limit, true);
  }

  /** search() computed through mini.search()'s result objects: the reference the fast path must equal (tests). */
  searchSlow(text: string, limit = 5): PassageHit[] {
    return this.rank(text, limit, false);
  }

  private rank(text: string, limit: number, fast: boolean): PassageHit[] {
    const concepts = this.concepts(text);
    if (concepts.length === 0) return [];
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
    const query: Query = { combineWith: 'OR', queries };
    // The same ranking as rankAll below, from MiniSearch's scores in flat arrays and a heap of the best
    // `limit` (src/search/exact.ts): no result object per matching sentence.
    if (fast && concepts.length <= 31 && Number.isInteger(limit) && limit > 0) {
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
      const fast = scoreAll(this.mini, query, { boost: BOOST }, mark, (s) => bestOf(s, concepts.length, limit));
      if (fast) return fast;
    }
    return rankAll(this.mini.search(query, { boost: BOOST }), concepts, limit);
  }
}

const BOOST = { text: 1, entities: 0.8, title: 0.1, outlet: 0.05 };

/** Prefers passages that touch more of the question's concepts, not just one of them many times. */
function rankAll(results: SearchResult[], concepts: Concept[], limit: number): PassageHit[] {
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
 * rankAll's answer from exact scores: each matching sentence's score × (0.25 + coverage²), the best
 * `limit` kept in a heap. Ties fall as rankAll's two stable sorts leave them: higher MiniSearch score
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

interface Concept {
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

/** Any name of the group, on word boundaries: short capitals ("US") case-sensitive, the rest not. */
function groupPattern(group: string[], extraFlags = ''): RegExp[] {
  const longestFirst = [...group].sort((a, b) => b.length - a.length);
  const caps = longestFirst.filter(isCaps).map(escapeRe);
  const other = longestFirst.filter((n) => !isCaps(n)).map((n) => escapeRe(n.replace(/^the /i, '')));
  const wrap = (alts: string[], flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, flags + extraFlags);
  return [...(caps.length ? [wrap(caps, 'u')] : []), ...(other.length ? [wrap(other, 'iu')] : [])];
}

const isCaps = (name: string) => name.length <= 5 && name === name.toUpperCase();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function splitId(id: string): [string, number] {
  const i = id.lastIndexOf('#');
  return [id.slice(0, i), Number(id.slice(i + 1))];
}
