// Quotes and reported speech with their speakers.
//
// 1. Quotations are found per paragraph, in every style (“…”, "…", ‘…’, «…», „…“, ''…'', ``…''); a quote
//    whose closing mark is missing ends at its paragraph, and one that runs on into a paragraph that opens
//    with a mark again continues there.
// 2. Each sentence's attributions ("frames") are found outside quotes: a speech verb, the noun phrase that
//    speaks (before it, after it, or "according to X") and the words it reports.
// 3. Each quote goes to the frame that reports it (same sentence, or the next/previous one: "He said it
//    after…", "… said:"), else to the speaker of the quote it continues. A quote with no speaker is dropped:
//    no statement is better than a wrong speaker. Names, titles and scare quotes are not statements.
import type { Article, Paragraph, Sentence, Span } from '../core/types.js';
import {
  ArticleSpeakers,
  type Resolved,
  type Tok,
  cleanRole,
  isMediaSource,
  nameKey,
  npAfter,
  npBefore,
  resolveNP,
  tokenize,
} from './speakers.js';
import type { Statement } from './types.js';

// Patterns of the functions below (esbuild compiles a literal with some \p{…} escapes to `new RegExp(…)`: made here once, not at every call).
const CALLED_BY = /\b(?:he|she|they|it|\p{Lu}\p{L}+)\s+(?:called|termed|dubbed)\s+(?:it|them|this|that|the \w+)?\s*(?:as\s+)?(?:an?\s+)?$/iu;
const STARTS_CAPITAL = /^\p{Lu}/u;

// ——— Quotations ———

export interface Quote {
  /** The words inside the marks (trimmed): body.slice(start, end). */
  start: number;
  end: number;
  /** Offsets of the opening mark and just past the closing mark (or the paragraph end when unclosed). */
  open: number;
  close: number;
  paragraph: number;
  closed: boolean;
  /** Opened again at the start of this paragraph after an unclosed quote in the one before. */
  continues: boolean;
}

const PAIRS: Record<string, string[]> = {
  '“': ['”'],
  '„': ['“', '”'],
  '«': ['»'],
  '‹': ['›'],
  '"': ['"', '”'],
  "''": ["''", '”'],
  '``': ["''"],
  '‘': ['’'],
  "'": ["'"],
};
const OPENERS = ["''", '``', '“', '„', '«', '‹', '"', '‘', "'"];

const isLetter = (c: string | undefined) => !!c && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

