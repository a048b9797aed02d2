// Which alias groups a sentence names (its indexed "entities" field): found by one scan for any alias name
// and each group's pattern tried only where one matched (PassageIndex.entitiesOf). It must be exactly the
// groups whose own pattern matches somewhere in the text, as testing each group over the whole text gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALIASES, type AliasTable } from '../src/search/aliases.js';
import { groupPattern, PassageIndex } from '../src/search/passages.js';
import { writeCorpus } from '../bench/corpus.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { articlesIn, SHARED } from './helpers.js';

/** Each group's pattern over the whole text. */
function byEachGroup(table: AliasTable, text: string): string {
  return table
    .map((g, i) => (groupPattern(g).some((re) => re.test(text)) ? `ent${i}` : null))
    .filter((x) => x !== null)
    .join(' ');
}

/** The default table and one with overlapping, nested, accented and astral names, and a group of capitals only. */
const TABLES: AliasTable[] = [
  DEFAULT_ALIASES,
  [
    ...DEFAULT_ALIASES,
    ['Korea', 'Korean Peninsula'],
    ['Security', 'UN'],
    ['Zelenskyy', 'Zelensky', 'Зеленський'],
    ['São Paulo', 'SP'],
    ['𝒳 Corp', '𝒳'],
    ['NATO', 'OTAN'],
    ['the Council', 'Council of Europe'],
    ['Parliament', 'The '],
  ],
];

describe('the alias groups a sentence names', () => {
  it('are those each group\'s own pattern finds, on every sentence of the seeds, the bundled corpus and generated articles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-aliases-'));
    try {
      writeCorpus(dir, 40, 9);
      const texts = [...articlesIn(), ...articlesIn(join(SHARED, 'seeds')), ...articlesIn(dir)].flatMap((a) => [a.meta.title, ...a.sentences.map((s) => s.text)]);
      expect(texts.length).toBeGreaterThan(1000);
      for (const table of TABLES) {
        const index = new PassageIndex(table);
        let named = 0;
        for (const t of texts) {
          const got = index.entitiesOf(t);
          expect(got, t).toBe(byEachGroup(table, t));
          if (got) named++;
        }
        expect(named).toBeGreaterThan(100);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are those each group\'s own pattern finds, on texts made of names, their pieces, letters and marks', () => {
    for (const table of TABLES) {
      const index = new PassageIndex(table);
      const names = table.flat();
      const piece = fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...names) },
        { weight: 2, arbitrary: fc.constantFrom(...names).map((n) => n.toLowerCase()) },
        { weight: 2, arbitrary: fc.constantFrom(...names).map((n) => n.toUpperCase()) },
        { weight: 2, arbitrary: fc.constantFrom(...names).chain((n) => fc.nat(n.length).map((k) => n.slice(0, k))) },
        { weight: 3, arbitrary: fc.constantFrom(' ', ', ', '.', "'s ", '-', '—', '"', 'x', '9', 'é', '𝒳', 'the ', 'The ', '\n') },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
          const text = parts.join('');
          expect(index.entitiesOf(text)).toBe(byEachGroup(table, text));
        }),
        { numRuns: 3000 },
      );
    }
  });

  it('are none for a table with no groups, and a name that is only "The " names nothing', () => {
    expect(new PassageIndex([]).entitiesOf('North Korea and the US')).toBe('');
    const index = new PassageIndex([['Parliament', 'The '], ['Senate', 'the upper house']]);
    expect(index.entitiesOf('The vote was held on Tuesday, a𝒳.')).toBe('');
    expect(index.entitiesOf('The Parliament and the upper house voted.')).toBe('ent0 ent1');
  });
});
