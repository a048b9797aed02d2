// `dossier check`: the curators' lint. Each finding names the file and line; exit code 1 when any.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import type { Article } from '../src/core/types.js';
import { type Finding, checkCorpus, runCheck, scanQuotes } from '../src/corpus/check.js';
import type { Extraction, Statement } from '../src/extract/types.js';
import { CORPUS, tempCorpus } from './helpers.js';

const FM = (extra = '') => `---\ntitle: "A title"\noutlet: Test Wire\npublished: 2023-10-14\n${extra}---\n`;
const noStatements = (a: Article): Extraction => ({ article: a.id, dates: [], events: [], statements: [] });
/** An extractor that says every quoted span containing `speakerWord` was said by someone. */
const saidBy =
  (marker: RegExp) =>
  (a: Article): Extraction => {
    const statements: Statement[] = [];
    for (const m of a.body.matchAll(/“([^”]+)”/g)) {
      if (!marker.test(a.body.slice(m.index!, m.index! + m[0].length + 30))) continue;
      const at: [number, number] = [m.index! + 1, m.index! + 1 + m[1]!.length];
      statements.push({ article: a.id, speaker: 'Someone', role: null, kind: 'direct', quote: m[1]!, at, passage: { start: at[0], end: at[1] } });
    }
    return { ...noStatements(a), statements };
  };

function run(files: Record<string, string | Uint8Array>, extractFn: (a: Article) => Extraction = noStatements) {
  const dir = tempCorpus(files);
  const out: string[] = [];
  const err: string[] = [];
  const code = runCheck(['--corpus', dir], { out: (s) => out.push(s), err: (s) => err.push(s) }, { extractFn });
  return { dir, code, out, err, findings: checkCorpus(dir, { extractFn }).findings };
}
const about = (fs: Finding[], file: string) => fs.filter((f) => f.file.endsWith(`/${file}`)).map((f) => `${f.line}: ${f.message}`);

const WIRE = [
  'SEOUL, Oct. 14 (Yonhap) -- North Korea has shipped more than 1,000 containers of military equipment and munitions to Russia, the White House said Friday.',
  'The containers were loaded onto a Russian-flagged ship at the port of Rajin and carried to a depot near Tikhoretsk, about 290 kilometers from the Ukrainian border.',
  'National Security Council spokesperson John Kirby showed satellite images of the shipments at a press briefing in Washington.',
  'The transfers took place between Sept. 7 and Oct. 1, according to the images, and were carried out by rail after the ships docked at Dunai.',
].join('\n\n');

