// /timeline: which sentences are events, merging across articles, order, the command's options, the
// Discord pages, the CLI JSON contract, and the scorer on the seed corpus.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import timelineCommand, { parseUserDate } from '../commands/timeline.js';
import { answerTimeline, mergedTimeline, reportsOf } from '../src/answers/timeline.js';
import { runCli } from '../src/cli.js';
import { UserError, parseOptions } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import { parseArticle } from '../src/corpus/load.js';
import { extractDates } from '../src/extract/dates.js';
import { eventsOf } from '../src/extract/events.js';
import { mergeEvents } from '../src/extract/merge.js';
import { renderTimelineDiscord, renderTimelinePage, timelinePageCount } from '../src/render/discord/timeline.js';
import { LIMITS } from '../src/render/limits.js';
import { CORPUS, ROOT, SHARED, tempCorpus } from './helpers.js';

function md(title: string, published: string | null, body: string, outlet = 'Outlet'): string {
  return `---\ntitle: "${title}"\noutlet: "${outlet}"\npublished: ${published ? `"${published}"` : 'null'}\n---\n${title}\n\n${body}\n`;
}

function eventsText(published: string | null, body: string) {
  const a = parseArticle('t.md', md('Headline', published, body));
  return eventsOf(a, extractDates(a)).map((e) => ({ date: e.date, end: e.end, expected: e.expected, caption: e.caption, text: a.body.slice(e.span.start, e.span.end) }));
}

describe('events of one article', () => {
  it('a sentence that reports something at a date is an event', () => {
    expect(eventsText('2023-10-17', 'On 17 October, a Kremlin spokesman denied the accusations.')).toEqual([
      { date: '2023-10-17', end: null, expected: false, caption: false, text: 'On 17 October, a Kremlin spokesman denied the accusations.' },
    ]);
  });

  it('an anniversary named by its date is not an event', () => {
    expect(eventsText('2023-10-17', 'Crowds marked the Sept. 11 anniversary with silence in the square.')).toEqual([]);
  });

  it('a "Published :" line or a timestamp alone is not an event', () => {
    expect(eventsText('2023-10-14', 'Published : Oct. 14, 2023 - 10:26\n\nThe ministry said the plan would be reviewed by experts.')).toEqual([]);
    expect(eventsText('2023-10-14', 'Oct. 14, 2023\n\nThe ministry said the plan would be reviewed by experts.')).toEqual([]);
  });

  it('a coarser date holding a finer one in the same sentence is context, not a second event', () => {
    const ev = eventsText('2022-11-03', 'A funding bill was approved by Congress in September, adding to aid approved earlier this year.');
    expect(ev.map((e) => e.date)).toEqual(['2022-09']);
  });

  it('an event yet to happen is marked expected', () => {
    const ev = eventsText('2023-10-14', 'Leaders are expected to meet in Beijing on Oct. 17-18 for the forum.');
    expect(ev).toMatchObject([{ date: '2023-10-17', end: '2023-10-18', expected: true }]);
  });
});

// Three short articles about one story, written for the test: the same shipment and the same briefing told
// three ways, plus unrelated events on the same days.
const STORY = {
  'a.md': md(
    'Ships carried crates to the port',
    '2023-10-14',
    'The White House said on Friday that the North had shipped 1,000 crates of shells to the port of Dunay.\n\nBetween Sept. 7 and Oct. 1, the crates were loaded onto the cargo ship Angara at Najin.\n\nOn Friday, a storm closed schools in the capital for the day.',
    'Agency A',
  ),
  'b.md': md(
    'Crates of shells reached Dunay',
    '2023-10-13',
    'Washington, October 13, 2023 – The White House says 1,000 crates of shells were shipped to Dunay by the North.\n\nAccording to imagery, between 7 September and 1 October the crates went aboard the Angara at Najin.\n\nIn September 2023, farmers reported a record harvest across the valley.',
    'Agency B',
  ),
  'c.md': md(
    'Port traffic',
    '2023-10',
    'In October 2022, a bridge opened over the river after ten years of work.\n\nOfficials informed reporters on 13 October that crates of shells went to Dunay, 1,000 of them.',
    'Agency C',
  ),
};

