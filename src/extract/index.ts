// Extraction of one article: its dates, dated events and statements. Pure and deterministic,
// so the result can be cached by the file's hash and the extractor's version.
import type { Article } from '../core/types.js';
import { extractDates } from './dates.js';
import { eventsOf } from './events.js';
import { extractStatements } from './statements.js';
import type { Extraction } from './types.js';

/** Bump when extraction changes what it returns: cached results of older versions are not trusted. */
export const EXTRACTOR_VERSION = 1;

export function extract(article: Article): Extraction {
  const dates = extractDates(article);
  const events = eventsOf(article, dates);
  const statements = extractStatements(article);
  return { article: article.id, dates, events, statements };
}
