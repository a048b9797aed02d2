// The Dossier: a loaded corpus, what was extracted from it and its passage index. Answers are pure
// functions over it. A new Dossier is built (or updated copy-on-write) rather than mutated in place,
// so queries in flight keep the one they started with.
import { loadCorpus } from '../corpus/load.js';
import { extract } from '../extract/index.js';
import type { Extraction } from '../extract/types.js';
import { type AliasTable, loadAliases } from '../search/aliases.js';
import { PassageIndex } from '../search/passages.js';
import type { Article, CorpusProblem, Sentence } from './types.js';

export interface Dossier {
  dir: string;
  articles: Article[];
  byId: Map<string, Article>;
  extractions: Map<string, Extraction>;
  problems: CorpusProblem[];
  aliases: AliasTable;
  passages: PassageIndex;
}

export interface BuildOptions {
  /** Extraction results from a cache, keyed by article id; used when the hash matches. */
  extractFn?: (article: Article) => Extraction;
}

export function buildDossier(dir: string, opts: BuildOptions = {}): Dossier {
  const loaded = loadCorpus(dir);
  const { table, problem } = loadAliases(dir);
  const problems = [...loaded.problems];
  if (problem) problems.push({ file: `${dir}/aliases.yaml`, line: null, reason: problem, severity: 'warning' });
  return assemble(dir, loaded.articles, problems, table, opts.extractFn ?? extract);
}

export function assemble(
  dir: string,
  articles: Article[],
  problems: CorpusProblem[],
  aliases: AliasTable,
  extractFn: (a: Article) => Extraction = extract,
  index?: PassageIndex,
): Dossier {
  const extractions = new Map<string, Extraction>();
  for (const a of articles) {
    try {
      extractions.set(a.id, extractFn(a));
    } catch (e) {
      problems.push({ file: a.file, line: null, reason: `extraction failed: ${(e as Error).message}`, severity: 'error' });
      extractions.set(a.id, { article: a.id, dates: [], events: [], statements: [] });
    }
  }
  let passages = index;
  if (!passages) {
    passages = new PassageIndex(aliases);
    for (const a of articles) passages.add(a);
  }
  return { dir, articles, byId: new Map(articles.map((a) => [a.id, a])), extractions, problems, aliases, passages };
}

export function sentenceOf(d: Dossier, article: string, index: number): Sentence | undefined {
  return d.byId.get(article)?.sentences[index];
}
