// Dated events of one article. (Filled in by the timeline work.)
import type { Article } from '../core/types.js';
import type { ArticleEvent, DateMention } from './types.js';

export function eventsOf(_article: Article, _dates: DateMention[]): ArticleEvent[] {
  return [];
}