describe('merging across articles and ordering', () => {
  const dossier = buildDossier(tempCorpus(STORY));
  const answer = answerTimeline(dossier);

  it('the same event told by several articles is one event with all their citations', () => {
    const crates = answer.events.filter((e) => e.date === '2023-10-13' && /crates/.test(e.text));
    expect(crates).toHaveLength(1);
    expect(new Set(crates[0]!.citations.map((c) => c.article))).toEqual(new Set(['a', 'b', 'c']));
    expect(crates[0]!.sources).toBe(3);
    const angara = answer.events.filter((e) => e.end === '2023-10-01');
    expect(angara).toHaveLength(1);
    expect(angara[0]!.citations.map((c) => c.article).sort()).toEqual(['a', 'b']);
  });

  it('different events on the same day stay apart', () => {
    const storm = answer.events.find((e) => /storm/.test(e.text));
    expect(storm?.date).toBe('2023-10-13');
    expect(storm?.citations).toHaveLength(1);
  });

  it('every text and quote is verbatim from its article', () => {
    for (const e of answer.events) {
      expect(e.text).toBe(e.citations[0]!.quote);
      for (const c of e.citations) expect(dossier.byId.get(c.article)!.body).toContain(c.quote);
    }
  });

  it('orders by date, a span by its start, a coarser date after the finer ones of its period', () => {
    const keys = answer.events.map((e) => `${e.date}${e.end ? `/${e.end}` : ''}`);
    expect(keys).toEqual(['2022-10', '2023-09-07/2023-10-01', '2023-09', '2023-10-13', '2023-10-13']);
  });

  it('narrows by topic, by dates and by source', () => {
    expect(answerTimeline(dossier, { topic: 'harvest' }).events.map((e) => e.date)).toEqual(['2023-09']);
    // An event is kept when it overlaps the range: the September–October span does, September alone does not.
    expect(answerTimeline(dossier, { from: '2023-10', to: '2023-10-31' }).events.map((e) => e.date)).toEqual(['2023-09-07', '2023-10-13', '2023-10-13']);
    expect(answerTimeline(dossier, { to: '2022' }).events.map((e) => e.date)).toEqual(['2022-10']);
    const onlyC = answerTimeline(dossier, { source: 'c' });
    expect(onlyC.events.every((e) => e.citations.every((c) => c.article === 'c'))).toBe(true);
    expect(onlyC.source).toEqual({ id: 'c', title: 'Port traffic' });
  });
});

describe('the merged timeline is computed once per Dossier', () => {
  const dossier = buildDossier(tempCorpus(STORY));

  it('every query filters the same memoised list; a new Dossier gets its own', () => {
    const first = mergedTimeline(dossier);
    answerTimeline(dossier, { topic: 'crates' });
    answerTimeline(dossier, { from: '2023-10' });
    expect(mergedTimeline(dossier)).toBe(first);
    expect(answerTimeline(dossier).events[0]).toBe(answerTimeline(dossier).events[0]);
    const again = buildDossier(tempCorpus(STORY));
    expect(mergedTimeline(again)).not.toBe(first);
    expect(answerTimeline(again)).toEqual(answerTimeline(dossier));
  });

  it('a topic filters the merged events and does not change which reports merge', () => {
    const whole = answerTimeline(dossier).events;
    const topical = answerTimeline(dossier, { topic: 'crates' }).events;
    expect(topical.length).toBeGreaterThan(0);
    for (const e of topical) expect(whole).toContainEqual(e);
  });

  it('the grouping does not depend on the order of the articles', () => {
    const reports = reportsOf(dossier);
    const groups = (rs: typeof reports) =>
      mergeEvents(rs, dossier.articles)
        .map((e) => e.reports.map((r) => `${r.article.id}#${r.event.sentence}#${r.event.date}`).join(' '))
        .sort();
    const byArticle = new Map<string, typeof reports>();
    for (const r of reports) byArticle.set(r.article.id, [...(byArticle.get(r.article.id) ?? []), r]);
    const reversed = [...byArticle.values()].reverse().flat();
    expect(groups(reversed)).toEqual(groups(reports));
  });
});

