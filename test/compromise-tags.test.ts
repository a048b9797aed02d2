// Speaker resolution reads compromise's people and places straight off its tags (src/extract/speakers.ts,
// wordsFromTags) instead of through its people()/places() match patterns, for speed. These tests hold the
// two to the same words on every paragraph and sentence of real and generated articles, and on the texts
// where the tags alone cannot tell (which must go back to compromise's own methods).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { article } from '../bench/corpus.js';
import { compromiseDoc, type CompromiseTerm, wordsFromTags } from '../src/extract/speakers.js';
import { CORPUS } from './helpers.js';

const words = (list: string[]) => new Set(list.flatMap((p) => p.split(/\s+/).map((w) => w.replace(/[^\p{L}-]/gu, '').toLowerCase())));
const termsOf = (doc: unknown) => (doc as { docs: CompromiseTerm[][] }).docs;

/** The words compromise's own people()/places() give, and those read off the tags (null: fell back). */
function both(text: string, quick: boolean) {
  const doc = compromiseDoc(text, quick);
  const fast = wordsFromTags(termsOf(doc));
  const slow = { people: words(doc.people().out('array') as string[]), places: words(doc.places().out('array') as string[]) };
  return { fast: fast && { people: words(fast.people), places: words(fast.places) }, slow };
}

function textsOf(bodies: string[]): string[] {
  const out = new Set<string>();
  for (const b of bodies)
    for (const p of b.split(/\n\s*\n/)) {
      out.add(p.trim());
      for (const s of p.split(/(?<=[.!?”"])\s+/)) out.add(s.trim());
    }
  out.delete('');
  return [...out];
}

describe('people and places read off compromise tags', () => {
  const bundled = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(CORPUS, f), 'utf8'));
  const generated = Array.from({ length: 40 }, (_, i) => article(7, i).text);
  const edge = [
    'Karine Jean-Pierre met Kim Jong-un and Dr. Nair’s aide, Mr. John Smith, in Paris, France.',
    'Sir John Smith Sir Jones spoke.',
    'Mr. Mrs. John Doe and Gen. Mark Milley, Dr., said.',
    'John Smith,Mary Jones met in Seoul ,Tokyo and Paris,France.',
    '“Kirby,” he said — Biden-Harris aides disagreed with Asia, Europe and Africa, Europe.',
    "(Dr. Jill Biden) and 'Emmanuel Macron' flew to 10 Downing Street, London.",
  ];
  const texts = textsOf([...bundled, ...generated, ...edge]);

  it('gives the same words as people() and places() on every paragraph and sentence', () => {
    expect(texts.length).toBeGreaterThan(500);
    let compared = 0;
    const fellBack: string[] = [];
    for (const t of texts)
      for (const quick of [true, false]) {
        const { fast, slow } = both(t, quick);
        if (!fast) {
          fellBack.push(t);
          continue;
        }
        compared++;
        expect({ text: t, quick, ...fast }).toEqual({ text: t, quick, ...slow });
      }
    expect(compared).toBeGreaterThan(1000);
    // None of these texts has a possessive run into the next name without a space: all were compared.
    expect(fellBack).toEqual([]);
  });

  it('falls back to compromise where a match would split between two terms with no space between them', () => {
    const doc = compromiseDoc("Kim's-Putin");
    const terms = termsOf(doc);
    // compromise splits people() after a possessive; the run would have made one word of both names.
    expect(wordsFromTags(terms)).toBeNull();
    expect(doc.people().out('array')).toEqual(["Kim's-", 'Putin']);
  });
});
