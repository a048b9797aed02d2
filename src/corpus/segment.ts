// Paragraphs and sentences with offsets into the body, so that every passage is traced back verbatim.
// Sentence boundaries come from wink-nlp (which knows "Sept.", "U.S.", "Dr." and splits "Ukraine.In");
// this file only maps its sentences back onto character offsets and tidies their edges.
import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import type { Span } from '../core/types.js';

type Wink = ReturnType<typeof winkNLP>;
/** wink-nlp's annotations; an instance runs those it is given, in wink's own order. */
export type WinkAnnotation = 'sbd' | 'negation' | 'sentiment' | 'pos' | 'ner' | 'cer';

const instances = new Map<string, Wink>();
/**
 * A wink-nlp instance that runs only `pipe` (every annotation when none is given): Dossier needs
 * sentence boundaries ('sbd') and parts of speech ('pos') — the same sentences and tags as the whole
 * pipeline, several times faster (wink tags from the tokens alone; 'sbd' changes no tag). Loading the
 * library and its model takes ~0.3 s per instance, so each is made once and only when a text must be
 * read: a start-up served from the persisted cache never loads one.
 */
export function getNlp(pipe?: readonly WinkAnnotation[]): Wink {
  const key = pipe ? pipe.join(',') : '*';
  let nlp = instances.get(key);
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const wink = require('wink-nlp') as typeof winkNLP;
    nlp = wink(require('wink-eng-lite-web-model'), pipe ? [...pipe] : undefined);
    instances.set(key, nlp);
  }
  return nlp;
}

/** One wink pass gives a paragraph's sentences and its parts of speech (tagged over the whole paragraph). */
const SENTENCES_AND_POS: readonly WinkAnnotation[] = ['sbd', 'pos'];

/** wink-nlp's reading of one paragraph's text: its sentences, and each token's part of speech by offset. */
export interface Reading {
  readonly sentences: readonly string[];
  /** Offset in the text → universal part of speech (PROPN, NOUN, VERB, …) of the wink token starting there. */
  readonly pos: ReadonlyMap<number, string>;
}
const readings = new Map<string, Reading>();
/**
 * Reads a paragraph's text with wink-nlp once for both the sentence splitter (parsing) and the part-of-speech
 * tags (extraction, which comes straight after in the same thread): the last few hundred readings are kept,
 * and a text read again (a miss, or boilerplate seen before) gives the same reading. Any other text whose
 * tags are wanted on its own (a heading read as a sentence) is read the same way.
 */
export function readParagraph(text: string): Reading {
  const hit = readings.get(text);
  if (hit) return hit;
  const nlp = getNlp(SENTENCES_AND_POS);
  const doc = nlp.readDoc(text);
  const sentences: string[] = [];
  doc.sentences().each((s: { out(): string }) => {
    sentences.push(s.out());
  });
  const words: string[] = doc.tokens().out();
  const tags: string[] = doc.tokens().out(nlp.its.pos);
  const pos = new Map<number, string>();
  let cursor = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const at = text.indexOf(w, cursor);
    if (at < 0 || at - cursor > 40) continue;
    pos.set(at, tags[i] ?? 'X');
    cursor = at + w.length;
  }
  // The oldest reading goes first: the paragraphs of the article being read stay until it is extracted.
  if (readings.size >= 512) readings.delete(readings.keys().next().value!);
  const reading = { sentences, pos };
  readings.set(text, reading);
  return reading;
}

