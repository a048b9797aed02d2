// Shared test helpers: temporary corpora written for a test, the articles of a folder.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/** Folders made by tempDir in this test file, removed after its tests (test/setup.ts). */
const made: string[] = [];

/** A fresh, empty folder under the system's temporary folder, removed once the test file's tests are done. */
export function tempDir(prefix = 'dossier-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made (called after each test file). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh folder holding the given files (name → text or bytes). */
export function tempCorpus(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