describe('the command', () => {
  it('accepts dates at any precision and refuses impossible or relative ones with a clear message', () => {
    expect(parseUserDate('2023-10-13')).toEqual({ date: '2023-10-13' });
    expect(parseUserDate('13 Oct 2023')).toEqual({ date: '2023-10-13' });
    expect(parseUserDate('October 13, 2023')).toEqual({ date: '2023-10-13' });
    expect(parseUserDate('Sep 2023')).toEqual({ date: '2023-09' });
    expect(parseUserDate('2023')).toEqual({ date: '2023' });
    expect(parseUserDate('2023-02-30')).toMatchObject({ error: expect.stringContaining('does not exist') });
    expect(parseUserDate('yesterday')).toMatchObject({ error: expect.stringContaining('relative') });
    expect(() => parseOptions(timelineCommand, { from: 'soon' })).toThrow(UserError);
    expect(() => parseOptions(timelineCommand, { from: '2023-10', to: '2023-09' })).toThrow(/after/);
  });

  it('refuses an unknown source and autocompletes sources within Discord limits', () => {
    const dossier = buildDossier(tempCorpus(STORY));
    const opts = parseOptions(timelineCommand, { source: 'nope' });
    expect(() => timelineCommand.run(opts, { dossier })).toThrow(UserError);
    const choices = timelineCommand.autocomplete!('source', 'reached', { dossier });
    expect(choices.map((c) => c.value)).toEqual(['b']);
    for (const c of timelineCommand.autocomplete!('source', '', { dossier })) {
      expect(c.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
      expect(String(c.value).length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  });
});

describe('Discord pages', () => {
  it('each page stands alone within Discord limits, deterministic from (answer, page)', () => {
    // Many long events across many articles force several pages.
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) {
      const day = String(i + 1).padStart(2, '0');
      const body = Array.from({ length: 4 }, (_, k) => `On ${i + 1} March, the council number ${i * 4 + k} approved a long plan of works for district ${k}, which includes roads, bridges, schools, clinics and many other public buildings, after a debate that lasted far into the night and drew a crowd of several hundred people to the hall.`).join('\n\n');
      files[`art${day}.md`] = md(`Council news ${i} with a rather long headline about what the council did that day`, `2024-03-${day}`, body, `Outlet ${i}`);
    }
    const answer = answerTimeline(buildDossier(tempCorpus(files)));
    const pages = timelinePageCount(answer);
    expect(pages).toBeGreaterThan(1);
    for (let p = 0; p < pages; p++) {
      const m = renderTimelineDiscord(answer, { page: p });
      expect(m).toEqual(renderTimelineDiscord(answer, { page: p }));
      expect(m.allowed_mentions).toEqual({ parse: [] });
      const e = m.embeds![0]!;
      expect(e.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
      const total = (e.title?.length ?? 0) + e.description!.length + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
      expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      // What it covers, its range and its sources are on the page itself.
      expect(e.title).toMatch(/Timeline/);
      expect(e.description).toMatch(/Events \d+–\d+ of \d+ · \d+ Mar 2024/);
      expect(e.footer!.text).toContain(`Page ${p + 1} of ${pages}`);
      const markers = new Set([...e.description!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])));
      const listed = (e.fields ?? []).map((f) => f.value).join('\n');
      for (const n of markers) expect(listed).toContain(`[${n}]`);
    }
    // Out-of-range pages are clamped.
    expect(renderTimelinePage(answer, { page: 99 }).page).toBe(pages - 1);
  });

  it('shows the date at its precision, cuts a long sentence at a clause boundary and says how many sources', () => {
    const answer = answerTimeline(buildDossier(tempCorpus(STORY)));
    const d = renderTimelineDiscord(answer).embeds![0]!.description!;
    expect(d).toContain('**13 Oct 2023**');
    expect(d).toContain('**7 Sep – 1 Oct 2023**');
    expect(d).toContain('**Sep 2023**');
    expect(d).toMatch(/· 3 sources/);
    const long = answerTimeline(
      buildDossier(tempCorpus({ 'x.md': md('Long', '2023-10-14', `On 13 October, ${'the officials, who had gathered from many regions, '.repeat(10)}spoke.`) })),
    );
    const line = renderTimelineDiscord(long).embeds![0]!.description!;
    const shown = /“(.*)…”/.exec(line)?.[1];
    expect(shown).toBeTruthy();
    const sentence = long.events[0]!.text;
    // The kept text is verbatim and stops where a clause does.
    expect(sentence.startsWith(shown!)).toBe(true);
    expect(sentence.slice(shown!.length, shown!.length + 2)).toBe(', ');
    expect(shown!.length).toBeLessThan(sentence.length);
  });

  it('says so when nothing matches', () => {
    const answer = answerTimeline(buildDossier(tempCorpus(STORY)), { topic: 'zebras' });
    expect(answer.events).toEqual([]);
    expect(renderTimelineDiscord(answer).embeds![0]!.description).toMatch(/No dated events/);
  });
});

describe('CLI JSON contract', () => {
  it('prints exactly { events: [ { date, end, precision, text, expected, citations: [...] } ] }', async () => {
    const dir = tempCorpus(STORY);
    let out = '';
    const code = await runCli(['timeline', '--json', '--corpus', dir], { out: (s) => (out += s), err: () => {} });
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['events']);
    expect(json.events.length).toBeGreaterThan(0);
    for (const e of json.events) {
      expect(Object.keys(e)).toEqual(['date', 'end', 'precision', 'text', 'expected', 'citations']);
      expect(e.date).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      for (const c of e.citations) expect(Object.keys(c)).toEqual(['article', 'title', 'outlet', 'published', 'url', 'quote']);
    }
  });

  it('refuses a date that is not one, on stderr with exit code 1', async () => {
    let err = '';
    const code = await runCli(['timeline', '--from', '2023-02-30', '--json', '--corpus', CORPUS], { out: () => {}, err: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err).toMatch(/from.*does not exist/);
  });
});

describe.skipIf(!existsSync(join(SHARED, 'score', 'timeline.mjs')))('scorer regression', () => {
  it('passes node ../shared/score/timeline.mjs --strict on the seed corpus', () => {
    const out = execFileSync('node', [join(SHARED, 'score', 'timeline.mjs'), '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(out).toMatch(/^timeline: /m);
    expect(out).not.toMatch(/under the bar/);
  }, 200_000);
});
