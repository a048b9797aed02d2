// Dated events of one article: the sentences that report something happening at a date.
//
// Not every date mention dates an event: a byline or "Published : …" line is furniture, "the Sept. 11
// anniversary" names a day rather than reporting one, and a sentence that says "in September, adding to
// aid approved earlier this year" reports the September event (the coarser date that holds it is context).
// A photo caption's date is an event of the caption, marked as such.
import type { Article, IsoDate, Precision } from '../core/types.js';
import type { ArticleEvent, DateMention } from './types.js';

/** Lines of page furniture that carry a date but report nothing. */
const FURNITURE = /^\s*(?:published|updated|posted|last updated|first published|modified|created|date|by\s+[A-Z])\b/i;

/** The span of calendar time a mention covers: [first day, day after the last] as UTC ms. */
export function periodOf(date: IsoDate, end: IsoDate | null): [number, number] | null {
  const a = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(date);
  if (!a) return null;
  const b = end ? /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(end) : a;
  if (!b) return null;
  const from = Date.UTC(+a[1]!, a[2] ? +a[2] - 1 : 0, a[3] ? +a[3] : 1);
  const to = b[3] ? Date.UTC(+b[1]!, +b[2]! - 1, +b[3] + 1) : b[2] ? Date.UTC(+b[1]!, +b[2]!, 1) : Date.UTC(+b[1]! + 1, 0, 1);
  return [from, to];
}

/** A mention as a plain date: quarters and seasons become the months they cover. */
function plainDate(m: DateMention): { date: IsoDate; end: IsoDate | null; precision: Precision } {
  if (m.period) return { date: m.period.date, end: m.period.end, precision: 'month' };
  return { date: m.date, end: m.end, precision: m.precision };
}

/** Words of two letters or more (esbuild compiles a literal with some \p{…} escapes to `new RegExp(…)`: made here once, not at every call). */
const LETTER_WORD = /\p{L}{2,}/gu;

/** Words of a sentence outside its date mentions. */
function wordsOutside(text: string, start: number, mentions: DateMention[]): number {
  let rest = text;
  for (const m of [...mentions].sort((a, b) => b.at[0] - a.at[0])) rest = rest.slice(0, m.at[0] - start) + ' ' + rest.slice(m.at[1] - start);
  return (rest.match(LETTER_WORD) ?? []).length;
}

export function eventsOf(article: Article, dates: DateMention[]): ArticleEvent[] {
  const bySentence = new Map<number, DateMention[]>();
  for (const d of dates) {
    const list = bySentence.get(d.sentence) ?? [];
    list.push(d);
    bySentence.set(d.sentence, list);
  }
  const out: ArticleEvent[] = [];
  for (const [index, mentions] of bySentence) {
    const s = article.sentences[index];
    if (!s) continue;
    if (FURNITURE.test(s.text)) continue;
    // A date standing (nearly) alone, like a timestamp line, reports nothing.
    if (wordsOutside(s.text, s.start, mentions) < 4) continue;
    const kept = mentions.filter((m) => {
      const before = article.body.slice(Math.max(s.start, m.at[0] - 30), m.at[0]);
      const after = article.body.slice(m.at[1], Math.min(s.end, m.at[1] + 30));
      if (/^\s*(?:anniversary|birthday|edition|issue)\b/i.test(after)) return false;
      if (/\b(?:anniversary|birthday)\s+of\s+(?:the\s+)?$/i.test(before)) return false;
      // "a record since 2009", "the most since 1990": a comparison, not an event at that date.
      if (/\b(?:since|than)\s+$/i.test(before) && /\b(?:highest|lowest|most|least|first|biggest|largest|worst|best|record)\b/i.test(s.text)) return false;
      return true;
    });
    const plain = kept.map((m) => ({ m, ...plainDate(m), period: periodOf(plainDate(m).date, plainDate(m).end) }));
    // A coarser date that holds a finer one of the same sentence is context, not a second event.
    const events = plain.filter(
      (x) =>
        x.period &&
        !plain.some(
          (y) => y !== x && y.period && y.period[1] - y.period[0] < x.period![1] - x.period![0] && y.period[0] >= x.period![0] && y.period[1] <= x.period![1],
        ),
    );
    const seen = new Set<string>();
    for (const x of events) {
      const key = `${x.date}/${x.end ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        article: article.id,
        date: x.date,
        end: x.end,
        precision: x.precision,
        expected: x.m.expected,
        caption: s.caption,
        sentence: s.index,
        span: { start: s.start, end: s.end },
        mention: x.m.at,
        relative: x.m.relative,
      });
    }
  }
  return out.sort((a, b) => a.sentence - b.sentence || a.mention[0] - b.mention[0]);
}
