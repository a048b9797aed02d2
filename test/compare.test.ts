// Where sources agree and disagree: figures found with their units and qualifiers, grouped by what they
// measure, compared with units converted; /compare; the notes on /timeline and /source; corroboration.
import { describe, expect, it } from 'vitest';
import compareCommand from '../commands/compare.js';
import { answerCompare, corroborationOf, independenceOf, wireCredit } from '../src/answers/compare.js';
import { answerSource } from '../src/answers/source.js';
import { answerTimeline } from '../src/answers/timeline.js';
import { runCli } from '../src/cli.js';
import { parseOptions } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import { extractQuantities } from '../src/extract/quantities.js';
import { renderCompareDiscord } from '../src/render/discord/compare.js';
import { renderSourceDiscord } from '../src/render/discord/source.js';
import { renderTimelineDiscord } from '../src/render/discord/timeline.js';
import { messageProblems } from '../src/render/limits.js';
import { CORPUS, tempCorpus } from './helpers.js';

const seeds = buildDossier(CORPUS, { cache: false });
const YONHAP = '002_152f3cda1bd751b5';
const KOTAKU = '001_a0399bd29a136b03';
const MARINE = '004_bde2da84be46dbbf';
const EUROMAIDAN = '000_c81e15045e159cdc';

function md(title: string, outlet: string, published: string, body: string): string {
  return `---\ntitle: "${title}"\noutlet: "${outlet}"\npublished: "${published}"\n---\n${title}\n\n${body}\n`;
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('figures in a sentence', () => {
  const one = (s: string) => extractQuantities(s).map((q) => ({ text: q.text, dimension: q.dimension, value: q.value, unit: q.unit, bound: q.bound, noun: q.noun }));

  it('a distance with its unit and qualifier', () => {
    expect(one('an ammunition depot near Tikhoretsk, roughly 290 kilometers from the Ukrainian border.')).toEqual([
      { text: 'roughly 290 kilometers', dimension: 'length', value: 290, unit: 'km', bound: 'approx', noun: null },
    ]);
    expect(one('a depot approximately 290 miles away from the border')[0]).toMatchObject({ unit: 'mi', bound: 'approx' });
    expect(one('a 290-kilometer trip')[0]).toMatchObject({ dimension: 'length', value: 290, unit: 'km' });
  });

  it('a count with the thing counted, and "more than" as a lower bound', () => {
    expect(one('North Korea has delivered more than 1,000 containers of military equipment')).toEqual([
      { text: 'more than 1,000 containers', dimension: 'count', value: 1000, unit: null, bound: 'min', noun: 'containers' },
    ]);
    expect(one('a shipment of about 300 shipping containers at Najin')[0]).toMatchObject({ value: 300, noun: 'containers', bound: 'approx' });
    expect(one('North Korea launched over two dozen missiles')[0]).toMatchObject({ value: 24, noun: 'missiles', bound: 'min' });
  });

  it('sums of money, durations and percentages', () => {
    expect(one('A $12 billion funding bill was approved')[0]).toMatchObject({ dimension: 'money', value: 12e9, unit: 'USD' });
    expect(one('the talks lasted three weeks')[0]).toMatchObject({ dimension: 'time', value: 3 });
    expect(one('prices rose 5 percent in a year')[0]).toMatchObject({ dimension: 'percent', value: 5 });
    expect(one('a war that has lasted 18 months')[0]).toMatchObject({ dimension: 'time', value: 18 });
  });

  it('dates, years, times of day, ordinals and names are not figures', () => {
    expect(one('On 13 October and on Oct. 17-18, 2023, the 85th anniversary; Published : Oct. 14, 2023 - 10:26; F-16 jets; in 2017')).toEqual([]);
    expect(one('One of the photos showed the port')).toEqual([]);
    expect(one('They met in the hall at noon')).toEqual([]);
  });
});

describe('sources differ: the 290 km / 290 miles case and the 1,000 containers case', () => {
  it('names both sides of the depot distance, each cited', () => {
    const a = answerCompare(seeds, { topic: 'ammunition depot border' });
    const note = a.notes.find((n) => n.dimension === 'length')!;
    expect(note.kind).toBe('differ');
    expect(note.summary).toMatch(/^Sources differ: /);
    const km = note.sides.find((s) => s.unit === 'km')!;
    const mi = note.sides.find((s) => s.unit === 'mi')!;
    expect(km.text).toBe('roughly 290 kilometers');
    expect(km.citations.map((c) => c.article)).toEqual([YONHAP]);
    expect(km.citations[0]!.quote).toContain('roughly 290 kilometers from the Ukrainian border');
    expect(mi.citations.map((c) => c.article).sort()).toEqual([KOTAKU, MARINE]);
    for (const c of mi.citations) expect(c.quote).toContain('approximately 290 miles');
    // Converted so a reader sees how far apart they are.
    expect(note.summary).toContain('roughly 290 kilometers ≈ 180 miles (Yonhap)');
    expect(note.summary).toContain('Marine Insight');
  });

  it('"more than 1,000 containers" against "1,000 containers": a difference of qualifier, each side cited', () => {
    const a = answerCompare(seeds, { topic: 'containers' });
    const note = a.notes.find((n) => n.about === 'containers')!;
    expect(note.kind).toBe('qualifier');
    const plain = note.sides.find((s) => s.bound === 'exact')!;
    const more = note.sides.find((s) => s.bound === 'min')!;
    expect(plain.citations.map((c) => c.article)).toEqual([EUROMAIDAN]);
    expect(more.citations.map((c) => c.article)).toContain(YONHAP);
    expect(note.summary).toMatch(/1,000 containers \(Euromaidan Press\)/);
  });

  it('figures about different things are not compared (300 shipping containers at Najin is another shipment)', () => {
    const a = answerCompare(seeds, { topic: 'containers' });
    for (const n of a.notes) expect(n.sides.some((s) => s.value === 300) && n.sides.some((s) => s.value === 1000)).toBe(false);
  });

  it('the timeline event and the /source answer carry the note, and Discord shows it with citation markers', () => {
    const t = answerTimeline(seeds, { topic: 'containers' });
    const span = t.events.find((e) => e.date === '2023-09-07' && e.end === '2023-10-01')!;
    expect(span.notes!.some((n) => n.kind === 'differ' && n.dimension === 'length')).toBe(true);
    const desc = renderTimelineDiscord(t).embeds![0]!.description!;
    expect(desc).toMatch(/⚠ Sources differ: approximately 290 miles .*\[\d\]\[\d\] · roughly 290 kilometers ≈ 180 miles \(Yonhap\) \[\d\]/);

    const s = answerSource(seeds, { query: 'how far is the ammunition depot from the border' });
    expect(s.notes!.some((n) => n.kind === 'differ')).toBe(true);
    const msg = renderSourceDiscord(s);
    const figures = msg.embeds![0]!.fields!.find((f) => f.name === 'Figures')!;
    expect(figures.value).toContain('roughly 290 kilometers');
    expect(figures.value).toContain('290 miles');
    expect(messageProblems(msg)).toEqual([]);
  });
});

describe('sources agree', () => {
  const dir = tempCorpus({
    'a.md': md('Convoy halted', 'Daily A', '2024-03-02', 'The convoy halted roughly 40 kilometers from the capital Zorvik after the Telmar bridge collapsed on Friday.'),
    'b.md': md('Bridge collapse stops convoy', 'Daily B', '2024-03-02', 'A convoy was stopped about 25 miles from the capital Zorvik when the Telmar bridge collapsed.'),
    'c.md': md('Telmar bridge falls', 'Daily C', '2024-03-03', 'The Telmar bridge collapse left the convoy 40 km from the capital Zorvik, officials said.'),
    'd.md': md('Harvest report', 'Daily D', '2024-03-03', 'Farmers in the south harvested 900 tonnes of wheat this season, the ministry said.'),
  });
  const d = buildDossier(dir, { cache: false });

  it('the same distance in km and miles is "3 sources agree"', () => {
    const a = answerCompare(d, { topic: 'convoy Zorvik' });
    expect(a.notes).toHaveLength(1);
    expect(a.notes[0]!.kind).toBe('agree');
    expect(a.notes[0]!.sources).toBe(3);
    expect(a.notes[0]!.summary).toMatch(/^3 sources agree: /);
  });

  it('without a topic every figure is compared; unrelated ones are left alone', () => {
    const a = answerCompare(d);
    expect(a.notes.map((n) => n.kind)).toEqual(['agree']);
  });
});

describe('corroboration: a wire story republished by several sites counts once', () => {
  const wire =
    'The Harbor Authority of Veloria closed the northern port on 4 March 2024 after a chemical leak, officials said. ' +
    'Inspectors found a damaged tank on the tanker Meridian Star, which had docked two days earlier with a cargo of industrial solvents. ' +
    'Fishing boats were ordered to stay at least five kilometres away while crews pumped the remaining fluid into sealed containers. ' +
    'The port authority said it expected the berths to reopen within a week, once samples of the harbor water came back clean.';
  const dir = tempCorpus({
    'site1.md': md('Veloria port closed after chemical leak', 'Coast Herald', '2024-03-05', wire),
    'site2.md': md('Chemical leak shuts Veloria port', 'Daily Lantern', '2024-03-05', `${wire}\n\nRead more of our coverage of the coast.`),
    'own.md': md('Leak at Veloria port', 'Harbor Watch', '2024-03-06', 'Our reporter saw the northern port of Veloria closed on 4 March 2024 after a chemical leak from a tanker, with fishing crews kept out of the bay.'),
    'credit1.md': md('Storm hits Veloria', 'Coast Herald', '2024-03-08', 'VELORIA (Reuters) - A storm flooded the lower town of Veloria on 7 March 2024, cutting power to thousands of homes.'),
    'credit2.md': md('Floods in Veloria', 'Evening Star', '2024-03-08', 'VELORIA (Reuters) - Floodwater reached the town hall of Veloria on 7 March 2024 as the storm moved inland.'),
    'photo.md': md('Veloria cleans up', 'Morning Post', '2024-03-09', 'Volunteers cleared mud from the streets of Veloria on 8 March 2024.\n\nPhoto: Reuters'),
  });
  const d = buildDossier(dir, { cache: false });

  it('near-identical text across two sites is one independent report', () => {
    const t = answerTimeline(d, { topic: 'port chemical leak' });
    const e = t.events.find((x) => x.date === '2024-03-04')!;
    expect(e.sources).toBe(3);
    expect(e.independent).toBe(2);
    expect(renderTimelineDiscord(t).embeds![0]!.description!).toContain('3 sources (2 independent)');
    const c = corroborationOf(d, e.citations);
    expect(c.shared).toEqual([{ reason: 'text', label: 'near-identical text', articles: expect.arrayContaining(['site1', 'site2']) }]);
  });

  it('the same wire credit counts once; a photo credit is not a story credit', () => {
    expect(wireCredit(d.byId.get('credit1')!)).toBe('Reuters');
    expect(wireCredit(d.byId.get('credit2')!)).toBe('Reuters');
    expect(wireCredit(d.byId.get('photo')!)).toBeNull();
    const ind = independenceOf(d);
    expect(ind.group.get('credit1')).toBe(ind.group.get('credit2'));
    expect(ind.group.get('photo')).not.toBe(ind.group.get('credit1'));
    expect(corroborationOf(d, [{ article: 'credit1' }, { article: 'credit2' }, { article: 'photo' }]).independent).toBe(2);
  });

  it('/source says how many independent outlets its passages come from', () => {
    const s = answerSource(d, { query: 'Veloria port closed chemical leak' });
    expect(s.corroboration!.articles).toBeGreaterThan(s.corroboration!.independent);
    expect(renderSourceDiscord(s).embeds![0]!.footer!.text).toMatch(/\d+ independent/);
  });

  it('in the seed corpus every article is its own outlet', () => {
    const t = answerTimeline(seeds);
    for (const e of t.events) expect(e.independent).toBe(e.sources);
  });
});

describe('/compare command', () => {
  it('compare --topic T --json prints the notes with each side cited', async () => {
    const r = await cli(['compare', '--topic', 'depot', '--json', '--corpus', CORPUS]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['topic', 'notes']);
    const n = j.notes[0];
    expect(Object.keys(n)).toEqual(['kind', 'about', 'dimension', 'summary', 'sources', 'sides']);
    expect(n.kind).toBe('differ');
    for (const s of n.sides) {
      expect(Object.keys(s)).toEqual(['text', 'value', 'unit', 'bound', 'converted', 'citations']);
      for (const c of s.citations) expect(c.quote).toContain(s.text);
    }
  });

  it('the Discord answer fits the limits and quotes each side around its figure', () => {
    const a = compareCommand.run(parseOptions(compareCommand, { topic: 'containers' }), { dossier: seeds });
    const msg = compareCommand.render.discord(a);
    expect(messageProblems(msg)).toEqual([]);
    const desc = msg.embeds![0]!.description!;
    expect(desc).toContain('Sources differ');
    expect(desc).toContain('roughly 290 kilometers');
    expect(desc).toContain('Euromaidan Press');
  });

  it('nothing to compare is said plainly', () => {
    const a = compareCommand.run(parseOptions(compareCommand, { topic: 'zzzz nothing here' }), { dossier: seeds });
    expect(a.notes).toEqual([]);
    expect(compareCommand.render.text(a)).toMatch(/No figure is given by two articles/);
  });

  it('rejects a limit out of range', () => {
    expect(() => parseOptions(compareCommand, { limit: 0 })).toThrow(/at least 1/);
  });
});
