// Time expressions of an article, resolved against its publication date. (Filled in by the timeline work.)
import type { Article } from '../core/types.js';
import type { DateMention } from './types.js';

export function extractDates(_article: Article): DateMention[] {
  return [];
}
