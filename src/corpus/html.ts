// An HTML page → the article's clean text and what the page says about it (title, outlet, byline, date).
// Mozilla's Readability (the reader view of Firefox) finds the story in the page and leaves out the
// navigation, ads and comments; linkedom is the DOM it runs on. The text keeps one paragraph per block
// (p, headings, list items, quotes, captions), separated by blank lines, as the corpus format expects.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { isIsoDate } from './metadata.js';

export interface HtmlArticle {
  title: string | null;
  byline: string | null;
  outlet: string | null;
  /** YYYY-MM-DD when the page states a publication time. */
  published: string | null;
  /** Paragraphs separated by blank lines. Empty when the page has no readable text. */
  text: string;
}

const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, figcaption, pre, td, dd, dt';

/** True when the text looks like an HTML document or fragment rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:article|div|p|meta|title)[\s>])/i.test(text.slice(0, 2000));
}

export function htmlToArticle(html: string): HtmlArticle {
  const doc = parseHTML(/<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`).document;
  const meta = (sel: string) => doc.querySelector(sel)?.getAttribute('content')?.trim() || null;
  const pageTitle = meta('meta[property="og:title"]') ?? (doc.querySelector('title')?.textContent?.trim() || null);
  const siteName = meta('meta[property="og:site_name"]');
  const pubMeta = meta('meta[property="article:published_time"]') ?? meta('meta[name="date"]') ?? meta('meta[itemprop="datePublished"]');
  const timeEl = doc.querySelector('time[datetime]')?.getAttribute('datetime') ?? null;
  let parsed: ReturnType<Readability<string>['parse']> = null;
  try {
    // Readability changes the document it reads; the metadata above was taken first.
    parsed = new Readability(doc as unknown as Document, { charThreshold: 100 }).parse();
  } catch {
    parsed = null;
  }
  let text = '';
  if (parsed?.content) text = blocksOf(parsed.content);
  if (!text.trim()) text = blocksOf(parseHTML(`<!doctype html><html><body>${doc.body?.innerHTML ?? ''}</body></html>`).document.body?.innerHTML ?? '');
  const published = isoDay(parsed?.publishedTime ?? pubMeta ?? timeEl);
  const title = clean(parsed?.title ?? pageTitle ?? '');
  return {
    title: title || null,
    byline: clean(parsed?.byline ?? '') || null,
    outlet: clean(parsed?.siteName ?? siteName ?? '') || null,
    published,
    text,
  };
}

/** The text of each block element, one paragraph each; nested blocks are not repeated. */
function blocksOf(fragment: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${fragment}</body></html>`);
  for (const el of document.querySelectorAll('script, style, noscript, template, iframe, svg, form, button, nav')) el.remove();
  const out: string[] = [];
  const blocks = [...document.querySelectorAll(BLOCKS)];
  for (const el of blocks) {
    // A block inside another block (a <p> in a <blockquote>) is taken with its own text only once.
    if (el.querySelector(BLOCKS)) continue;
    const t = clean(el.textContent ?? '');
    if (t) out.push(t);
  }
  if (out.length === 0) {
    const t = (document.body?.textContent ?? '').split(/\n\s*\n/).map(clean).filter(Boolean);
    out.push(...t);
  }
  return out.join('\n\n');
}

function clean(s: string): string {
  return s
    .replace(/[\u00a0\s]+/g, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim();
}

function isoDay(s: string | null | undefined): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(s?.trim() ?? '');
  return m && isIsoDate(m[1]!) ? m[1]! : null;
}
