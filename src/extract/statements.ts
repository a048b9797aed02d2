// Quotes and reported speech with their speakers. (Filled in by the who-said work.)
import type { Article } from '../core/types.js';
import type { Statement } from './types.js';

export function extractStatements(_article: Article): Statement[] {
  return [];
}
