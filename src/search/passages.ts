// The passage index: MiniSearch over every sentence of every article, with aliases applied at query time.
import MiniSearch, { type SearchResult } from 'minisearch';
import { eng as ENGLISH_STOP_WORDS } from 'stopword';
import stem from 'wink-porter2-stemmer';
import type { Article } from '../core/types.js';
import type { AliasTable } from './aliases.js';

/** One indexed sentence. Its id is "<article>#<sentence index>". */
export interface PassageDoc {
  id: string;
  article: string;
  sentence: number;
  text: string;
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
export function processTerm(term: string): string | null {
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
  fields: ['text', 'title', 'outlet'],
  storeFields: [] as string[],
  idField: 'id',
  tokenize,
  processTerm,
};

export class PassageIndex {
  readonly mini: MiniSearch<PassageDoc>;

  constructor(
    private readonly aliases: AliasTable,
    mini?: MiniSearch<PassageDoc>,
  ) {
    this.mini = mini ?? new MiniSearch<PassageDoc>(SEARCH_OPTIONS);
  }

  static docsOf(article: Article): PassageDoc[] {
    return article.sentences.map((s) => ({
      id: `${article.id}#${s.index}`,
      article: article.id,
      sentence: s.index,
      text: s.text,
      title: article.meta.title,
      outlet: article.meta.outlet ?? '',
    }));
  }

  add(article: Article): void {
    this.mini.addAll(PassageIndex.docsOf(article));
  }

  remove(articleId: string, sentences: number): void {
    for (let i = 0; i < sentences; i++) {
      const id = `${articleId}#${i}`;
      if (this.mini.has(id)) this.mini.discard(id);
    }
  }

  /**
   * The user's words as concepts: each alias group found in them is one concept that any of its
   * spellings satisfies; every other word is a concept of its own.
   */
  concepts(text: string): Concept[] {
    let rest = ` ${text} `;
    const out: Concept[] = [];
    for (const group of this.aliases) {
      const typed: string[] = [];
      for (const name of group) {
        const re = aliasPattern(name);
        if (re.test(rest)) {
          typed.push(name);
          rest = rest.replace(re, ' ');
        }
      }
      if (typed.length === 0) continue;
      const terms = new Map<string, number>();
      const typedTerms = new Set(typed.flatMap((n) => termsOf(n)));
      for (const name of group) {
        const ts = termsOf(name.replace(/^the /i, ''));
        // A spelling the user did not type counts less, and a long one is shared between its words.
        for (const t of ts) terms.set(t, Math.max(terms.get(t) ?? 0, typedTerms.has(t) ? 1 : 0.6 / ts.length));
      }
      out.push({ terms });
    }
    for (const w of new Set(termsOf(rest))) out.push({ terms: new Map([[w, 1]]) });
    return out;
  }

  search(text: string, limit = 5): PassageHit[] {
    const concepts = this.concepts(text);
    if (concepts.length === 0) return [];
    const weight = new Map<string, number>();
    for (const c of concepts) for (const [t, w] of c.terms) weight.set(t, Math.max(weight.get(t) ?? 0, w));
    const results: SearchResult[] = this.mini.search({ combineWith: 'OR', queries: [...weight.keys()] }, {
      boost: { text: 1, title: 0.1, outlet: 0.05 },
      boostTerm: (term) => weight.get(term) ?? 1,
      prefix: (term) => term.length >= 5,
      fuzzy: (term) => (term.length >= 6 ? 0.15 : false),
      weights: { fuzzy: 0.3, prefix: 0.5 },
    });
    // Prefer passages that touch more of the question's concepts, not just one of them many times.
    const ranked = results.map((r) => {
      const found = new Set(Object.keys(r.match).filter((t) => (r.match[t] ?? []).includes('text')));
      const matchedTerms = new Set([...r.queryTerms].filter((t) => found.has(t)));
      const covered = concepts.filter((c) => [...c.terms.keys()].some((t) => matchedTerms.has(t) || [...found].some((f) => f.startsWith(t)))).length;
      const coverage = covered / concepts.length;
      return { r, score: r.score * (0.25 + coverage * coverage) };
    });
    ranked.sort((a, b) => b.score - a.score);
    return ranked.slice(0, limit).map(({ r, score }) => {
      const [article, n] = splitId(String(r.id));
      return { article, sentence: n, score };
    });
  }
}

interface Concept {
  /** Processed terms that satisfy the concept, with their weight. */
  terms: Map<string, number>;
}

function termsOf(s: string): string[] {
  return tokenize(s)
    .map((w) => processTerm(w))
    .filter((w): w is string => !!w);
}

export function splitId(id: string): [string, number] {
  const i = id.lastIndexOf('#');
  return [id.slice(0, i), Number(id.slice(i + 1))];
}

/** An alias matches on word boundaries; short all-capital forms ("US", "UN") only in capitals. */
function aliasPattern(name: string): RegExp {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const caps = name.length <= 5 && name === name.toUpperCase();
  return new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, caps ? 'gu' : 'giu');
}
