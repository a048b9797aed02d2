// What a corpus worker thread (src/corpus/extract-worker.ts) sends back for one file: the article and its
// extraction packed as the cache stores them (src/core/stored.ts). Structured-cloning the objects
// themselves cost ~0.4 ms per article on the receiving thread (every sentence, event and statement an
// object, every quote and sentence text a copy): at 10,000 articles, 4 s of the thread that indexes.
// Packed, a reply is a few flat arrays, and the texts are read back as slices of the body.
import { type StoredArticle, packExtraction, readExtraction, reviveArticle, storeArticle } from '../core/stored.js';
import type { Article, CorpusProblem } from '../core/types.js';
import type { Extraction } from '../extract/types.js';
import { idOf } from './load.js';

/** One file loaded and extracted (or the reason it did not load). */
export type Processed =
  | { article: Article; extraction: Extraction | null; extractError: string | null }
  | { problem: CorpusProblem };

export interface WorkerReply {
  id?: number;
  ready?: boolean;
  article?: StoredArticle;
  extraction?: unknown;
  extractError?: string | null;
  problem?: CorpusProblem;
  error?: string;
}

/** The worker's reply for a file it loaded (and extracted, or failed to). */
export function replyOf(id: number, article: Article, extraction: Extraction | null, extractError: string | null): WorkerReply {
  return { id, article: storeArticle(article), extraction: extraction ? packExtraction(extraction, article.body) : null, extractError };
}

/**
 * A worker's reply about the file at `path`, read back; a reply that does not read back is that file's
 * problem. The extraction is checked now but its lists are made only when first read, as a start-up reads
 * the cache (readExtraction): a cold build of 10,000 articles then holds ~570,000 fewer objects on the thread
 * that indexes (its peak 60–80 MB lower), and saves what no one has read yet as it came.
 */
export function fromReply(m: WorkerReply, path: string): Processed {
  if (m.problem) return { problem: m.problem };
  if (m.article) {
    try {
      const article = reviveArticle(m.article, idOf(path), path);
      const extraction = m.extraction ? readExtraction(m.extraction, article.body) : null;
      return { article, extraction, extractError: m.extractError ?? null };
    } catch (e) {
      return { problem: { file: path, line: null, reason: `could not be read: ${(e as Error).message}`, severity: 'error' } };
    }
  }
  return { problem: { file: path, line: null, reason: `could not be read: ${m.error ?? 'unknown error'}`, severity: 'error' } };
}
