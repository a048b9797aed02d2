// What extraction finds in one article. Plain, serialisable data (it is cached by file hash).
import type { IsoDate, Precision, Span } from '../core/types.js';

/** A time expression found in an article, resolved where it can be. */
export interface DateMention {
  /** The words as they stand in the body. */
  text: string;
  /** Offsets into the body (the file's text after front matter). */
  at: [number, number];
  /** Start of the date, cut to its precision. */
  date: IsoDate;
  /** End of a span ("between Sept. 7 and Oct. 1"), or null. */
  end: IsoDate | null;
  precision: Precision;
  /** Index of the sentence it stands in. */
  sentence: number;
  /** True when the text says it is yet to happen ("are expected to meet", "will be held"). */
  expected: boolean;
  /** True when it was resolved against the publication date or the context ("on Friday", "last month"). */
  relative: boolean;
  /**
   * For a quarter or a season, whose `date` is its TimeML value ("2023-Q3", "2023-SU", precision 'year'):
   * the months it covers, as plain dates ({ date: "2023-07", end: "2023-09" }).
   */
  period?: { date: IsoDate; end: IsoDate };
}

/** A dated event as one article reports it: the sentence and the date it is at. */
export interface ArticleEvent {
  article: string;
  date: IsoDate;
  end: IsoDate | null;
  precision: Precision;
  expected: boolean;
  caption: boolean;
  /** The reporting sentence's index and span in the body. */
  sentence: number;
  span: Span;
  /** The date mention that dates it. */
  mention: [number, number];
  /** True when that mention was resolved against the publication date or the context (optional: older caches lack it). */
  relative?: boolean;
}

export type StatementKind = 'direct' | 'reported';

/** Something a speaker said, as one article reports it. */
export interface Statement {
  article: string;
  /** Canonical speaker name ("John Kirby"), or an organisation ("White House"). */
  speaker: string;
  role: string | null;
  kind: StatementKind;
  /** The words said, verbatim: body.slice(at[0], at[1]). */
  quote: string;
  at: [number, number];
  /** The sentence(s) or passage that contains them: its span in the body. */
  passage: Span;
  /** What the speaker is: a named person, an organisation or country, or an unnamed description ("a Kremlin spokesman"). */
  speakerKind?: 'person' | 'org' | 'description';
}

export interface Extraction {
  article: string;
  dates: DateMention[];
  events: ArticleEvent[];
  statements: Statement[];
}
