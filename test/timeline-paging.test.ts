// /timeline pages laid out once per events list: an unfiltered answer shares the Dossier's list of events,
// its pages are laid out once and reused, a filtered answer is laid out from each event's figures, and every
// page shows the events the greedy layout puts on it (checked against that layout written plainly, with sets
// of article ids, over the same per-event figures). The warm-up makes the same answers as a cold Dossier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../bench/corpus.js';
import timelineCommand, { warmTimelineCommand } from '../commands/timeline.js';
import { type TimelineAnswer, type TimelineEvent, answerTimeline, subsetOf } from '../src/answers/timeline.js';
import { parseOptions } from '../src/core/command.js';
import { type Dossier, buildDossier } from '../src/core/dossier.js';
import { EVENTS_PER_PAGE, renderTimelinePage, timelineLineFigures, timelinePageCount, timelinePages } from '../src/render/discord/timeline.js';
import { LIMITS } from '../src/render/limits.js';

/** The page layout as it was written before it was made incremental: sets of article ids, an event retried on a new page. */
function plainLayout(a: TimelineAnswer): number[] {
  const DESCRIPTION_BUDGET = 3900;
  const TOTAL_BUDGET = 5800;
  const HEADER_ROOM = 110;
  const FOOTER_ROOM = 130;
  const SOURCE_LINE_MAX = 300;
  if (a.events.length === 0) return [];
  const title = renderTimelinePage(a).message.embeds![0]!.title!;
  const filters = (a.from ? a.from.length + 6 : 0) + (a.to ? a.to.length + 4 : 0);
  const fixed = title.length + FOOTER_ROOM;
  const starts: number[] = [];
  let count = 0;
  let description = HEADER_ROOM + filters;
  let sources = 0;
  let articles = new Set<string>();
  for (let i = 0; i < a.events.length; i++) {
    const e = a.events[i]!;
    const f = timelineLineFigures(e);
    const ids = [...new Set(e.citations.map((c) => c.article))];
    const added = ids.map((id, k) => [id, f.sources[k]!] as const).filter(([id]) => !articles.has(id));
    const addedSources = added.reduce((n, [, len]) => n + len, 0);
    const fieldsAfter = Math.ceil((sources + addedSources) / (LIMITS.fieldValue - SOURCE_LINE_MAX)) || 0;
    const fits =
      count + 1 <= EVENTS_PER_PAGE &&
      description + f.line <= DESCRIPTION_BUDGET &&
      fixed + description + f.line + sources + addedSources + fieldsAfter * 20 <= TOTAL_BUDGET &&
      fieldsAfter <= LIMITS.embedFields;
    if (!fits && count > 0) {
      count = 0;
      description = HEADER_ROOM + filters;
      sources = 0;
      articles = new Set();
      i--;
      continue;
    }
    if (count === 0) starts.push(i);
    count++;
    description += f.line;
    sources += addedSources;
    for (const [id] of added) articles.add(id);
  }
  return starts;
}

/** Where each rendered page starts, read from its header ("-# Events 9–16 of 120 · …"), and what the footer says. */
function shownPages(a: TimelineAnswer): { starts: number[]; footers: string[] } {
  const pages = timelinePageCount(a);
  const starts: number[] = [];
  const footers: string[] = [];
  let next = 1;
  for (let p = 0; p < pages; p++) {
    const embed = renderTimelinePage(a, { page: p }).message.embeds![0]!;
    const m = /^-# Events (\d+)–(\d+) of (\d+)/.exec(embed.description!)!;
    expect(m, `page ${p + 1} says which events it shows`).toBeTruthy();
    // Pages follow one another with no event left out or shown twice.
    expect(Number(m[1])).toBe(next);
    expect(Number(m[3])).toBe(a.events.length);
    starts.push(Number(m[1]) - 1);
    next = Number(m[2]) + 1;
    footers.push(embed.footer!.text);
    const total = (embed.title?.length ?? 0) + embed.description!.length + embed.footer!.text.length + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(LIMITS.embedFields);
  }
  if (a.events.length) expect(next - 1).toBe(a.events.length);
  return { starts, footers };
}

const articlesCited = (a: TimelineAnswer) => new Set(a.events.flatMap((e) => e.citations.map((c) => c.article))).size;