describe('dossier check', () => {
  it('a clean corpus: no finding, nothing on stdout, exit code 0', () => {
    const r = run({ 'a.md': `${FM()}Officials said the ships left Rajin on Oct. 5, 2023, for the port of Dunai.\n` });
    expect(r.findings).toEqual([]);
    expect(r.out).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/1 articles .*nothing to fix/);
  });

  it('prints one `path:line: severity: message` line per finding and exits 1', () => {
    const r = run({ 'a.md': `${FM()}He said: "the ships left and never came back.\n`, 'b.md': 'No front matter here\n\nA sentence about Rajin.\n' });
    expect(r.code).toBe(1);
    expect(r.out.length).toBe(r.findings.length);
    for (const line of r.out) expect(line).toMatch(/^\/.+\.md:\d+: (error|warning): \S/);
    expect(r.out.join('\n')).toContain(`${join(r.dir, 'a.md')}:6: warning: quotation mark opened here is never closed`);
  });

  it('reports missing title, outlet and publication date', () => {
    const r = run({ 'bare.md': 'Ships leave Rajin\n\nThe cargo ship carried containers to Dunai, officials said.\n', 'partial.md': '---\ntitle: Ships\n---\nThe ship docked at Dunai.\n' });
    expect(about(r.findings, 'bare.md')).toEqual([
      '1: no title: add `title:` to the front matter (the first line, "Ships leave Rajin", is used)',
      '1: no outlet: add `outlet:` so citations name the publication',
      '1: no publication date: add `published: YYYY-MM-DD` (or YYYY-MM); without it the article is undated on /timeline',
    ]);
    expect(about(r.findings, 'partial.md').map((m) => m.replace(/:.*/, ''))).toEqual(['1', '1']);
    expect(about(r.findings, 'partial.md').join('\n')).not.toMatch(/no title/);
  });

  it('names relative dates that cannot be dated because the article has no publication date, at their line', () => {
    const body = 'Ships leave Rajin\n\nThe cargo ship left Rajin on Friday, officials said.\n\nIt had docked there last month, in 2019 as well.\n';
    const r = run({ 'undated.md': body, 'dated.md': `${FM()}${body}` });
    const undated = about(r.findings, 'undated.md').filter((m) => /cannot be dated/.test(m));
    expect(undated.some((m) => /^3: "(on )?Friday" cannot be dated/.test(m))).toBe(true);
    expect(undated.some((m) => /^5: "last month" cannot be dated/.test(m))).toBe(true);
    // "in 2019" needs no publication date.
    expect(undated.join('\n')).not.toMatch(/2019/);
    expect(about(r.findings, 'dated.md')).toEqual([]);
  });

  it('finds the same article twice: identical text, and a wire story republished with another headline', () => {
    const other =
      'Russia and North Korea held talks in Vladivostok on the construction of a road bridge across the Tumen River, the Kremlin said, adding that no date was set for the work to begin.';
    const r = run({
      'a-yonhap.md': `${FM()}${WIRE}\n`,
      'b-copy.md': `---\ntitle: "Another headline"\noutlet: Other Paper\npublished: 2023-10-15\n---\n${WIRE}\n`,
      'c-republished.md': `---\ntitle: "N. Korea shipped 1,000 containers"\noutlet: Korea Herald\npublished: 2023-10-14\n---\n${WIRE.split('\n\n').slice(0, 3).join('\n\n')}\n\nThe Korea Herald could not independently verify the report.\n`,
      'd-different.md': `${FM()}${other}\n\n${WIRE.split('\n\n')[2]}\n`,
    });
    expect(about(r.findings, 'b-copy.md')).toEqual([`1: same article text as ${join(r.dir, 'a-yonhap.md')}: keep one of them`]);
    const near = about(r.findings, 'c-republished.md');
    expect(near.length).toBeGreaterThanOrEqual(1);
    expect(near.every((m) => /near-duplicate of .*(a-yonhap|b-copy)\.md: \d+% /.test(m))).toBe(true);
    // One shared paragraph out of two is not a duplicate.
    expect(about(r.findings, 'd-different.md')).toEqual([]);
  });

  it('two files with the same id (a.md and a.txt) are reported', () => {
    const r = run({ 'a.md': `${FM()}One text about Rajin harbour.\n`, 'a.txt': `${FM()}Another text about Dunai port.\n` });
    expect(about(r.findings, 'a.txt')).toEqual([`1: same id 'a' as ${join(r.dir, 'a.md')}: only one of them can be cited`]);
  });

  it('flags an unclosed quotation mark at its line, but not a quote that runs on into the next paragraph', () => {
    const r = run({
      'open.md': `${FM()}Kim said: “We will answer this.\n\nThe ministry gave no details.\n`,
      'runs-on.md': `${FM()}“We will answer this,” Kim said. “It is a grave provocation.\n\n“Our army is ready,” he added.\n`,
      'nested.md': `${FM()}“He told me ‘we are leaving’ and “left” at once,” she said.\n`,
    });
    expect(about(r.findings, 'open.md')).toEqual(['6: quotation mark opened here is never closed: “We will answer this.']);
    expect(about(r.findings, 'runs-on.md').filter((m) => /never closed/.test(m))).toEqual([]);
    expect(about(r.findings, 'nested.md').filter((m) => /never closed/.test(m))).toEqual([]);
  });

  it('flags quotes with no speaker found, and not those the extractor attributes or short scare quotes', () => {
    const text = `${FM()}“We have already observed Russian ships offloading containers,” Kirby said.\n\n“The shipments are a grave violation of the resolutions of the council,” a text on the website read.\n\nIt called the war a “special military operation” again.\n`;
    const r = run({ 'q.md': text }, saidBy(/Kirby/));
    expect(about(r.findings, 'q.md')).toEqual(['8: quote with no speaker found: “The shipments are a grave violation of the resolutions of…”']);
    const none = run({ 'q.md': text }, saidBy(/./));
    expect(none.findings).toEqual([]);
  });

  it('reports files that fail to load with their line, files with no sentences, and files that are not read', () => {
    const r = run({
      'good.md': `${FM()}A sentence about the port of Rajin.\n`,
      'binary.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]),
      'badfm.md': '---\ntitle: ok\npublished: 2023-02-30\n---\nText.\n',
      'quotes-only.md': `${FM()}""""""""""\n`,
      'page.html': '<html><body><p>Hi</p></body></html>',
      'aliases.yaml': '- [Geneva, the Swiss city]\n',
    });
    expect(about(r.findings, 'binary.md')).toEqual(['1: does not load: the file is binary (it has NUL bytes), not text']);
    expect(about(r.findings, 'badfm.md')).toEqual(['3: does not load: front matter field \'published\' ("2023-02-30") is not a date in the form YYYY-MM-DD or YYYY-MM']);
    expect(about(r.findings, 'quotes-only.md').some((m) => /^6: no sentences found/.test(m))).toBe(true);
    expect(about(r.findings, 'page.html')).toEqual(['1: not read: only .md, .markdown and .txt files are articles (an HTML page can be added with /corpus add, which turns it into text)']);
    expect(about(r.findings, 'good.md')).toEqual([]);
    expect(about(r.findings, 'aliases.yaml')).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error').length).toBe(2);
  });

  it('a missing corpus folder is a finding, not a crash', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCheck(['--corpus', '/nonexistent/dossier-corpus'], { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/^\/nonexistent\/dossier-corpus:1: error: does not load: cannot read the corpus folder/);
  });

  it('the bundled corpus: the real unclosed quote in the Yonhap article and the two articles without an outlet', () => {
    const { findings } = checkCorpus(CORPUS, { extractFn: noStatements });
    const lines = findings.map((f) => `${f.file.replace(/.*\//, '')}:${f.line}: ${f.message}`);
    expect(lines).toContain('002_152f3cda1bd751b5.md:39: quotation mark opened here is never closed: "This expanding military partnership between the…');
    expect(lines.filter((l) => /never closed/.test(l)).length).toBe(1);
    expect(lines.filter((l) => /no outlet/.test(l)).map((l) => l.slice(0, 3))).toEqual(['001', '003']);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    // With no statements extracted, Kirby's long quotes are all "no speaker found" (the real extractor finds him).
    expect(lines.some((l) => /^002_152f3cda1bd751b5\.md:\d+: quote with no speaker found: “We condemn the DPRK for providing Russia/.test(l))).toBe(true);
  });

  it('is routed by the CLI: `dossier check --corpus DIR`, and `--json` gives the findings as data', async () => {
    const dir = tempCorpus({ 'a.md': 'Untitled\n\nThe ship left on Friday.\n' });
    const out: string[] = [];
    const err: string[] = [];
    expect(await runCli(['check', '--corpus', dir], { out: (s) => out.push(s), err: (s) => err.push(s) })).toBe(1);
    expect(out.every((l) => l.startsWith(`${join(dir, 'a.md')}:`))).toBe(true);
    const json: string[] = [];
    expect(await runCli(['check', '--corpus', dir, '--json'], { out: (s) => json.push(s), err: () => {} })).toBe(1);
    const parsed = JSON.parse(json.join('')) as { findings: Finding[] };
    expect(parsed.findings.length).toBe(out.length);
    expect(await runCli(['check', '--bogus'], { out: () => {}, err: (s) => err.push(s) })).toBe(1);
    expect(err.at(-1)).toMatch(/^dossier check: Unknown option '--bogus'/);
  });
});

describe('scanning quotation marks', () => {
  it('pairs curly, guillemet and straight quotes, nested, in linear time even for thousands of marks', () => {
    expect(scanQuotes('“a ‘b’ “c” d”').spans.length).toBe(2);
    expect(scanQuotes('«a» "b" “c').unclosed).toEqual([8]);
    const many = scanQuotes('"x" '.repeat(5000));
    expect(many.spans.length).toBe(5000);
    expect(many.unclosed).toEqual([]);
    const deep = scanQuotes(`${'“'.repeat(10_000)}x${'”'.repeat(10_000)}`);
    expect(deep.spans.length).toBe(10_000);
  });
});
