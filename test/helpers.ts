// Shared test helpers: temporary corpora written for a test, the articles of a folder.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Article } from '../src/core/types.js';
import { loadFile } from '../src/corpus/load.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const CORPUS = join(ROOT, 'corpus');
export const SHARED = resolve(ROOT, '..', 'shared');

/** The articles of the .md files in `dir` (the bundled corpus by default), in name order; files that do not load are left out. */
export function articlesIn(dir: string = CORPUS): Article[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => {
      const r = loadFile(join(dir, f));
      return 'article' in r ? [r.article] : [];
    });
}

/** A fresh folder holding the given files (name → text or bytes). */
export function tempCorpus(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