describe('timeline pages over a synthetic corpus', () => {
  let dir: string;
  let d: Dossier;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-tl-paging-'));
    writeCorpus(dir, 30, 11);
    d = buildDossier(dir, { cache: false });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const asked = (raw: Record<string, unknown>) => timelineCommand.run(parseOptions(timelineCommand, raw), { dossier: d });

  it('every unfiltered answer shares one frozen list of events, laid out once', () => {
    const a = answerTimeline(d);
    const b = asked({});
    expect(b.events).toBe(a.events);
    expect(Object.isFrozen(a.events)).toBe(true);
    expect(() => (a.events as TimelineEvent[]).push(a.events[0]!)).toThrow();
    expect(timelinePageCount(a)).toBeGreaterThan(3);
    // A fresh copy of the list is laid out from scratch: the same pages, word for word.
    const copy = { ...a, events: [...a.events] };
    for (let p = 0; p < timelinePageCount(a); p++) expect(renderTimelinePage(a, { page: p })).toEqual(renderTimelinePage(copy, { page: p }));
  });

  it('the same filtered question again gets the same list (a page button asks it again); other questions do not', () => {
    const topic = d.articles[0]!.meta.title.split(/\s+/)[0]!;
    const questions: Record<string, unknown>[] = [{ from: '2023' }, { from: '2022' }, { topic }, { topic, from: '2023' }, { topic, source: d.articles[0]!.id }, { to: '2023' }];
    const first = questions.map((q) => asked(q).events);
    questions.forEach((q, i) => {
      expect(asked(q).events).toBe(first[i]);
      expect(Object.isFrozen(first[i])).toBe(true);
    });
    expect(new Set(first).size).toBe(questions.length);
    // Pushed out by many other questions, a question is answered afresh: the same events.
    for (let y = 1990; y < 2030; y++) asked({ from: String(y) });
    expect(asked(questions[0]!).events).not.toBe(first[0]);
    expect(asked(questions[0]!).events).toEqual(first[0]);
  });

  it('each page shows the events the greedy layout puts on it, whole corpus and filtered', () => {
    const topic = d.articles[3]!.meta.title.split(/\s+/).slice(0, 2).join(' ');
    const answers: TimelineAnswer[] = [
      answerTimeline(d),
      asked({ from: '2023' }),
      asked({ to: '2022-06' }),
      asked({ from: '2021-03', to: '2023-09-15' }),
      asked({ topic }),
      asked({ source: d.articles[5]!.id }),
      asked({ topic, from: '2022' }),
    ];
    // The same list under a longer title (a different layout): pages are kept per list and per title.
    answers.push({ ...answers[0]!, topic: 'a topic long enough to change how much room each page has left, '.repeat(3) });
    // A filtered list says where its events sit in the whole list (pages are laid out from that list's figures).
    for (const a of answers.slice(1, 5)) {
      const sub = subsetOf(a.events)!;
      expect(sub.all).toBe(answers[0]!.events);
      expect([...sub.positions].map((i) => sub.all[i])).toEqual(a.events);
    }
    let multi = 0;
    for (const a of answers) {
      const { starts, footers } = shownPages(a);
      expect(starts).toEqual(plainLayout(a));
      expect(timelinePages(a).map((p) => p.first)).toEqual(starts);
      expect(timelinePages(a).flatMap((p) => p.events)).toEqual(a.events);
      const n = articlesCited(a);
      for (const f of footers) expect(f).toContain(`from ${n} article${n === 1 ? '' : 's'}`);
      if (starts.length > 1) multi++;
    }
    expect(multi).toBeGreaterThanOrEqual(4);
  });

  it('the warm-up makes what a cold Dossier answers, and stops when told', async () => {
    const warm = buildDossier(dir, { cache: false });
    const stopped = await warmTimelineCommand(warm, () => true);
    expect(stopped.stopped).toBe(true);
    const w = await warmTimelineCommand(warm);
    expect(w.stopped).toBe(false);
    expect(w.events).toBe(answerTimeline(warm).events.length);
    for (const raw of [{}, { from: '2023' }, { source: d.articles[2]!.id }]) {
      const hot = timelineCommand.run(parseOptions(timelineCommand, raw), { dossier: warm });
      const cold = asked(raw);
      expect(timelineCommand.render.json!(hot)).toEqual(timelineCommand.render.json!(cold));
      expect(timelinePageCount(hot)).toBe(timelinePageCount(cold));
      for (let p = 0; p < timelinePageCount(hot); p++) expect(renderTimelinePage(hot, { page: p })).toEqual(renderTimelinePage(cold, { page: p }));
    }
  });
});

describe('timeline pages of many articles', () => {
  // More distinct articles than the layout first makes room for, long titles and links, events cited by many.
  const citation = (n: number, quote: string) => ({
    article: `art-${n}`,
    title: `A headline of article ${n} ${'that goes on '.repeat(n % 9)}`,
    outlet: n % 3 ? `Outlet ${n % 40}` : null,
    published: n % 4 ? ('2023-10-14' as const) : null,
    url: n % 2 ? `https://example.com/news/${n}/${'x'.repeat(n % 200)}` : null,
    quote,
  });
  const events: TimelineEvent[] = Array.from({ length: 900 }, (_, i) => {
    const text = `On day ${i}, the council number ${i} met ${'and talked '.repeat(i % 30)}for a while.`;
    const cited = Array.from({ length: 1 + (i % 7) }, (_, k) => citation((i * 13 + k * 311) % 3000, text));
    return {
      date: `2023-${String(1 + (i % 12)).padStart(2, '0')}-01` as const,
      end: null,
      precision: 'day',
      text,
      expected: i % 11 === 0,
      caption: false,
      citations: cited,
      sources: new Set(cited.map((c) => c.article)).size,
      independent: 1,
      notes: [],
    };
  });
  const a: TimelineAnswer = { events, topic: null, from: '2023-01', to: null, source: null, searched: 3000 };

  it('pages them as the plain layout does, within Discord limits, counting every article once', () => {
    const { starts, footers } = shownPages(a);
    expect(starts.length).toBeGreaterThan(100);
    expect(starts).toEqual(plainLayout(a));
    expect(footers[0]).toContain(`from ${articlesCited(a)} articles`);
    // Laid out again for another list of the same events, after other layouts: the same pages.
    const again = { ...a, events: [...events] };
    expect(shownPages(again).starts).toEqual(starts);
  });
});
