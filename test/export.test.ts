// Exports of /timeline and /who-said: Markdown, CSV (RFC 4180, quotes with commas and quotation marks kept
// whole), JSON (the CLI's JSON with `meta`); each names its corpus and the time it was made.
import { describe, expect, it } from 'vitest';
import timelineCommand, { timelineCliJson } from '../commands/timeline.js';
import whoSaidCommand from '../commands/who-said.js';
import { answerTimeline } from '../src/answers/timeline.js';
import { runCli } from '../src/cli.js';
import { parseOptions } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import { corpusName, exportFileName, exportMeta, filesOf, timelineExport, toCsv, whoSaidExport } from '../src/render/export.js';
import { whoSaidJson } from '../src/render/whoSaidJson.js';
import { CORPUS, tempCorpus } from './helpers.js';

/** A strict RFC 4180 reader: quoted fields, doubled quotation marks, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

const NOW = new Date('2024-05-06T07:08:09.123Z');
const seeds = buildDossier(CORPUS, { cache: false });

// An article whose sentences carry commas, straight and curly quotation marks.
const tricky = tempCorpus({
  'quotes.md': `---\ntitle: "Mayor, \\"unhappy\\", speaks"\noutlet: "The Gazette, Evening Edition"\npublished: "2024-04-02"\n---\nMayor speaks\n\nOn 1 April 2024, the "Save the Bridge" group, led by two teachers, handed in 4,000 signatures.\n\nMayor Ana Reyes said: "We will not, under any circumstances, accept a 'temporary' bridge, ever."\n\nThe council voted on 3 April 2024 to close the old bridge, which carries 12,000 cars a day.\n`,
});
const trickyDossier = buildDossier(tricky, { cache: false });

describe('CSV', () => {
  it('quotes every text field and doubles quotation marks (RFC 4180)', () => {
    const csv = toCsv(['a', 'b', 'c'], [['He said, "no", twice', 3, true], ['line\nbreak', '', false]]);
    expect(csv).toBe('"a","b","c"\r\n"He said, ""no"", twice",3,true\r\n"line\nbreak","",false\r\n');
    expect(parseCsv(csv)).toEqual([
      ['a', 'b', 'c'],
      ['He said, "no", twice', '3', 'true'],
      ['line\nbreak', '', 'false'],
    ]);
  });

  it('a timeline quote with commas and quotation marks comes back whole, verbatim', () => {
    const a = answerTimeline(trickyDossier);
    const file = timelineExport(a, 'csv', exportMeta('timeline', {}, trickyDossier, NOW), timelineCliJson);
    const rows = parseCsv(file.data.toString('utf8'));
    const header = rows[0]!;
    const quote = header.indexOf('quote');
    const outlet = header.indexOf('outlet');
    const title = header.indexOf('title');
    const body = trickyDossier.articles[0]!.body;
    const mayor = rows.find((r) => r[quote]!.includes('Save the Bridge'))!;
    expect(mayor[quote]).toBe('On 1 April 2024, the "Save the Bridge" group, led by two teachers, handed in 4,000 signatures.');
    expect(body).toContain(mayor[quote]);
    expect(mayor[outlet]).toBe('The Gazette, Evening Edition');
    expect(mayor[title]).toBe('Mayor, "unhappy", speaks');
    for (const r of rows) expect(r).toHaveLength(header.length);
  });

  it('a who-said CSV keeps the quote and the passage whole', () => {
    const a = whoSaidCommand.run(parseOptions(whoSaidCommand, { speaker: 'Ana Reyes' }), { dossier: trickyDossier });
    const file = whoSaidExport(a, 'csv', exportMeta('who-said', { speaker: 'Ana Reyes' }, trickyDossier, NOW), whoSaidJson);
    const rows = parseCsv(file.data.toString('utf8'));
    expect(rows[0]).toEqual(['corpus', 'generated', 'speaker', 'role', 'kind', 'quote', 'article', 'title', 'outlet', 'published', 'url', 'passage']);
    expect(rows.length).toBeGreaterThan(1);
    const quote = rows[1]![5]!;
    expect(quote).toContain("We will not, under any circumstances, accept a 'temporary' bridge");
    expect(trickyDossier.articles[0]!.body).toContain(quote);
    const passage = rows[1]![11]!;
    expect(passage).toBe(`Mayor Ana Reyes said: "We will not, under any circumstances, accept a 'temporary' bridge, ever."`);
  });
});

describe('every export names its corpus and the time it was made', () => {
  const meta = exportMeta('timeline', { topic: 'containers', from: undefined }, seeds, NOW);
  const a = answerTimeline(seeds, { topic: 'containers' });

  it('meta: the corpus folder, its size, the time in UTC, the options asked', () => {
    expect(meta).toEqual({ command: 'timeline', options: { topic: 'containers' }, corpus: 'corpus', articles: 5, generated: '2024-05-06T07:08:09Z' });
    expect(corpusName('/data/news/ukraine-2023/')).toBe('ukraine-2023');
  });

  it('in the file name', () => {
    expect(exportFileName(meta, 'csv')).toBe('dossier-timeline-corpus-20240506T070809Z.csv');
    expect(exportFileName({ ...meta, corpus: 'Mes articles: été/2023', command: 'who-said' }, 'md')).toBe('dossier-who-said-mes-articles-ete-2023-20240506T070809Z.md');
    for (const f of ['markdown', 'csv', 'json'] as const) expect(timelineExport(a, f, meta, timelineCliJson).name).toMatch(/^dossier-timeline-corpus-20240506T070809Z\.(md|csv|json)$/);
  });

  it('in the Markdown header', () => {
    const md = timelineExport(a, 'markdown', meta, timelineCliJson).data.toString('utf8');
    const head = md.split('\n').slice(0, 6).join('\n');
    expect(head).toMatch(/^# Timeline — containers/);
    expect(head).toContain('**Corpus:** corpus (5 articles)');
    expect(head).toContain('**Made:** 2024-05-06T07:08:09Z by Dossier /timeline (topic: containers)');
    // Every quote is there, with its citation, and the figures note.
    for (const e of a.events) for (const c of e.citations) expect(md).toContain(c.quote.replace(/\s+/g, ' ').trim().slice(0, 60));
    expect(md).toContain('**Figures differ:**');
  });

  it('in every CSV row', () => {
    const rows = parseCsv(timelineExport(a, 'csv', meta, timelineCliJson).data.toString('utf8'));
    expect(rows[0]!.slice(0, 2)).toEqual(['corpus', 'generated']);
    for (const r of rows.slice(1)) expect(r.slice(0, 2)).toEqual(['corpus', '2024-05-06T07:08:09Z']);
    expect(rows.length - 1).toBe(a.events.reduce((n, e) => n + e.citations.length, 0));
  });

  it('in the JSON `meta`, beside exactly what `timeline --json` prints', async () => {
    const j = JSON.parse(timelineExport(a, 'json', meta, timelineCliJson).data.toString('utf8'));
    expect(j.meta).toEqual(meta);
    const out: string[] = [];
    expect(await runCli(['timeline', '--topic', 'containers', '--json', '--corpus', CORPUS], { out: (s) => out.push(s), err: () => {} })).toBe(0);
    const { meta: _m, ...rest } = j;
    expect(rest).toEqual(JSON.parse(out.join('\n')));
  });
});

describe('the commands attach the export', () => {
  it('/timeline format:csv attaches a CSV; the CLI prints it', async () => {
    const a = timelineCommand.run(parseOptions(timelineCommand, { topic: 'containers', format: 'csv' }), { dossier: seeds });
    const [file, ...more] = filesOf(timelineCommand, a);
    expect(more).toEqual([]);
    expect(file!.contentType).toBe('text/csv; charset=utf-8');
    expect(file!.name).toMatch(/^dossier-timeline-corpus-\d{8}T\d{6}Z\.csv$/);
    expect(file!.description).toMatch(/corpus corpus, made \d{4}-\d{2}-\d{2}T/);
    const out: string[] = [];
    expect(await runCli(['timeline', '--topic', 'containers', '--format', 'csv', '--corpus', CORPUS], { out: (s) => out.push(s), err: () => {} })).toBe(0);
    expect(out.join('\n')).toMatch(/^"corpus","generated","event"/);
  });

  it('/timeline format + image attaches both', () => {
    const a = timelineCommand.run(parseOptions(timelineCommand, { topic: 'containers', format: 'markdown', image: true }), { dossier: seeds });
    expect(filesOf(timelineCommand, a).map((f) => f.contentType)).toEqual(['image/png', 'text/markdown; charset=utf-8']);
  });

  it('/who-said format:json attaches the CLI JSON with meta', () => {
    const a = whoSaidCommand.run(parseOptions(whoSaidCommand, { speaker: 'John Kirby', format: 'json' }), { dossier: seeds });
    const [file] = filesOf(whoSaidCommand, a);
    const j = JSON.parse(file!.data.toString('utf8'));
    expect(j.meta).toMatchObject({ command: 'who-said', corpus: 'corpus', options: { speaker: 'John Kirby' } });
    expect(j.statements).toEqual(whoSaidJson(a).statements);
    expect(file!.name).toMatch(/^dossier-who-said-corpus-\d{8}T\d{6}Z\.json$/);
  });

  it('/who-said format:markdown groups statements by speaker under a header naming the corpus', () => {
    const a = whoSaidCommand.run(parseOptions(whoSaidCommand, { speaker: 'John Kirby', format: 'markdown' }), { dossier: seeds });
    const md = filesOf(whoSaidCommand, a)[0]!.data.toString('utf8');
    expect(md).toMatch(/^# Who said what — by John Kirby\n\n- \*\*Corpus:\*\* corpus \(5 articles\)\n- \*\*Made:\*\* \d{4}-/);
    expect(md).toContain('## John Kirby');
  });

  it('an unknown format is refused with the choices', () => {
    expect(() => parseOptions(timelineCommand, { format: 'xlsx' })).toThrow(/markdown, csv or json/);
    expect(() => parseOptions(whoSaidCommand, { format: 'pdf' })).toThrow(/markdown, csv or json/);
  });

  it('without format there is nothing to attach and the answers are unchanged', () => {
    const a = whoSaidCommand.run(parseOptions(whoSaidCommand, { speaker: 'John Kirby' }), { dossier: seeds });
    expect(filesOf(whoSaidCommand, a)).toEqual([]);
    expect('attach' in a).toBe(false);
  });
});
