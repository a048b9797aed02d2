import { describe, expect, it } from 'vitest';
import { buildDossier } from '../src/core/dossier.js';
import { answerSource } from '../src/answers/source.js';
import { tempCorpus } from './helpers.js';

const dir = tempCorpus({
  'a.md': '---\ntitle: One\noutlet: Daily\n---\nPyongyang fired a missile into the sea on Monday.\n\nThe weather was mild.\n',
  'b.md': '---\ntitle: Two\noutlet: Weekly\n---\nThe Kremlin denied sending troops.\n\nUS officials met in Geneva.\n\nWe asked them to wait.\n',
  'aliases.yaml': '- [Geneva, the Swiss city]\n',
});
const d = buildDossier(dir);

describe('the passage index', () => {
  it('applies the alias table at query time: North Korea finds Pyongyang, Russia finds the Kremlin', () => {
    expect(answerSource(d, { query: 'North Korea missile' }).passages[0]!.quote).toMatch(/^Pyongyang fired/);
    expect(answerSource(d, { query: 'Russia denied' }).passages[0]!.quote).toMatch(/^The Kremlin denied/);
  });

  it('reads a corpus aliases.yaml', () => {
    // "Swiss" and "city" stand in no article: only the corpus's own alias group can find Geneva.
    expect(answerSource(d, { query: 'the Swiss city' }).passages.map((p) => p.quote)).toEqual(['US officials met in Geneva.']);
  });

  it('does not take the pronoun "us" for the United States', () => {
    const quotes = answerSource(d, { query: 'United States officials' }).passages.map((p) => p.quote);
    expect(quotes[0]).toMatch(/^US officials/);
    expect(quotes).not.toContain('We asked them to wait.');
  });

  it('matches word forms and small misspellings', () => {
    expect(answerSource(d, { query: 'missiles' }).passages[0]!.quote).toMatch(/missile/);
    expect(answerSource(d, { query: 'weathr' }).passages[0]!.quote).toMatch(/weather/);
  });

  it('ignores stop words and question words', () => {
    expect(answerSource(d, { query: 'what was the' }).passages).toEqual([]);
  });
});