function openerAt(text: string, i: number): string | null {
  for (const o of OPENERS) {
    if (!text.startsWith(o, i)) continue;
    const before = text[i - 1];
    const after = text[i + o.length];
    if (o === '“' || o === '«' || o === '„' || o === '‹') return isSpace(after) && o !== '«' ? null : o;
    // Straight and single marks open only at a word's start and before a word.
    const startOk = before === undefined || /[\s(\[—–\-/:;,]/.test(before);
    if (!startOk || isSpace(after)) continue;
    if ((o === "'" || o === '‘') && !isLetter(after)) continue;
    return o;
  }
  return null;
}

function closerAt(text: string, i: number, open: string): string | null {
  for (const c of PAIRS[open] ?? []) {
    if (!text.startsWith(c, i)) continue;
    const after = text[i + c.length];
    const before = text[i - 1];
    // A single mark inside a word is an apostrophe (Korea’s, don't), not a close.
    if ((c === '’' || c === "'") && (isLetter(after) || isSpace(before))) continue;
    if (c === '"' && isSpace(before) && !isSpace(after)) continue; // looks like the next opener
    return c;
  }
  return null;
}

/** Quotations in the article's body and caption paragraphs. */
export function findQuotes(article: Article): Quote[] {
  const out: Quote[] = [];
  const body = article.body;
  let pendingOpen: string | null = null; // an unclosed quote in the paragraph before
  let prevPara: Paragraph | null = null;
  for (const p of article.paragraphs) {
    if (p.kind !== 'body' && p.kind !== 'caption') {
      if (p.kind !== 'furniture') pendingOpen = null;
      continue;
    }
    const text = body.slice(p.start, p.end);
    let i = 0;
    let first = true;
    const carried = pendingOpen && prevPara && prevPara.index === p.index - 1 ? pendingOpen : null;
    pendingOpen = null;
    while (i < text.length) {
      const o = openerAt(text, i);
      if (!o) {
        i++;
        continue;
      }
      // Find its close in this paragraph; nested quotes of the other kind are content.
      let j = i + o.length;
      let close: string | null = null;
      while (j < text.length) {
        close = closerAt(text, j, o);
        if (close) break;
        j++;
      }
      const continues = first && carried !== null && text.slice(0, i).trim() === '';
      first = false;
      if (!close) {
        // Straight single marks never run on unclosed: too often an apostrophe.
        if (o === "'" || o === '‘') {
          i += o.length;
          continue;
        }
        const inner = trimSpan(body, p.start + i + o.length, p.end);
        if (inner.end > inner.start) out.push({ ...inner, open: p.start + i, close: p.end, paragraph: p.index, closed: false, continues });
        pendingOpen = o;
        break;
      }
      const inner = trimSpan(body, p.start + i + o.length, p.start + j);
      if (inner.end > inner.start) out.push({ ...inner, open: p.start + i, close: p.start + j + close.length, paragraph: p.index, closed: true, continues });
      i = j + close.length;
    }
    prevPara = p;
  }
  return out;
}

function trimSpan(body: string, start: number, end: number): Span {
  while (start < end && /\s/.test(body[start]!)) start++;
  while (end > start && /\s/.test(body[end - 1]!)) end--;
  return { start, end };
}

// ——— Attribution frames ———

type VerbClass = 'say' | 'tell' | 'report' | 'express' | 'call' | 'refer' | 'describe';

const VERBS: Record<string, VerbClass> = {};
const add = (cls: VerbClass, words: string) => {
  for (const w of words.split(/\s+/)) VERBS[w] = cls;
};
add('say', 'say says said saying state states stated stating write writes wrote writing tweeted posted');
add('tell', 'tell tells told telling inform informs informed informing assure assures assured remind reminds reminded urge urges urged urging');
add(
  'report',
  'claim claims claimed claiming deny denies denied denying add adds added adding stress stresses stressed stressing warn warns warned warning ' +
    'note notes noted noting confirm confirms confirmed confirming emphasize emphasizes emphasized emphasizing emphasise emphasises emphasised emphasising ' +
    'assert asserts asserted asserting insist insists insisted insisting argue argues argued arguing explain explains explained explaining ' +
    'mention mentions mentioned mentioning announce announces announced announcing acknowledge acknowledges acknowledged acknowledging ' +
    'allege alleges alleged alleging declare declares declared declaring maintain maintains maintained reiterate reiterates reiterated reiterating ' +
    'suggest suggests suggested disclose discloses disclosed disclosing reveal reveals revealed revealing admit admits admitted admitting ' +
    'predict predicts predicted promise promises promised pledge pledges pledged vow vows vowed threaten threatens threatened complain complains complained ' +
    'recall recalls recalled reply replies replied respond responds responded answer answered ask asks asked cite cites cited concede conceded',
);
add('express', 'express expresses expressed expressing voice voices voiced voicing');
add('call', 'call calls called calling');
add('refer', 'refer refers referred referring');
add('describe', 'describe describes described describing term terms termed terming deem deems deemed deeming brand brands branded branding label labels labelled labeled dub dubs dubbed');

/** What one may express and so say: "expressed condemnation for …", "voiced concerns about …". */
const EXPRESS_OBJECTS =
  /^(?:concerns?|condemnation|hopes?|regret|support|opposition|outrage|doubts?|confidence|frustration|dismay|disappointment|anger|alarm|skepticism|scepticism|sympathy|gratitude|solidarity|desire|wish|optimism|fears?|worry|worries|readiness|willingness|determination|commitment|appreciation|satisfaction|displeasure|indignation|protest)$/;
/** Words that introduce a name or a term, not speech. */
const NAMING = /(?:so-called|so called|dubbed|named|nicknamed|titled|entitled|codenamed|code-named|known as|called|the word|the term|the phrase|the slogan|hashtag|operation|the)\s*$/i;
const TIME_WORD =
  /^(?:on|last|this|earlier|late|later|next|in|at|during|early|jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|week|month|year|weekend|morning|afternoon|evening|night|the|a|an|\d.*|[.,]?)$/i;
const VENUE = /^(?:statement|interview|briefing|conference|speech|post|video|message|address|meeting|session|news|press|remarks|call|appearance|letter|report|op-ed|broadcast|telegram|x|twitter|facebook)$/i;

const DETERMINERS_BEFORE = /^(?:the|a|an|its|his|her|their|our|this|these|those|over|of|for|by|about|[’']s)$/;

interface Frame {
  verb: number; // token index (or the "according" token)
  cls: VerbClass | 'according' | 'label';
  speaker: Resolved | null;
  /** Token range of the speaker's noun phrase. */
  np: [number, number] | null;
  /** The reported words: offsets in the body, or null. */
  content: Span | null;
  /** Where this frame's words begin in the sentence (its subject, or the verb when inherited). */
  lead: number;
  /** The speaker follows the words it reports ("…, X said", "…,” said X", "…, according to X"). */
  after: boolean;
  /** Only a quotation can carry this frame (describing verbs: "terming them “dangerous”"). */
  quoteOnly: boolean;
  media: boolean;
  /** "He said it after …": the words are in the sentence before. */
  anaphoric: boolean;
}

interface SentenceInfo {
  s: Sentence;
  toks: Tok[];
  frames: Frame[];
}

const DATELINE = /^(?:[A-Z][A-Z.'’ ]{2,40}|[^–—\n]{0,60}\d{4})\s*(?:--|–|—)\s*/;

export function framesOf(article: Article, reg: ArticleSpeakers, s: Sentence, toks: Tok[]): Frame[] {
  const frames: Frame[] = [];
  const body = article.body;
  const sEnd = s.end;
  for (let v = 0; v < toks.length; v++) {
    const t = toks[v]!;
    if (t.quoted) continue;
    // "according to X" / ", per X"
    if ((t.lower === 'according' && toks[v + 1]?.lower === 'to') || (t.lower === 'per' && toks[v - 1]?.text === ',')) {
      const npStart = t.lower === 'according' ? v + 2 : v + 1;
      const np = npAfter(toks, npStart);
      if (!np) continue;
      const npToks = toks.slice(np[0], np[1]);
      const media = isMediaSource(npToks, article);
      const speaker = media ? null : resolveNP(reg, npToks, t.start, s.caption);
      let content: Span | null = null;
      let after = false;
      const startOfSentence = toks.slice(0, v).every((x) => x.text === ',' || x.pos === 'CCONJ' || /^(?:but|and|however|yet)$/i.test(x.text));
      if (startOfSentence || toks[np[1]]?.text === ',' && !(toks[v - 1]?.text === ',' && toks.slice(np[1] + 1).length < 3)) {
        if (toks[np[1]]?.text === ',' && toks[np[1] + 1]) content = { start: toks[np[1] + 1]!.start, end: sEnd };
      }
      if (!content && toks[v - 1] && (toks[v - 1]!.text === ',' || toks[v - 1]!.quoted)) {
        const from = sentenceStart(body, s);
        content = { start: from, end: toks[v - 1]!.quoted ? toks[v - 1]!.end : toks[v - 1]!.start };
        after = true;
      }
      frames.push({ verb: v, cls: 'according', speaker, np, content, lead: v, after, quoteOnly: false, media, anaphoric: false });
      continue;
    }
    const cls = VERBS[t.lower];
    if (!cls) continue;
    if (t.pos !== 'VERB' && t.pos !== 'AUX' && !((t.pos === 'NOUN' || t.pos === 'ADJ') && /ed$/.test(t.lower))) continue;
    if (t.lower === 'states' && t.cap) continue;
    // "alleged role", "the stated aim": an -ed word before a noun describes it; it reports nothing.
    if (/ed$/.test(t.lower) && (DETERMINERS_BEFORE.test(toks[v - 1]?.lower ?? '') || toks[v - 1]?.pos === 'PART')) continue;
    // Class-specific conditions.
    let k = v + 1;
    if (cls === 'express') {
      let m = k;
      while (m < toks.length && m < k + 4 && (toks[m]!.pos === 'DET' || toks[m]!.pos === 'ADJ' || toks[m]!.pos === 'PRON' || /^(?:his|her|its|their|grave|deep|serious)$/.test(toks[m]!.lower))) m++;
      if (!toks[m] || !EXPRESS_OBJECTS.test(toks[m]!.lower)) continue;
      k = m;
    }
    if (cls === 'call' && !/^(?:for|on)$/.test(toks[k]?.lower ?? '') && !quoteWithin(toks, k, 8)) continue;
    if (cls === 'refer' && !(toks[k]?.lower === 'to' && /^(?:as|it)$/.test(toks[k + 1]?.lower ?? ''))) continue;
    if (cls === 'describe' && !quoteWithin(toks, k, 10)) continue;
    // The speaker: the noun phrase before the verb (with an apposition), else after it ("…,” said Kirby).
    const participle = /ing$/.test(t.lower) || toks[v - 1]?.lower === 'and';
    let np: [number, number] | null = null;
    let speaker: Resolved | null = null;
    let npAfterVerb = false;
    let skipAdv = v - 1;
    while (skipAdv >= 0 && !toks[skipAdv]!.quoted && (toks[skipAdv]!.pos === 'ADV' || toks[skipAdv]!.pos === 'AUX' || /^(?:also|has|have|had|was|is|will|would)$/.test(toks[skipAdv]!.lower))) skipAdv--;
    const before = toks[skipAdv];
    if (!participle && before && before.text === ',' && !before.quoted) {
      // "John Kirby, a spokesperson for the NSC, told …" / "The US envoy, Sung Kim, told …" / "North Korea, which branded …"
      const inner = npBefore(toks, skipAdv);
      if (inner && toks[inner[0] - 1]?.text === ',') {
        const outer = npBefore(toks, inner[0] - 1);
        if (outer) {
          const a = resolveNP(reg, toks.slice(outer[0], outer[1]), toks[outer[0]]!.start, s.caption);
          const b = resolveNP(reg, toks.slice(inner[0], inner[1]), toks[inner[0]]!.start, s.caption);
          const pick = b?.kind === 'person' && a?.kind !== 'person' ? { r: b, role: a?.speaker ?? null, np: inner } : a?.kind === 'person' ? { r: a, role: b?.speaker ?? null, np: outer } : null;
          if (pick) {
            speaker = { ...pick.r, role: pick.r.role ?? (pick.role ? cleanRole(pick.role) : null) };
            np = [outer[0], inner[1]];
          }
        }
      }
    } else if (!participle) {
      np = npBefore(toks, v);
      if (np && np[1] - np[0] === 1 && /^(?:which|who)$/.test(toks[np[0]]!.lower) && toks[np[0] - 1]?.text === ',') {
        const ante = npBefore(toks, np[0] - 1);
        if (ante) {
          // The relative pronoun's antecedent: the last name in the phrase before the comma.
          let a0 = ante[1] - 1;
          while (a0 > ante[0] && toks[a0 - 1]!.cap) a0--;
          speaker = toks[a0]!.cap ? resolveNP(reg, toks.slice(a0, ante[1]), toks[a0]!.start, s.caption) : null;
          np = [a0, np[1]];
        }
      } else if (np) speaker = resolveNP(reg, toks.slice(np[0], np[1]), toks[np[0]]!.start, s.caption);
    }
    // A sentence that starts "said X" right after a closing quotation mark (the splitter cut there).
    const afterClose = !before && /[”"»’',]$/.test(body.slice(Math.max(0, t.start - 8), t.start).trimEnd());
    if (!np && !participle && (cls === 'say' || cls === 'report') && (before?.text === ',' || before?.quoted || afterClose)) {
      const after = npAfter(toks, v + 1);
      if (after) {
        np = after;
        npAfterVerb = true;
        speaker = resolveNP(reg, toks.slice(after[0], after[1]), toks[after[0]]!.start, s.caption);
        k = after[1];
        // "…,” said John Kirby, the White House spokesman."
        if (speaker && toks[k]?.text === ',') {
          const app = npAfter(toks, k + 1);
          if (app && speaker.kind === 'person' && !speaker.role) speaker = { ...speaker, role: cleanRole(sliceToks(body, toks, app)) };
          if (app) k = app[1];
        }
      }
    }
    if (participle && !speaker) {
      // "…, claiming that …", "… and emphasised …": the subject of the clause before.
      const prev = [...frames].reverse().find((f) => f.speaker && !f.media);
      if (prev) speaker = prev.speaker;
    }
    // The words it reports, after the verb.
    if (!npAfterVerb) k = skipObjectAndTime(toks, k, cls);
    let content: Span | null = null;
    let anaphoric = false;
    if (k < toks.length) {
      let c = k;
      if (toks[c]!.text === ':' || (toks[c]!.text === ',' && toks[c + 1]?.quoted)) c++;
      if (toks[c]?.lower === 'that' && !toks[c]!.quoted) c++;
      const first = toks[c];
      if (first && first.text !== ',' && first.text !== '.' && first.text !== ';' && !(first.text === '(' )) {
        if (/^(?:it|this|so)$/.test(first.lower) && cls !== 'call' && (toks[c + 1]?.pos !== 'VERB' && toks[c + 1]?.pos !== 'AUX')) anaphoric = true;
        else content = { start: first.start, end: sEnd };
      }
    }
    let after = false;
    // "…, X said." — the words come before the speaker.
    if (!content && !anaphoric && np && !npAfterVerb) {
      const lead = toks[np[0] - 1];
      if (lead && (lead.text === ',' || lead.quoted)) {
        const from = sentenceStart(body, s);
        const to = lead.quoted ? lead.end : lead.start;
        if (to > from) {
          content = { start: from, end: to };
          after = true;
        }
      }
    }
    if (npAfterVerb && !content) {
      const lead = toks[v - 1];
      if (lead) {
        content = { start: sentenceStart(body, s), end: lead.quoted ? lead.end : lead.start };
        after = true;
      }
    }
    const lead = np && !npAfterVerb ? np[0] : v;
    frames.push({ verb: v, cls, speaker, np, content, lead, after, quoteOnly: cls === 'describe' || (cls === 'call' && !/^(?:for|on)$/.test(toks[v + 1]?.lower ?? '')) || cls === 'refer', media: false, anaphoric });
  }
  // Each frame's words end where the next frame's begin (", and he emphasized …", ", according to …").
  const sorted = [...frames].sort((a, b) => a.verb - b.verb);
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i]!;
    if (!f.content || f.after) continue;
    for (const g of sorted.slice(i + 1)) {
      let b = g.after && g.np ? g.np[0] : g.lead;
      if (g.cls === 'according') b = g.verb;
      while (b > 0 && (toks[b - 1]!.text === ',' || toks[b - 1]!.lower === 'and' || toks[b - 1]!.text === ';') && !toks[b - 1]!.quoted) b--;
      const at = toks[b]?.start ?? f.content.end;
      if (at > f.content.start && at < f.content.end) {
        f.content = { start: f.content.start, end: at };
        break;
      }
    }
  }
  return frames;
}

function sliceToks(body: string, toks: Tok[], r: [number, number]): string {
  return body.slice(toks[r[0]]!.start, toks[r[1] - 1]!.end);
}

function quoteWithin(toks: Tok[], k: number, n: number): boolean {
  for (let i = k; i < Math.min(toks.length, k + n); i++) if (toks[i]!.quoted) return true;
  return false;
}

/** Skips the listener of "told reporters", and time or venue phrases ("on 13 October", "in a statement"). */
function skipObjectAndTime(toks: Tok[], k: number, cls: VerbClass): number {
  if (cls === 'tell' && toks[k] && !toks[k]!.quoted && toks[k]!.lower !== 'that') {
    const np = npAfter(toks, k);
    if (np && np[1] - np[0] <= 5) k = np[1];
  }
  if (cls === 'express') return k;
  for (let guard = 0; guard < 3; guard++) {
    const t = toks[k];
    if (!t || t.quoted) break;
    if (/^(?:on|last|this|earlier|later|late|early)$/.test(t.lower) || /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)$/i.test(t.text)) {
      let m = k + 1;
      while (m < toks.length && m < k + 5 && !toks[m]!.quoted && TIME_WORD.test(toks[m]!.text) && toks[m]!.text !== ',' && toks[m]!.lower !== 'that') m++;
      if (m === k + 1 && !/^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)$/i.test(t.text)) break;
      k = m;
      continue;
    }
    if (/^(?:in|at|during)$/.test(t.lower)) {
      let m = k + 1;
      while (m < toks.length && m < k + 6 && !toks[m]!.quoted && (toks[m]!.pos === 'DET' || toks[m]!.pos === 'ADJ' || toks[m]!.pos === 'NOUN' || toks[m]!.pos === 'PROPN') && !VENUE.test(toks[m]!.text)) m++;
      if (toks[m] && VENUE.test(toks[m]!.text)) {
        k = m + 1;
        continue;
      }
      break;
    }
    break;
  }
  return k;
}

/** Where a sentence's own words begin: after a dateline ("WASHINGTON -- ") and leading space. */
function sentenceStart(body: string, s: Sentence): number {
  const m = DATELINE.exec(s.text);
  return s.start + (m && m[0].length < s.text.length / 2 ? m[0].length : 0);
}

// ——— Labels: "[Sound bite: John Kirby - White House spokesman]" ———

const LABEL = /\[\s*(?:sound ?bite|soundbite|sot|audio|video|clip|interview)\s*:\s*([^\]]+?)\s*\]/gi;

// ——— Putting it together ———

const wordsIn = (s: string) => (s.match(/[\p{L}\p{N}]+(?:[-’'][\p{L}\p{N}]+)*/gu) ?? []).length;

/** Names, titles and scare quotes: not speech. */
function isTermNotSpeech(article: Article, q: Quote, toks: Tok[]): boolean {
  const text = article.body.slice(q.start, q.end);
  const words = text.match(/[\p{L}\p{N}]+(?:[-’'][\p{L}\p{N}]+)*/gu) ?? [];
  if (words.length === 0) return true;
  if (words.length > 3) return false;
  const before = article.body.slice(Math.max(0, q.open - 30), q.open);
  if (NAMING.test(before) && !/\b(?:what|which)\s+(?:he|she|they|it)\s+called\s*$/i.test(before) && !CALLED_BY.test(before)) {
    // "the so-called …", "a ship named …"; but "what he called a …" is speech.
    if (!/\b(?:he|she|they|who)\b[^.]{0,30}$/i.test(before)) return true;
  }
  // Every word capitalised: a name or a title ("Combined Fire Demonstration", a headline's “Dangerous”).
  if (words.every((w) => STARTS_CAPITAL.test(w))) return true;
  if (words.length === 1) {
    // One word is speech when it is an opinion (dangerous, closely), not a thing's name ("pelmeni").
    const tok = toks.find((t) => t.start >= q.start && t.start < q.end && /[\p{L}]/u.test(t.text));
    if (!tok) return true;
    if (tok.pos !== 'ADJ' && tok.pos !== 'ADV' && !(tok.pos === 'VERB' && /(?:ing|ed)$/.test(tok.lower))) return true;
  }
  return false;
}

interface Draft {
  q: Quote;
  frame: Frame | null;
  speaker: Resolved | null;
  sentence: number;
  term: boolean;
  long: boolean;
}

export function extractStatements(article: Article): Statement[] {
  const body = article.body;
  const quotes = findQuotes(article);
  const marks = quotes.map((q) => [q.open, q.close] as const);
  const quoted = (at: number) => {
    for (const [a, b] of marks) if (at >= a && at < b) return true;
    return false;
  };
  const reg = new ArticleSpeakers(article, quoted);
  const out: Statement[] = [];

  // Sentences with their frames, in order (so that pronouns resolve against what came before).
  const infos: SentenceInfo[] = [];
  for (const s of article.sentences) {
    const toks = reg.tokensOf(s);
    const frames = framesOf(article, reg, s, toks);
    for (const f of frames) if (f.speaker?.entity && f.np) reg.note(toks[f.np[0]]!.start, f.speaker.entity, s.index, s.caption);
    infos.push({ s, toks, frames });
  }
  const sentencesOf = (span: Span) => infos.filter((i) => i.s.start < span.end && i.s.end > span.start);

  // Labels in any story paragraph (a label line may be a short "heading" of its own).
  const labelled = new Map<number, Resolved>(); // paragraph index → speaker of its words
  for (const p of article.paragraphs) {
    if (p.kind === 'furniture' || p.kind === 'title') continue;
    const text = body.slice(p.start, p.end);
    for (const m of text.matchAll(LABEL)) {
      const [name, role] = m[1]!.split(/\s+[-–—:|]\s+|\s*,\s+/, 2);
      if (!name || !STARTS_CAPITAL.test(name)) continue;
      const ent = reg.entities.get(nameKey(name)) ?? reg.bySurname(name);
      const speaker: Resolved = { speaker: ent?.name ?? name.trim(), role: ent?.role ?? (role ? cleanRole(role) : null), kind: 'person', entity: ent ?? null };
      const restStart = p.start + m.index! + m[0].length;
      const rest = trimSpan(body, restStart, p.end);
      if (rest.end > rest.start && (p.kind === 'body' || p.kind === 'caption')) {
        labelled.set(p.index, speaker);
        if (!quotes.some((q) => q.paragraph === p.index && q.open >= restStart)) pushDirect(out, article, rest, speaker, sentencesOf(rest));
      } else {
        const next = article.paragraphs[p.index + 1];
        if (next && (next.kind === 'body' || next.kind === 'caption')) {
          labelled.set(next.index, speaker);
          if (!quotes.some((q) => q.paragraph === next.index)) {
            const span = trimSpan(body, next.start, next.end);
            pushDirect(out, article, span, speaker, sentencesOf(span));
          }
        }
      }
    }
  }

  // Each quote's frame.
  const drafts: Draft[] = [];
  for (const q of quotes) {
    const sents = sentencesOf(q);
    if (sents.length === 0) continue;
    const toks = sents.flatMap((i) => i.toks);
    const term = isTermNotSpeech(article, q, toks);
    let frame: Frame | null = null;
    // 1. A frame whose words contain the quote, nearest verb first; or one right after the quote.
    for (const info of sents) {
      for (const f of info.frames) {
        if (!f.content || f.media) continue;
        if (f.content.start <= q.open + 1 && q.start < f.content.end && (!f.after || f.content.end >= q.end - 1)) {
          if (!frame || Math.abs(info.toks[f.verb]!.start - q.open) < Math.abs(tokStart(sents, frame) - q.open)) frame = f;
        }
      }
    }
    if (!frame) {
      const last = sents[sents.length - 1]!;
      const f = last.frames.find((f) => f.np && !f.media && last.toks[f.after ? f.np[0] : f.verb]!.start >= q.close && gapIsAttribution(body, q.close, last.toks[Math.min(f.verb, f.np![0])]!.start));
      if (f) frame = f;
    }
    // 2. The next sentence: "He said it after …"; or the one before, ending "… said:".
    if (!frame) {
      const lastIdx = sents[sents.length - 1]!.s.index;
      const next = infos.find((i) => i.s.index === lastIdx + 1);
      const prev = infos.find((i) => i.s.index === sents[0]!.s.index - 1);
      if (next && next.s.paragraph <= q.paragraph + 1) {
        // "He said it after …", or a sentence that is only an attribution ("Kirby said on Friday.").
        const f = next.frames.find((f) => f.np && f.np[0] <= 1 && f.speaker && !f.media && (f.anaphoric || !f.content));
        if (f) frame = f;
      }
      // The line before may be a short paragraph of its own ("Prigozhin said on Telegram:"), which the
      // cleaner calls a heading: read it as a sentence here.
      const firstOwn = sents[0]!;
      const paraBefore = article.paragraphs[firstOwn.s.paragraph - 1];
      let intro: SentenceInfo | undefined = prev && prev.s.paragraph >= firstOwn.s.paragraph - 1 ? prev : undefined;
      if (!intro && paraBefore && paraBefore.kind === 'heading') {
        const ps: Sentence = { start: paraBefore.start, end: paraBefore.end, index: -1, paragraph: paraBefore.index, text: body.slice(paraBefore.start, paraBefore.end), caption: false };
        const toks = tokenize(body, ps, quoted);
        intro = { s: ps, toks, frames: framesOf(article, reg, ps, toks) };
      }
      if (!frame && intro && /:\s*$/.test(intro.s.text)) {
        const pv = intro;
        const f = [...pv.frames].reverse().find((f) => f.speaker && !f.media && (!f.content || f.content.end >= pv.s.end - 2));
        if (f) frame = f;
      }
    }
    drafts.push({ q, frame, speaker: frame?.speaker ?? labelled.get(q.paragraph) ?? null, sentence: sents[0]!.s.index, term, long: wordsIn(body.slice(q.start, q.end)) >= 4 });
  }
  // 3. Split and continued quotes: "“…,” he said. “…”" and a quote running over paragraphs.
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    if (d.speaker || d.term || !d.long) continue;
    const prevSame = [...drafts.slice(0, i)].reverse().find((x) => x.q.paragraph === d.q.paragraph && x.speaker && !x.term);
    const nextSame = drafts.slice(i + 1).find((x) => x.q.paragraph === d.q.paragraph && x.speaker && !x.term);
    if (d.q.continues) {
      const prev = drafts[i - 1];
      if (prev && prev.speaker && prev.q.paragraph === d.q.paragraph - 1) d.speaker = prev.speaker;
    }
    if (!d.speaker && prevSame) d.speaker = prevSame.speaker;
    if (!d.speaker && nextSame) d.speaker = nextSame.speaker;
  }
  // A paragraph that is only a quote goes on from the person who spoke in the sentence just before it.
  for (const d of drafts) {
    if (d.speaker || d.term || !d.long) continue;
    const para = article.paragraphs[d.q.paragraph];
    if (!para || body.slice(para.start, d.q.open).trim() !== '') continue;
    const own = infos.filter((i) => i.s.paragraph === d.q.paragraph);
    if (own.some((i) => i.frames.length > 0)) continue;
    const prev = infos.filter((i) => i.s.index < (own[0]?.s.index ?? 0)).pop();
    if (!prev || prev.s.paragraph !== d.q.paragraph - 1) continue;
    const f = [...prev.frames].reverse().find((f) => f.speaker?.kind === 'person' && !f.media && (f.cls === 'say' || f.cls === 'report' || f.cls === 'tell'));
    if (f) d.speaker = f.speaker;
  }
  // Backwards too: a multi-paragraph quote attributed only in a later part.
  for (let i = drafts.length - 2; i >= 0; i--) {
    const d = drafts[i]!;
    const n = drafts[i + 1]!;
    if (!d.speaker && !d.q.closed && n.q.continues && n.speaker && d.long) d.speaker = n.speaker;
  }

  for (const d of drafts) {
    if (d.term || !d.speaker) continue;
    if (!d.frame && !d.long) continue;
    pushDirect(out, article, d.q, d.speaker, sentencesOf(d.q));
  }

  // Reported speech: frames whose words are not (mostly) a quotation.
  for (const info of infos) {
    for (const f of info.frames) {
      if (!f.content || !f.speaker || f.media || f.quoteOnly) continue;
      let span = trimReported(body, f.content);
      // A name or scare quote inside reported words stays out of them: cut at it, keep the longer side.
      for (const d of drafts) {
        if (!d.term || d.q.open < span.start || d.q.close > span.end) continue;
        const before = trimReported(body, { start: span.start, end: d.q.open });
        const after = trimReported(body, { start: d.q.close, end: span.end });
        span = before.end - before.start >= after.end - after.start ? before : after;
      }
      if (span.end <= span.start) continue;
      const text = body.slice(span.start, span.end);
      if (wordsIn(text) < 4) continue;
      const inQuotes = quotes.filter((q) => q.open >= span.start - 1 && q.close <= span.end + 1).reduce((n, q) => n + (q.close - q.open), 0);
      if (inQuotes > (span.end - span.start) * 0.5) continue;
      if (span.end - span.start > 600) continue;
      out.push(statement(article, f.speaker, 'reported', span, { start: info.s.start, end: info.s.end }));
    }
  }
  out.sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1]);
  // The same words twice (a quote found by two routes) are one statement.
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = `${s.at[0]}:${s.at[1]}:${s.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function tokStart(sents: SentenceInfo[], f: Frame): number {
  for (const i of sents) if (i.frames.includes(f)) return i.toks[f.verb]!.start;
  return 0;
}

/** Only punctuation, a dash or "and" between a quote's close and its attribution. */
function gapIsAttribution(body: string, from: number, to: number): boolean {
  return /^[\s,.;:!?—–-]*$/.test(body.slice(from, to));
}

/** Trims a reported clause: spaces, trailing punctuation, a leading dash or comma. */
function trimReported(body: string, span: Span): Span {
  let { start, end } = trimSpan(body, span.start, span.end);
  while (start < end && /[\s,;:—–-]/.test(body[start]!)) start++;
  while (end > start && /[\s,;:.—–-]/.test(body[end - 1]!)) end--;
  return { start, end };
}

function statement(article: Article, r: Resolved, kind: 'direct' | 'reported', at: Span, passage: Span): Statement {
  return {
    article: article.id,
    speaker: r.speaker,
    role: r.role,
    kind,
    quote: article.body.slice(at.start, at.end),
    at: [at.start, at.end],
    passage,
    speakerKind: r.kind,
  };
}

/** A direct quote as one statement, or as several when it is longer than a passage should be. */
function pushDirect(out: Statement[], article: Article, q: Span, r: Resolved, sents: SentenceInfo[]) {
  if (sents.length === 0) return;
  const MAX = 600;
  if (q.end - q.start <= MAX) {
    out.push(statement(article, r, 'direct', q, { start: Math.min(sents[0]!.s.start, q.start), end: Math.max(sents[sents.length - 1]!.s.end, q.end) }));
    return;
  }
  // Cut at sentence ends inside the quote.
  let from = q.start;
  for (const info of sents) {
    const end = Math.min(info.s.end, q.end);
    if (end - from > MAX || info === sents[sents.length - 1]) {
      const cutAt = end - from > MAX ? Math.max(from + 1, info.s.start) : end;
      const part = trimSpan(article.body, from, cutAt);
      if (part.end > part.start) out.push(statement(article, r, 'direct', part, passageFor(part, sents)));
      from = cutAt;
    }
  }
  const rest = trimSpan(article.body, from, q.end);
  if (rest.end > rest.start) out.push(statement(article, r, 'direct', rest, passageFor(rest, sents)));
}

function passageFor(span: Span, sents: SentenceInfo[]): Span {
  const over = sents.filter((i) => i.s.start < span.end && i.s.end > span.start);
  if (over.length === 0) return span;
  return { start: Math.min(over[0]!.s.start, span.start), end: Math.max(over[over.length - 1]!.s.end, span.end) };
}
