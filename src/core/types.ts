// The plain data that flows through Dossier: corpus → extraction → index → answers.
// Nothing here knows about Discord, the terminal or JSON.

/** How much of a date is known. A month stays a month: no invented day. */
export type Precision = 'day' | 'month' | 'year';

/** A date cut to its precision: "2023", "2023-10" or "2023-10-13". */
export type IsoDate = string;

export interface ArticleMeta {
  title: string;
  outlet: string | null;
  /** YYYY-MM-DD or YYYY-MM, or null when unknown. */
  published: IsoDate | null;
  url: string | null;
  byline: string | null;
  /** Where `published` came from: front matter, a dateline in the text, or nowhere. */
  publishedFrom: 'front-matter' | 'text' | null;
  /** Front-matter keys Dossier does not know, kept as they were. */
  extra: Record<string, unknown>;
}

/** Character offsets into an article's body (the file's text after its front matter). */
export interface Span {
  start: number;
  end: number;
}

export type ParagraphKind =
  | 'body' // the story
  | 'caption' // a photo caption: stays, but is dated differently from the story
  | 'title' // the headline (or a repeat of it)
  | 'heading' // a short label line inside the story (image alt text, a section label)
  | 'furniture'; // page furniture: appeals, ads, "Read also", disclaimers, author boxes, bylines

export interface Paragraph extends Span {
  index: number;
  kind: ParagraphKind;
  /** Why a paragraph is not body text (for `check` and for tests). */
  reason?: string;
}

export interface Sentence extends Span {
  /** Position among the article's sentences. */
  index: number;
  /** Index of the paragraph it belongs to. */
  paragraph: number;
  /** Verbatim text: exactly body.slice(start, end). */
  text: string;
  caption: boolean;
}

export interface Article {
  /** The file name without its extension. */
  id: string;
  /** Path of the file it was read from. */
  file: string;
  meta: ArticleMeta;
  /** The file's text after its front matter, exactly as it is in the file (line endings normalised to \n). */
  body: string;
  /** 1-based line number in the file where the body starts (after front matter). */
  bodyLine: number;
  paragraphs: Paragraph[];
  /** Sentences of body and caption paragraphs, in order. */
  sentences: Sentence[];
  /** sha256 of the file's bytes: keys the extraction cache. */
  hash: string;
  warnings: string[];
}

/** A problem with one corpus file: the rest of the corpus keeps serving. */
export interface CorpusProblem {
  file: string;
  line: number | null;
  reason: string;
  severity: 'error' | 'warning';
}

/** Where an answer's words come from: an article and a verbatim quote of it. */
export interface Citation {
  article: string;
  title: string;
  outlet: string | null;
  published: IsoDate | null;
  url: string | null;
  /** Verbatim text of the article (only whitespace may differ). */
  quote: string;
  /** Offsets of the quote in the article body. */
  at?: [number, number];
}

export function citationOf(article: Article, span: Span): Citation {
  return {
    article: article.id,
    title: article.meta.title,
    outlet: article.meta.outlet,
    published: article.meta.published,
    url: article.meta.url,
    quote: article.body.slice(span.start, span.end),
    at: [span.start, span.end],
  };
}
