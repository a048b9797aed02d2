// Dates in news text, resolved against the publication date given as input, on short texts written here.
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../src/corpus/load.js';
import { extractDates } from '../src/extract/dates.js';
import type { DateMention } from '../src/extract/types.js';

/** An article with a headline, the given publication date (or none) and the body text. */
function article(published: string | null, body: string) {
  return parseArticle('t.md', `---\ntitle: "Headline"\npublished: ${published ? `"${published}"` : 'null'}\n---\nHeadline\n\n${body}\n`);
}

/** The dates found, as "text → date[/end] precision[ expected]". */
function dates(published: string | null, body: string): string[] {
  const a = article(published, body);
  return extractDates(a).map((m: DateMention) => {
    expect(a.body.slice(m.at[0], m.at[1])).toBe(m.text);
    return `${m.text} → ${m.date}${m.end ? `/${m.end}` : ''} ${m.precision}${m.expected ? ' expected' : ''}`;
  });
}

describe('absolute dates', () => {
  it('reads day-month, month-day and full dates, taking the year that fits the publication', () => {
    expect(dates('2023-10-17', 'Officials met on 13 October to talk.')).toEqual(['13 October → 2023-10-13 day']);
    expect(dates('2023-10-17', 'It was signed on Oct. 14, 2023, in the capital.')).toEqual(['Oct. 14, 2023 → 2023-10-14 day']);
    expect(dates('2023-10-17', 'Imagery captured on 5 October 2023 showed trains.')).toEqual(['5 October 2023 → 2023-10-05 day']);
    expect(dates('2023-10-17', 'The September 13 summit took place in the east.')).toEqual(['September 13 → 2023-09-13 day']);
  });

  it('reads numeric dates', () => {
    expect(dates('2023-10-14', 'He moved on 2020-03-04 and again on 10/13/2021.')).toEqual(['2020-03-04 → 2020-03-04 day', '10/13/2021 → 2021-10-13 day']);
  });
});

describe('partial dates keep their precision', () => {
  it('a month stays a month, never a day', () => {
    expect(dates('2023-10-17', 'In September 2023, the chief spoke.')).toEqual(['September 2023 → 2023-09 month']);
    expect(dates('2023-10-17', 'The US accused them in November 2022.')).toEqual(['November 2022 → 2022-11 month']);
    expect(dates('2022-11-03', 'The invasion began in February.')).toEqual(['February → 2022-02 month']);
  });

  it('a month name used as a word is not a date', () => {
    expect(dates('2023-10-14', 'May be it will rain, and the president may visit.')).toEqual([]);
  });
});

describe('spans', () => {
  it('reads "between X and Y" with either order of day and month', () => {
    expect(dates('2023-10-14', 'Between Sept. 7 and Oct. 1, containers were shipped.')).toEqual(['Between Sept. 7 and Oct. 1 → 2023-09-07/2023-10-01 day']);
    expect(dates('2023-10-13', 'It shows that, between 7 September and 1 October, ships sailed.')).toEqual(['between 7 September and 1 October → 2023-09-07/2023-10-01 day']);
  });

  it('reads day ranges in one month', () => {
    expect(dates('2023-10-14', 'A shipment was ready on Sept. 7-8 at the port.')).toEqual(['Sept. 7-8 → 2023-09-07/2023-09-08 day']);
    expect(dates('2023-10-14', 'The conference on Oct. 17-18 marks the anniversary.')).toEqual(['Oct. 17-18 → 2023-10-17/2023-10-18 day expected']);
  });

  it('reads year ranges', () => {
    expect(dates('2023-10-14', 'From 2009 to 2012 he ruled.')).toEqual(['From 2009 to 2012 → 2009/2012 year']);
  });
});

