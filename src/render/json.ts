// The CLI's JSON contract: exactly the documented fields, nothing internal.
import type { SourceAnswer } from '../answers/source.js';
import type { Citation } from '../core/types.js';

export function citationJson(c: Citation) {
  return { article: c.article, title: c.title, outlet: c.outlet, published: c.published, url: c.url, quote: c.quote };
}

export function sourceJson(a: SourceAnswer) {
  return {
    passages: a.passages.map((p) => ({
      score: p.score,
      quote: p.quote,
      citation: { article: p.citation.article, title: p.citation.title, outlet: p.citation.outlet, published: p.citation.published, url: p.citation.url },
    })),
  };
}