/** Lines that start a new paragraph even without a blank line: bullets and list items. */
const BULLET = /^\s*(?:[•·▪‣◦*\-–—]|\d{1,2}[.)])\s+/;
const ENDS_SENTENCE = /[.!?:;"”’)\]…]\s*$/;

/**
 * Splits the body into paragraph spans. A blank line always ends a paragraph; a single line break
 * does too when the line before ends a sentence or the next line is a bullet or starts with a
 * capital after a short line — a hard-wrapped paragraph (a line that stops mid-sentence, followed
 * by a line in lower case) is kept together.
 */
export function splitParagraphs(body: string): Span[] {
  const out: Span[] = [];
  const lineRe = /[^\n]*(?:\n|$)/g;
  let cur: Span | null = null;
  let prevLine = '';
  for (let m = lineRe.exec(body); m && m[0].length > 0; m = lineRe.exec(body)) {
    const raw = m[0].replace(/\n$/, '');
    const start = m.index;
    const trimmedStart = start + (raw.length - raw.trimStart().length);
    const end = start + raw.trimEnd().length;
    if (raw.trim() === '') {
      if (cur) out.push(cur);
      cur = null;
      prevLine = '';
      continue;
    }
    const continues =
      cur !== null && !ENDS_SENTENCE.test(prevLine) && !BULLET.test(raw) && /^\s*[a-z(,]/.test(raw) && prevLine.trim().length > 40;
    if (continues && cur) cur.end = end;
    else {
      if (cur) out.push(cur);
      cur = { start: trimmedStart, end };
    }
    prevLine = raw;
  }
  if (cur) out.push(cur);
  return out.filter((p) => p.end > p.start);
}

/** The text of a paragraph its sentences are read from (a leading bullet is not part of a sentence), and where it starts. */
export function paragraphText(body: string, para: Span): { from: number; inner: string } {
  const lead = BULLET.exec(body.slice(para.start, para.end))?.[0].length ?? 0;
  const from = para.start + lead;
  return { from, inner: body.slice(from, para.end) };
}

/**
 * Sentences of one paragraph as spans into the body. Uses wink-nlp for the boundaries, then finds
 * each sentence's text in the paragraph from a moving cursor (wink-nlp keeps the original spelling).
 */
export function splitSentences(body: string, para: Span): Span[] {
  const { from, inner } = paragraphText(body, para);
  if (inner.trim() === '') return [];
  const spans: Span[] = [];
  let cursor = 0;
  for (const piece of readParagraph(inner).sentences) {
    const p = piece.trim();
    if (!p) continue;
    let at = inner.indexOf(p, cursor);
    if (at < 0) {
      // wink-nlp normalised something (rare): fall back to matching on the first token.
      const first = p.split(/\s+/)[0] ?? p;
      at = inner.indexOf(first, cursor);
      if (at < 0) continue;
    }
    if (spans.length > 0 && at > cursor) {
      // keep text between sentences with the one before, unless it is whitespace
    }
    spans.push({ start: from + at, end: Math.min(from + at + p.length, para.end) });
    cursor = at + p.length;
  }
  // Make the sentences tile the paragraph: a piece wink-nlp dropped stays with its neighbour.
  for (let i = 0; i < spans.length; i++) {
    const next = spans[i + 1];
    const s = spans[i]!;
    const stop = next ? next.start : para.end;
    const gap = body.slice(s.end, stop);
    if (gap.trim() !== '') s.end = stop - (gap.length - gap.trimEnd().length);
  }
  if (spans.length > 0 && spans[0]!.start > from && body.slice(from, spans[0]!.start).trim() !== '') spans[0]!.start = from;
  return mergeQuoteTails(body, spans);
}

/**
 * wink-nlp sometimes ends a sentence inside a quotation ("…Ukraine." he said. → two pieces) or
 * leaves a lone closing mark or attribution fragment: join a piece that starts in lower case with a
 * said-verb, or that is only punctuation, to the sentence before it.
 */
function mergeQuoteTails(body: string, spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const t = body.slice(s.start, s.end);
    const prev = out[out.length - 1];
    if (prev && (/^[\s"”’'»)\]]*$/.test(t) || /^\([^()]{1,40}\)$/.test(t) || /^[a-z]/.test(t) && /^[a-z]+\s+(?:said|says|added|told|asked|wrote|noted)\b/.test(t))) {
      prev.end = s.end;
    } else out.push({ ...s });
  }
  return out;
}
