// Telling the story from the page around it. Generic rules about how news pages are built —
// appeals, ads, "Read also" links, comment forms, disclaimers, author boxes, bylines, captions —
// never a list of one site's sentences.
import type { ParagraphKind, Span } from '../core/types.js';

export interface Classified extends Span {
  kind: ParagraphKind;
  reason?: string;
}

/** Phrases that only page furniture uses: appeals, ad blocks, comment forms, sharing, legal small print. */
const FURNITURE_PHRASES = [
  /\bsubscri(?:be|ption|bing)\b/i,
  /\bnewsletters?\b/i,
  /\bdonat(?:e|ion|ions|ing)\b/i,
  /\bbecome an? (?:patron|member|supporter|subscriber)\b/i,
  /\bsupport (?:us|our (?:work|journalism|team|reporting))\b/i,
  /\bad[- ]?blockers?\b/i,
  /\bjoin our (?:community|newsletter|mailing list)\b/i,
  /\bprivacy policy\b/i,
  /\bterms (?:of|and) (?:use|service|conditions)\b/i,
  /\ball rights reserved\b/i,
  /©/,
  /\byour email address will not be published\b/i,
  /\brequired fields are marked\b/i,
  /\b(?:suggest|submit) a correction\b/i,
  /\bsuggestions or corrections\b/i,
  /\bctrl ?\+ ?enter\b/i,
  /\bclose this page\b/i,
  /\bfollow us on\b/i,
  /\bshare (?:this|on) (?:article|story|facebook|twitter|x)\b/i,
  /\bclick here\b/i,
  /\b(?:enrol|enroll)(?:ment)? (?:for|in|now|today)\b/i,
  /\bfor general information purposes only\b/i,
  /\bmake no representations or warranties\b/i,
  /\bat your own risk\b/i,
  /\bdo you have (?:info|information|a tip|news) to share\b/i,
  /\bread more articles\b/i,
  /\bmore articles by\b/i,
  /\bsign up (?:for|to)\b/i,
  /\bdownload (?:our|the) app\b/i,
];

