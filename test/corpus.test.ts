import { describe, expect, it } from 'vitest';
import { loadCorpus, parseArticle, publishedFromText } from '../src/corpus/load.js';
import type { Article } from '../src/core/types.js';
import { CORPUS, tempCorpus } from './helpers.js';

const corpus = loadCorpus(CORPUS);
const byPrefix = (p: string): Article => corpus.articles.find((a) => a.id.startsWith(p))!;
const sentencesText = (a: Article) => a.sentences.map((s) => s.text).join('\n');

describe('the bundled corpus', () => {
  it('loads all five seed articles with their front matter and no problems', () => {
    expect(corpus.articles.map((a) => a.id.slice(0, 3))).toEqual(['000', '001', '002', '003', '004']);
    expect(corpus.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(byPrefix('002').meta).toMatchObject({ outlet: 'Yonhap', published: '2023-10-14', url: null });
    expect(byPrefix('004').meta.published).toBe('2023-10');
  });

  it('keeps every sentence verbatim: its text is the body at its offsets', () => {
    for (const a of corpus.articles) for (const s of a.sentences) expect(a.body.slice(s.start, s.end)).toBe(s.text);
  });
});

describe('cleaning page furniture', () => {
  it('drops the donation appeal, ad-blocker note and "Related Posts" of the Euromaidan page, keeps the story', () => {
    const t = sentencesText(byPrefix('000'));
    expect(t).not.toMatch(/join our community/);
    expect(t).not.toMatch(/disabling your ad blocker/);
    expect(t).not.toMatch(/Ctrl \+ Enter/);
    expect(t).not.toMatch(/Related Posts/);
    expect(t).toMatch(/On 17 October, a Kremlin spokesman denied these accusations/);
    expect(t).toMatch(/Satellite imagery captured on 5 October 2023 indicated the flow of rail traffic/);
  });

  it('drops "Also Read" links and the comment form, keeps the paragraph after the link', () => {
    const t = sentencesText(byPrefix('001'));
    expect(t).not.toMatch(/Ukrainian Partisans Sabotage Russian Train/);
    expect(t).not.toMatch(/Your email address will not be published/);
    expect(t).toMatch(/The international community is now closely watching the unfolding situation/);
  });

  it('drops the byline, "Published :" line and "MOST POPULAR" of the Yonhap page', () => {
    const a = byPrefix('002');
    const t = sentencesText(a);
    expect(t).not.toMatch(/By Yonhap/);
    expect(t).not.toMatch(/Published : Oct/);
    expect(t).not.toMatch(/MOST POPULAR|More articles by this writer/);
    expect(t).toMatch(/via MV Angara, a Russian-flagged cargo ship/);
  });

  it('drops "Must Read:" but keeps the story on both sides of it', () => {
    const t = sentencesText(byPrefix('003'));
    expect(t).not.toMatch(/Must Read/);
    expect(t).toMatch(/On Wednesday, North Korea launched over two dozen missiles/);
    expect(t).toMatch(/Large-scale joint air operations between US and South Korean forces/);
  });

  it('drops the Marine Insight course ad, both copies of its disclaimer and the author box', () => {
    const t = sentencesText(byPrefix('004'));
    expect(t).not.toMatch(/Marine Insight Academy|Enroll For Maritime Courses|Learn at your own speed/);
    expect(t).not.toMatch(/for general information purposes only/);
    expect(t).not.toMatch(/premier source for up-to-date/);
    expect(t).not.toMatch(/News Break, The Moscow Times/);
    expect(t).toMatch(/a CSIS report issued on 6 October/);
    expect(t).toMatch(/in a “new Cold War,” per North Korea’s state media/);
  });

  it('keeps photo captions, marked as captions', () => {
    const caps = byPrefix('002').sentences.filter((s) => s.caption).map((s) => s.text);
    expect(caps.join('\n')).toMatch(/This image released by the US Government on Friday/);
    expect(caps.join('\n')).toMatch(/joins White House Press Secretary Karine Jean-Pierre/);
    const euromaidan = byPrefix('000').sentences.find((s) => /Combined Fire Demonstration/.test(s.text))!;
    expect(euromaidan.caption).toBe(true);
    const story = byPrefix('002').sentences.find((s) => /^WASHINGTON --/.test(s.text))!;
    expect(story.caption).toBe(false);
  });

  it('works on a page from another site: newsletter box, share line, copyright and "You may also like"', () => {
    const a = parseArticle(
      'other.md',
      [
        'Council approves new bridge',
        '',
        'The city council approved the new bridge on Monday after a long debate.',
        '',
        'Sign up for our newsletter to get the latest news in your inbox.',
        '',
        '"It is a good day for the city," the mayor said.',
        '',
        'You may also like',
        '',
        'Ten things to do this weekend',
        '',
        '© 2024 Example News. All rights reserved.',
      ].join('\n'),
    );
    const t = sentencesText(a);
    expect(t).toMatch(/approved the new bridge/);
    expect(t).toMatch(/the mayor said/);
    expect(t).not.toMatch(/newsletter|Ten things|All rights reserved/);
  });
});

describe('sentence splitting', () => {
  const split = (text: string) => parseArticle('t.txt', `Headline here\n\n${text}\n`).sentences.map((s) => s.text);

  it('does not split at "Sept.", "Oct.", "U.S." or "Dr."', () => {
    expect(split('The summit on Sept. 13 was held in Russia. Dr. Park met U.S. officials on Oct. 14, 2023 in Seoul. It ended.')).toEqual([
      'The summit on Sept. 13 was held in Russia.',
      'Dr. Park met U.S. officials on Oct. 14, 2023 in Seoul.',
      'It ended.',
    ]);
  });

  it('splits a missing space after a full stop ("Ukraine.In a press briefing")', () => {
    expect(split('Arms were sent to Ukraine.In a press briefing, the spokesman said more would follow.')).toEqual([
      'Arms were sent to Ukraine.',
      'In a press briefing, the spokesman said more would follow.',
    ]);
  });

  it('keeps a quotation and its attribution together', () => {
    expect(split('"We condemn the attack," Kirby said. "We also are concerned," he said.')).toEqual([
      '"We condemn the attack," Kirby said.',
      '"We also are concerned," he said.',
    ]);
  });

  it('keeps bullets out of the sentence text', () => {
    expect(split('  • In November 2022, the US accused North Korea.\n  • A month later, the White House claimed more.')).toEqual([
      'In November 2022, the US accused North Korea.',
      'A month later, the White House claimed more.',
    ]);
  });
});

describe('files without front matter', () => {
  it('take the title from the first line and the date from a dateline', () => {
    const a = parseArticle('x.txt', 'Allies Meet In Seoul\n\nSeoul, South Korea, March 3, 2024 – Ministers met today to talk.\n');
    expect(a.meta.title).toBe('Allies Meet In Seoul');
    expect(a.meta.published).toBe('2024-03-03');
    expect(a.meta.publishedFrom).toBe('text');
  });

  it('take the date from a "Published :" line', () => {
    expect(publishedFromText('Title\nBy Someone\nPublished : Oct. 14, 2023 - 10:26\n\nText.')).toBe('2023-10-14');
  });

  it('have no date when the text shows none (never today)', () => {
    expect(parseArticle('x.txt', 'A title\n\nSomething happened on Friday.\n').meta.published).toBeNull();
  });
});

describe('bad files are reported with their path and line, the rest keeps serving', () => {
  const good = '---\ntitle: Good\npublished: 2023-10-13\n---\nThe good article has a sentence.\n';
  const dir = tempCorpus({
    'a-good.md': good,
    'b-yaml.md': '---\ntitle: Broken\npublished: [2023\n---\nText.\n',
    'c-date.md': '---\ntitle: Bad date\npublished: 2023-02-30\n---\nText here.\n',
    'd-empty.md': '',
    'e-binary.txt': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    'f-latin1.txt': new Uint8Array([0x54, 0x69, 0x74, 0x6c, 0x65, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
    'g-unknown.md': '---\ntitle: Extra\nmood: cheerful\n---\nAn article with an extra key.\n',
    'h-unclosed.md': '---\ntitle: Never closed\nText.\n',
    'notes.json': '{}',
  });
  const c = loadCorpus(dir);
  const problem = (name: string) => c.problems.find((p) => p.file.endsWith(name));

  it('loads the good files', () => {
    expect(c.articles.map((a) => a.id)).toEqual(['a-good', 'g-unknown']);
  });
  it('names broken YAML with its line', () => {
    expect(problem('b-yaml.md')).toMatchObject({ severity: 'error', line: expect.any(Number) });
    expect(problem('b-yaml.md')!.reason).toMatch(/YAML/);
  });
  it('names a published value that is not a date, and the line of the key', () => {
    expect(problem('c-date.md')).toMatchObject({ line: 3, severity: 'error' });
    expect(problem('c-date.md')!.reason).toMatch(/published.*not a date/);
  });
  it('reports empty, binary and non-UTF-8 files', () => {
    expect(problem('d-empty.md')!.reason).toMatch(/empty/);
    expect(problem('e-binary.txt')!.reason).toMatch(/binary/);
    expect(problem('f-latin1.txt')).toMatchObject({ line: 2 });
    expect(problem('f-latin1.txt')!.reason).toMatch(/UTF-8/);
  });
  it('warns about unknown keys and keeps them', () => {
    expect(problem('g-unknown.md')).toMatchObject({ severity: 'warning' });
    expect(c.articles.find((a) => a.id === 'g-unknown')!.meta.extra).toEqual({ mood: 'cheerful' });
  });
  it('reports front matter that is never closed', () => {
    expect(problem('h-unclosed.md')!.reason).toMatch(/never closed/);
  });
  it('accepts published as a month, quoted or not', () => {
    const a = parseArticle('m.md', '---\ntitle: M\npublished: "2023-09"\n---\nText.\n');
    expect(a.meta.published).toBe('2023-09');
  });
});
