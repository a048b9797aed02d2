// /source: the passages that best support a claim or question, each quoted verbatim with its citation.
import type { Dossier } from '../core/dossier.js';
import { type Corroboration, type QuantityNote, corroborationOf, notesFor } from './compare.js';
import { type Citation, citationOf } from '../core/types.js';

export interface SourcePassage {
  score: number;
  /** Verbatim sentence(s) from the article. */
  quote: string;
  caption: boolean;
  citation: Citation;
}

export interface SourceAnswer {
  query: string;
  passages: SourcePassage[];
  /** When nothing was found: what the user could try instead. */
  suggestions: string[];
  /** Number of articles searched. */
  searched: number;
  /** Where the passages' figures (counts, distances, sums, dates …) differ or agree; see src/answers/compare.ts. */
  notes?: QuantityNote[];
  /** How many independent outlets the passages come from (a republished wire story counts once). */
  corroboration?: Corroboration;
}

export interface SourceOptions {
  query: string;
  limit?: number;
  /** Only passages from this article. */
  article?: string;
}

export const DEFAULT_SOURCE_LIMIT = 5;
export const MAX_SOURCE_LIMIT = 25;
const SAME_ARTICLE_DISCOUNT = 0.6;

export function answerSource(d: Dossier, opts: SourceOptions): SourceAnswer {
  const limit = Math.max(1, Math.min(opts.limit ?? DEFAULT_SOURCE_LIMIT, MAX_SOURCE_LIMIT));
  // Ask for more than needed: near-identical sentences from the same article are folded below.
  const hits = d.passages.search(opts.query, limit * 4 + 10);
  const candidates: SourcePassage[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    if (opts.article && h.article !== opts.article) continue;
    const a = d.byId.get(h.article);
    const s = a?.sentences[h.sentence];
    if (!a || !s) continue;
    const key = `${a.id}|${s.text.replace(/\s+/g, ' ').trim()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    candidates.push({ score: h.score, quote: s.text, caption: s.caption, citation: citationOf(a, s) });
  }
  // Greedy diversification: each further passage from an article already quoted counts for less, so
  // the answer shows every outlet that supports the claim rather than one article's every sentence.
  const passages: SourcePassage[] = [];
  const perArticle = new Map<string, number>();
  while (passages.length < limit && candidates.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    candidates.forEach((c, i) => {
      const eff = c.score * SAME_ARTICLE_DISCOUNT ** (perArticle.get(c.citation.article) ?? 0);
      if (eff > bestScore) [best, bestScore] = [i, eff];
    });
    const [pick] = candidates.splice(best, 1);
    perArticle.set(pick!.citation.article, (perArticle.get(pick!.citation.article) ?? 0) + 1);
    passages.push({ ...pick!, score: round(bestScore) });
  }
  const citations = passages.map((p) => p.citation);
  return {
    query: opts.query,
    passages,
    suggestions: passages.length ? [] : suggest(d, opts.query),
    searched: d.articles.length,
    notes: passages.length > 1 ? notesFor(d, citations, { dates: true }) : [],
    corroboration: corroborationOf(d, citations),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Words to try when nothing matched: the corpus's most frequent names. */
function suggest(d: Dossier, _query: string): string[] {
  const out = ['use fewer or more general words', 'check the spelling of names'];
  const titles = d.articles.slice(0, 3).map((a) => a.meta.title);
  if (titles.length) out.push(`ask about what the articles cover, e.g. "${titles[0]!.slice(0, 60)}"`);
  return out;
}