/** Labels that open the end of an article: what follows is the page, not the story. */
const TERMINAL_LABEL =
  /^(?:leave a (?:reply|comment)|comments?|\d+ comments?|be the first to comment|related(?: posts| stories| articles| news| coverage)?|most (?:popular|read|viewed)|popular (?:posts|stories)|trending(?: now)?|recommended(?: for you)?|you (?:may|might) also like|more (?:from|on|stories|articles|news)\b.*|about (?:the )?authors?|disclaimer|references?|sources?|tags?|share this(?: article)?|editor'?s picks?)\s*:?\s*$/i;

/** Labels of a link inserted inside an article ("Read also: …", "Must Read:"): the line goes, the story goes on. */
const INLINE_LINK_LABEL = /^(?:read also|also read|must read|read more|see also|related|recommended|watch|listen|advertisement|sponsored(?: content)?|ad)\b\s*[:|-]?/i;

const BYLINE = /^(?:by|written by|posted by|words by|reporting by)\s+\S/i;
const DATELINE_META = /^(?:published|updated|posted|last updated|first published|date)\s*:/i;
const CAPTION_MARK = /\b(?:photo|image|screenshot|picture|credit|illustration|graphic|video)s?\s*(?:by|courtesy|credit)?\s*:/i;
const CAPTION_START = /^(?:a |an |the |this |file )?(?:photo|image|picture|screenshot|file photo|video still|satellite image)s?\b/i;
const CAPTION_WORD = /\b(?:image|photo|picture|screenshot|illustration|representation|graphic)\b/i;
const AGENCY_CREDIT = /\((?:[A-Z][\w.&]*(?:[-/ ][A-Z][\w.&]*)*)\)\s*$/;
const KNOWN_AGENCY = /\b(?:AP|AFP|Reuters|EPA|Getty(?: Images)?|Xinhua|Yonhap|Bloomberg|TASS|Anadolu|Kyodo|KCNA|UPI|NurPhoto|Shutterstock)\b/;
const SENTENCE_END = /[.!?…]["”’)\]]*\s*$/;

const fold = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/** Does the line look like a label or link (short, no sentence punctuation)? */
function isShortLine(t: string): boolean {
  return words(t) <= 10 && t.length <= 80 && !SENTENCE_END.test(t);
}

function isCaption(t: string): boolean {
  if (CAPTION_MARK.test(t) || CAPTION_START.test(t)) return true;
  if (isShortLine(t) && CAPTION_WORD.test(t) && words(t) <= 4) return true;
  // "… in Washington, US, Thursday. (Reuters-Yonhap)": a photo agency's credit closing a short paragraph without quotes.
  const credit = AGENCY_CREDIT.exec(t);
  if (credit && (KNOWN_AGENCY.test(credit[0]) || /[-/]/.test(credit[0])) && !/["“”«»]/.test(t)) {
    const sentences = t.split(/[.!?](?:\s|$)/).filter((x) => x.trim().length > 0).length;
    if (sentences <= 3) return true;
  }
  return false;
}

/**
 * Labels each paragraph of the body as story, caption, title, heading or furniture.
 * `title` is the article's title (from front matter or its first line).
 */
export function classifyParagraphs(body: string, paras: Span[], title: string | null): Classified[] {
  const out: Classified[] = [];
  const titleKey = title ? fold(title) : null;
  const seen = new Map<string, ParagraphKind>();
  let inTail = false;
  let afterLinkLabel = false;
  let sawBody = false;
  for (let i = 0; i < paras.length; i++) {
    const p = paras[i]!;
    const t = body.slice(p.start, p.end).trim();
    const key = fold(t);
    const c = (kind: ParagraphKind, reason?: string) => {
      out.push({ ...p, kind, ...(reason ? { reason } : {}) });
      if (!seen.has(key)) seen.set(key, kind);
      if (kind === 'body') sawBody = true;
    };
    const linkFollows = afterLinkLabel;
    afterLinkLabel = false;
    if (key === '') {
      c('furniture', 'no words');
    } else if (inTail) {
      c('furniture', 'after the end of the article');
    } else if (TERMINAL_LABEL.test(t) || (isShortLine(t) && TERMINAL_LABEL.test(t.split(':')[0]!) && t.includes(':'))) {
      inTail = sawBody;
      c('furniture', `end-of-article label "${t.slice(0, 40)}"`);
    } else if (titleKey && (key === titleKey || (i === 0 && isShortTitle(key, titleKey)))) {
      c('title', 'the headline');
    } else if (seen.has(key) && seen.get(key) !== 'body') {
      c(seen.get(key)!, 'a repeat');
    } else if (seen.get(key) === 'body' && words(t) > 3) {
      c('furniture', 'a repeat of an earlier paragraph');
    } else if (FURNITURE_PHRASES.some((re) => re.test(t))) {
      c('furniture', 'an appeal, ad or small print');
    } else if (INLINE_LINK_LABEL.test(t) && (isShortLine(t) || /^[^.!?]*:\s*\S[^.!?]*$/.test(t))) {
      afterLinkLabel = /:\s*$/.test(t);
      c('furniture', 'a link to another article');
    } else if (linkFollows && isShortLine(t)) {
      c('furniture', 'the title of a linked article');
    } else if (BYLINE.test(t) && words(t) <= 8) {
      c('furniture', 'a byline');
    } else if (DATELINE_META.test(t) && words(t) <= 12) {
      c('furniture', 'a publication line');
    } else if (isCaption(t)) {
      c('caption', 'a photo caption');
    } else if (!sawBody && i === 0 && title === null && isShortLine(t)) {
      c('title', 'the first line');
    } else if (words(t) <= 2 && !SENTENCE_END.test(t)) {
      c('furniture', 'a stray label');
    } else if (isShortLine(t)) {
      c('heading', 'a short label line');
    } else {
      c('body');
    }
  }
  // A trailing run of short lines (site name, link lists) after the story is furniture, not headings.
  for (let i = out.length - 1; i >= 0 && out[i]!.kind !== 'body' && out[i]!.kind !== 'caption'; i--) {
    if (out[i]!.kind === 'heading') out[i] = { ...out[i]!, kind: 'furniture', reason: 'a label after the story' };
  }
  return out;
}

/** The first line may carry the headline with different punctuation ("US North Korea …" vs "US: North Korea …"). */
function isShortTitle(key: string, titleKey: string): boolean {
  // A line much longer than the title that merely contains it (a one-word title such as "Depot") is the
  // story's first paragraph, not the headline.
  return key.length > 10 && (titleKey.includes(key) || (key.includes(titleKey) && key.length <= titleKey.length * 2 + 20));
}
