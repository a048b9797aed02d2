// The timeline merge's input packed for a worker thread (structured clone): only what clusterReports
// (src/extract/merge.ts) reads of each article and report. Used by src/answers/timeline.ts and the worker
// (src/extract/merge-worker.ts).
import type { Article } from '../core/types.js';
import { type EventReport, clusterReports } from './merge.js';
import type { ArticleEvent } from './types.js';

/** What the merge reads of an article: sentence texts are slices of the body, sent as [start, end, paragraph, caption]. */
export interface MergeArticle {
  id: string;
  body: string;
  title: string;
  published: string | null;
  sentences: [number, number, number, 0 | 1][];
}
export interface MergeInput {
  articles: MergeArticle[];
  /** Each report: its event and the index of its article in `articles`. */
  reports: [ArticleEvent, number][];
  /** Index in `articles` of each article of the corpus (sentence statistics are taken over these). */
  corpus: number[];
}

/** The merge's input, packed for a worker (structured clone): only what clusterReports reads. */
export function mergeInput(reports: EventReport[], corpus: Article[]): MergeInput {
  const index = new Map<string, number>();
  const articles: MergeArticle[] = [];
  const add = (a: Article) => {
    let i = index.get(a.id);
    if (i === undefined) {
      i = articles.length;
      index.set(a.id, i);
      articles.push({ id: a.id, body: a.body, title: a.meta.title, published: a.meta.published, sentences: a.sentences.map((s) => [s.start, s.end, s.paragraph, s.caption ? 1 : 0]) });
    }
    return i;
  };
  return { corpus: corpus.map(add), reports: reports.map((r) => [r.event, add(r.article)]), articles };
}

/** clusterReports over a packed input (in the worker, or on the calling thread when no worker can start). */
export function clusterInput(input: MergeInput): number[][] {
  const articles = input.articles.map(
    (a) =>
      ({
        id: a.id,
        body: a.body,
        meta: { title: a.title, published: a.published },
        sentences: a.sentences.map(([start, end, paragraph, caption], i) => ({ start, end, index: i, paragraph, caption: caption === 1, text: a.body.slice(start, end) })),
      }) as unknown as Article,
  );
  const reports: EventReport[] = input.reports.map(([event, i]) => ({ event, article: articles[i]! }));
  return clusterReports(
    reports,
    input.corpus.map((i) => articles[i]!),
  );
}
