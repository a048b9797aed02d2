// Parsing and extraction share one wink-nlp reading of each paragraph (src/corpus/segment.ts, readParagraph):
// its sentences split the article, its parts of speech tag the speaker and statement tokens. Before, each
// sentence was read a second time on its own for its tags. wink tags across a whole text, so these tests hold
// the paragraph's tags to those of each sentence read alone, on real articles, generated articles, and
// paragraphs of real sentences put together in many orders (what ends one sentence is next to what starts
// the next). They are equal on all the text tried, but not by construction: where sentences run together
// with no space at all ("He saidJan.’sSept.” more", found by a review) a token's tag can differ, so the
// extraction of such text may differ from before this change (never from run to run).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { article } from '../bench/corpus.js';
import { loadFile, parseArticle } from '../src/corpus/load.js';
import { readParagraph, splitSentences } from '../src/corpus/segment.js';
import { tokenize } from '../src/extract/speakers.js';
import type { Article } from '../src/core/types.js';
import { CORPUS } from './helpers.js';

const tagsOf = (toks: { text: string; start: number; pos: string }[]) => toks.map((t) => `${t.start}:${t.text}:${t.pos}`);

/** For every sentence: the tokens tagged from its paragraph's reading, and from the sentence read alone. */
function compare(a: Article) {
  let sentences = 0;
  for (const s of a.sentences) {
    const para = a.paragraphs[s.paragraph]!;
    expect(tagsOf(tokenize(a.body, s, undefined, para)), s.text).toEqual(tagsOf(tokenize(a.body, s)));
    sentences++;
  }
  return sentences;
}

describe('one wink reading per paragraph', () => {
  const bundled = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).map((f) => {
    const r = loadFile(join(CORPUS, f));
    if (!('article' in r)) throw new Error(`${f} did not load`);
    return r.article;
  });

  it('tags each sentence of the bundled corpus as the sentence read alone does', () => {
    expect(bundled.reduce((n, a) => n + compare(a), 0)).toBeGreaterThan(90);
  });

  it('tags each sentence of generated articles as the sentence read alone does', () => {
    let n = 0;
    for (let i = 0; i < 40; i++) n += compare(parseArticle(`gen-${i}.md`, article(11, i).text));
    expect(n).toBeGreaterThan(400);
  });

  it('tags real sentences the same whatever sentence comes before or after them', () => {
    const pool = bundled.flatMap((a) => a.sentences.map((s) => s.text));
    let seed = 5;
    const pick = () => pool[(seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % pool.length]!;
    let tokens = 0;
    for (let k = 0; k < 150; k++) {
      const body = Array.from({ length: 3 }, pick).join(' ');
      const para = { start: 0, end: body.length };
      for (const span of splitSentences(body, para)) {
        const s = { ...span, index: 0, paragraph: 0, text: body.slice(span.start, span.end), caption: false };
        const fromParagraph = tokenize(body, s, undefined, para);
        expect(tagsOf(fromParagraph), s.text).toEqual(tagsOf(tokenize(body, s)));
        tokens += fromParagraph.length;
      }
    }
    expect(tokens).toBeGreaterThan(5000);
  });

  it('reads a paragraph once for both its sentences and its tags', () => {
    const text = 'Kirby said on Friday that the shipments continued. He did not say how many.';
    const first = readParagraph(text);
    expect(first.sentences).toHaveLength(2);
    expect(readParagraph(text)).toBe(first);
    expect(first.pos.get(text.indexOf('Kirby'))).toBe('PROPN');
  });
});