describe('relative dates', () => {
  it('a weekday is the past one in news (the publication day included)', () => {
    // 14 Oct 2023 is a Saturday: "Friday" is the 13th.
    expect(dates('2023-10-14', 'The White House said on Friday that it was worried.')).toEqual(['Friday → 2023-10-13 day']);
    // 3 Nov 2022 is a Thursday.
    expect(dates('2022-11-03', 'Kirby told reporters on Wednesday that it was doubtful.')).toEqual(['Wednesday → 2022-11-02 day']);
    expect(dates('2022-11-03', 'The talks ended on Thursday.')).toEqual(['Thursday → 2022-11-03 day']);
  });

  it('a weekday the sentence says is to come is the next one, and expected', () => {
    expect(dates('2024-03-10', 'The summit will be held on Friday.')).toEqual(['Friday → 2024-03-15 day expected']);
    expect(dates('2023-10-14', 'The White House said on Friday that it will act.')).toEqual(['Friday → 2023-10-13 day']);
  });

  it('last month, last week, earlier this month', () => {
    expect(dates('2023-10-14', 'Kim traveled to Russia last month.')).toEqual(['last month → 2023-09 month']);
    // The Monday–Sunday week before the publication's.
    expect(dates('2023-10-14', 'The attack last week sparked a war.')).toEqual(['last week → 2023-10-02/2023-10-08 day']);
    expect(dates('2023-10-14', 'Earlier this month, prices rose.')).toEqual(['Earlier this month → 2023-10 month']);
    expect(dates('2022-11-03', 'Drills earlier in the week angered the North.')).toEqual(['earlier in the week → 2022-10-31/2022-11-03 day']);
  });

  it('"A month later" and "Later the same month" follow the date the story has just set', () => {
    expect(dates('2023-10-17', 'In November 2022, the US accused North Korea.\n\nA month later, the White House claimed more.')).toEqual([
      'November 2022 → 2022-11 month',
      'A month later → 2022-12 month',
    ]);
    expect(dates('2023-10-17', 'In September 2023, the chief spoke.\n\nLater the same month, an official confirmed it.')).toEqual([
      'September 2023 → 2023-09 month',
      'Later the same month → 2023-09 month',
    ]);
  });

  it('"on the 13th" is a day of the month in context, or of the publication leaning to the past', () => {
    expect(dates('2023-10-17', 'Prices fell on the 13th, officials said.')).toEqual(['the 13th → 2023-10-13 day']);
    expect(dates('2023-10-10', 'Prices fell on the 13th, officials said.')).toEqual(['the 13th → 2023-09-13 day']);
    expect(dates('2023-10-17', 'In March 2021 prices rose.\n\nThey fell on the 13th.')).toEqual(['March 2021 → 2021-03 month', 'the 13th → 2021-03-13 day']);
  });

  it('today, yesterday and tomorrow', () => {
    expect(dates('2023-10-14', 'Yesterday it rained; today it is dry; tomorrow it snows.')).toEqual([
      'Yesterday → 2023-10-13 day',
      'today → 2023-10-14 day',
      'tomorrow → 2023-10-15 day expected',
    ]);
  });
});

describe('years', () => {
  it('bare years, last year, two years ago', () => {
    expect(dates('2023-10-17', 'The treaty was signed in 2009.')).toEqual(['2009 → 2009 year']);
    expect(dates('2023-10-17', 'Sales rose last year.')).toEqual(['last year → 2022 year']);
    expect(dates('2023-10-17', 'The plant closed two years ago.')).toEqual(['two years ago → 2021 year']);
    expect(dates('2023-10-17', 'Pyongyang conducted a record number of tests this year.')).toEqual(['this year → 2023 year']);
  });

  it('a count is not a year', () => {
    expect(dates('2023-10-17', 'About 2,000 people and 1500 troops left.')).toEqual([]);
  });
});

describe('year inference leans to the past, unless the event is expected', () => {
  it('a July in a March article is last July; early December and late last July keep their month', () => {
    expect(dates('2024-03-10', 'The dam broke in July.')).toEqual(['July → 2023-07 month']);
    expect(dates('2024-03-10', 'Fighting began in early December.')).toEqual(['early December → 2023-12 month']);
    expect(dates('2024-03-10', 'The talks began late last July.')).toEqual(['late last July → 2023-07 month']);
  });

  it('an expected event takes the next such date and is marked expected', () => {
    expect(dates('2024-03-10', 'Leaders will meet in July.')).toEqual(['July → 2024-07 month expected']);
    expect(dates('2023-10-14', 'In Beijing this month, Xi and Putin are expected to meet.')).toEqual(['this month → 2023-10 month expected']);
  });
});

describe('quarters and seasons', () => {
  it('take their TimeML value and the months they cover', () => {
    const a = article('2023-10-14', 'Profits rose in the third quarter.');
    const [q] = extractDates(a);
    expect(q).toMatchObject({ text: 'the third quarter', date: '2023-Q3', period: { date: '2023-07', end: '2023-09' } });
  });
});

describe('publication date unknown or partial', () => {
  it('without a publication date, absolute dates count and relative ones are not guessed', () => {
    expect(dates(null, 'He said on Friday that, on 13 October 2023, it rained last week.')).toEqual(['13 October 2023 → 2023-10-13 day']);
  });

  it('with only a publication month, month-relative dates resolve and day-relative ones do not', () => {
    expect(dates('2023-10', 'Kirby said on Friday the arms came last week.\n\nHe traveled last month.\n\nA report on 6 October said so.')).toEqual([
      'last month → 2023-09 month',
      '6 October → 2023-10-06 day',
    ]);
  });

  it('never uses today’s date', () => {
    const a = article(null, 'Officials met yesterday and will meet again next month.');
    expect(extractDates(a)).toEqual([]);
  });
});

describe('captions', () => {
  it('finds dates in photo captions too', () => {
    const a = parseArticle(
      't.md',
      '---\ntitle: "Headline"\npublished: "2023-10-14"\n---\nHeadline\n\nThe story begins here and goes on for a while with details.\n\nKirby speaks at the White House in Washington, Thursday. (Reuters-Yonhap)\n\nThe story goes on here.\n',
    );
    const caption = a.sentences.find((s) => s.caption);
    const found = extractDates(a);
    if (caption) expect(found.find((m) => m.sentence === caption.index)).toMatchObject({ text: 'Thursday', date: '2023-10-12' });
    else expect(found.map((m) => m.date)).toContain('2023-10-12');
  });
});
