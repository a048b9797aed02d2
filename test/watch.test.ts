// The living corpus: files added, changed, broken and removed while the bot runs.
import { renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { answerSource } from '../src/answers/source.js';
import { answerLine } from '../src/console.js';
import { buildDossier, type Dossier } from '../src/core/dossier.js';
import { type DossierHolder, type WatchLogger, watchCorpus } from '../src/corpus/watch.js';
import { tempCorpus } from './helpers.js';

const article = (title: string, body: string) => `---\ntitle: "${title}"\noutlet: Test Wire\npublished: 2023-10-14\n---\n${body}\n`;
const SHIPS = article('Ships', 'The cargo ship Angara carried containers from Rajin to Dunai on Oct. 5, 2023, officials said.');
const DEPOT = article('Depot', 'Satellite images show the ammunition depot at Tikhoretsk grew by a third in September 2023.');

const holders: DossierHolder[] = [];
afterEach(() => {
  for (const h of holders.splice(0)) h.close();
});

function logs(): WatchLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
  };
}

function open(dir: string, o: Parameters<typeof watchCorpus>[1] = {}): DossierHolder {
  const h = watchCorpus(dir, { debounceMs: 50, pollMs: 0, build: (d) => buildDossier(d, { cache: false }), ...o });
  holders.push(h);
  return h;
}

/** Waits (bounded) until `pred` holds for the holder's current Dossier. */
async function until(h: DossierHolder, pred: (d: Dossier) => boolean, ms = 8000): Promise<Dossier> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred(h.current())) return h.current();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`condition not met within ${ms} ms; articles: ${h.current().articles.map((a) => a.id).join(', ')}`);
}

const ids = (d: Dossier) => d.articles.map((a) => a.id);
const finds = (d: Dossier, q: string) => answerSource(d, { query: q }).passages.map((p) => p.citation.article);

describe('watching the corpus folder', () => {
  it('picks up an added article without a restart, through the file watcher alone', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir);
    expect(finds(h.current(), 'Tikhoretsk depot')).toEqual([]);
    writeFileSync(join(dir, 'depot.md'), DEPOT);
    const d = await until(h, (x) => x.byId.has('depot'));
    expect(finds(d, 'Tikhoretsk depot')).toContain('depot');
    expect(finds(d, 'Angara cargo ship')).toContain('ships');
  });

  it('prepares an updated corpus while the previous one keeps serving, then swaps', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const seen: { next: string[]; serving: string[] }[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = open(dir, {
      watch: false,
      prepare: async (next) => {
        seen.push({ next: ids(next), serving: ids(h.current()) });
        await gate;
      },
    });
    writeFileSync(join(dir, 'depot.md'), DEPOT);
    const done = h.refresh();
    for (let t = 0; t < 400 && seen.length === 0; t++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([{ next: ['depot', 'ships'], serving: ['ships'] }]);
    expect(ids(h.current())).toEqual(['ships']);
    release();
    expect(ids(await done)).toEqual(['depot', 'ships']);
    expect(ids(h.current())).toEqual(['depot', 'ships']);
  });

  it('brings a copy of its passage index up to date through additions, edits and removals, answering as a fresh build does', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS, 'depot.md': DEPOT });
    const lines = logs();
    const h = open(dir, { watch: false, logger: lines });
    const first = h.current();
    const same = (d: Dossier, q: string) => expect(finds(d, q)).toEqual(finds(buildDossier(dir, { cache: false }), q));
    writeFileSync(join(dir, 'rail.md'), article('Rail', 'Freight trains carried the containers from Tumangang to Khasan in October 2023.'));
    const added = await h.refresh();
    expect(added.byId.has('rail')).toBe(true);
    expect(added.passages).not.toBe(first.passages);
    for (const q of ['Khasan freight trains', 'Tikhoretsk depot', 'Angara cargo ship']) same(added, q);
    // The Dossier taken before still answers from its own index.
    expect(finds(first, 'Khasan freight trains')).toEqual([]);
    writeFileSync(join(dir, 'depot.md'), article('Depot', 'The depot at Kotluban was emptied in November 2023, officials said.'));
    const edited = await h.refresh();
    expect(finds(edited, 'Tikhoretsk')).toEqual([]);
    expect(finds(added, 'Tikhoretsk depot')).toContain('depot');
    for (const q of ['Kotluban depot emptied', 'Khasan freight trains']) same(edited, q);
    unlinkSync(join(dir, 'ships.md'));
    const removed = await h.refresh();
    expect(finds(removed, 'Angara cargo ship')).toEqual([]);
    expect(removed.passages.mini.documentCount).toBe(removed.articles.reduce((n, a) => n + a.sentences.length, 0));
    // Updated, not built again: the ids of removed sentences are not reused (a fresh build numbers from 0).
    expect((removed.passages.mini as unknown as { _nextId: number })._nextId).toBeGreaterThan(removed.passages.mini.documentCount);
    same(removed, 'containers');
    expect(lines.lines.filter((l) => /passage index/.test(l.msg ?? ''))).toEqual([]);
  });

  it('re-extracts a changed article and drops a removed one', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS, 'depot.md': DEPOT });
    const h = open(dir);
    writeFileSync(join(dir, 'ships.md'), article('Ships', 'The freighter Lady Maria docked at Dunai on Nov. 2, 2023, port records show.'));
    let d = await until(h, (x) => x.byId.get('ships')!.body.includes('Lady Maria'));
    expect(finds(d, 'Lady Maria freighter')).toContain('ships');
    expect(finds(d, 'Angara')).toEqual([]);
    expect(d.extractions.get('ships')!.dates.map((x) => x.date)).toContain('2023-11-02');
    unlinkSync(join(dir, 'depot.md'));
    d = await until(h, (x) => !x.byId.has('depot'));
    expect(ids(d)).toEqual(['ships']);
    expect(finds(d, 'Tikhoretsk depot')).toEqual([]);
  });

  it('swaps rather than mutates: a Dossier taken before an update still answers from the old files', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir);
    const before = h.current();
    writeFileSync(join(dir, 'depot.md'), DEPOT);
    unlinkSync(join(dir, 'ships.md'));
    const after = await until(h, (x) => x.byId.has('depot') && !x.byId.has('ships'));
    expect(after).not.toBe(before);
    expect(ids(before)).toEqual(['ships']);
    expect(finds(before, 'Angara cargo ship')).toContain('ships');
    expect(finds(before, 'Tikhoretsk depot')).toEqual([]);
  });

  it('keeps serving the previous good version of a file that breaks, and reports it in the log', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS, 'depot.md': DEPOT });
    const log = logs();
    const h = open(dir, { logger: log });
    writeFileSync(join(dir, 'ships.md'), '---\ntitle: [unclosed\n---\nThe text.\n');
    writeFileSync(join(dir, 'new.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
    const d = await until(h, () => h.failing().length === 2);
    // The broken file's old text still answers; the new binary file serves nothing.
    expect(finds(d, 'Angara cargo ship')).toContain('ships');
    expect(ids(d)).toEqual(['depot', 'ships']);
    const failing = h.failing().sort((a, b) => a.file.localeCompare(b.file));
    expect(failing.map((f) => [f.file, f.serving])).toEqual([
      [join(dir, 'new.md'), false],
      [join(dir, 'ships.md'), true],
    ]);
    expect(failing[1]!.reason).toMatch(/front matter.*previous version keeps serving/);
    expect(d.problems.some((p) => p.file === join(dir, 'ships.md') && p.severity === 'error')).toBe(true);
    expect(log.lines.some((l) => l.level === 'warn' && (l.obj as { file?: string }).file === join(dir, 'ships.md') && /previous version/.test(l.msg ?? ''))).toBe(true);
    // Fixed again: the new text serves and the failure is gone.
    writeFileSync(join(dir, 'ships.md'), article('Ships', 'The freighter Lady Maria docked at Dunai, port records show.'));
    const fixed = await until(h, (x) => x.byId.get('ships')!.body.includes('Lady Maria'));
    expect(h.failing().map((f) => f.file)).toEqual([join(dir, 'new.md')]);
    expect(fixed.problems.some((p) => p.file === join(dir, 'ships.md'))).toBe(false);
  });

  it('a file that was broken from the start serves nothing until it is fixed', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS, 'bad.md': '---\npublished: 2023-02-30\n---\nText about Rajin harbour cranes.\n' });
    const h = open(dir);
    expect(ids(h.current())).toEqual(['ships']);
    expect(h.failing()).toMatchObject([{ file: join(dir, 'bad.md'), serving: false }]);
    writeFileSync(join(dir, 'bad.md'), '---\npublished: 2023-02-28\n---\nText about Rajin harbour cranes.\n');
    const d = await until(h, (x) => x.byId.has('bad'));
    expect(finds(d, 'Rajin harbour cranes')).toContain('bad');
    expect(h.failing()).toEqual([]);
  });

  it('ignores dotfiles and the trash folder, and sees a file renamed into place (an atomic write)', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir);
    writeFileSync(join(dir, '.depot.md.tmp'), DEPOT);
    await h.refresh();
    expect(ids(h.current())).toEqual(['ships']);
    renameSync(join(dir, '.depot.md.tmp'), join(dir, 'depot.md'));
    await until(h, (x) => x.byId.has('depot'));
  });

  it('refresh() resolves with the Dossier that includes a change made just before', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir, { watch: false });
    writeFileSync(join(dir, 'depot.md'), DEPOT);
    expect(ids(h.current())).toEqual(['ships']);
    const d = await h.refresh();
    expect(ids(d)).toEqual(['depot', 'ships']);
    expect(h.current()).toBe(d);
  });

  it('does not re-extract unchanged files on an update', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS, 'depot.md': DEPOT });
    const extracted: string[] = [];
    const h = open(dir, {
      watch: false,
      extractFn: (a) => {
        extracted.push(a.id);
        return { article: a.id, dates: [], events: [], statements: [] };
      },
    });
    writeFileSync(join(dir, 'third.md'), article('Third', 'A third article about Vladivostok harbour.'));
    await h.refresh();
    expect(extracted).toEqual(['third']);
    expect(ids(h.current())).toEqual(['depot', 'ships', 'third']);
  });

  it('survives the corpus folder disappearing: the last corpus keeps serving', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const log = logs();
    const h = open(dir, { logger: log });
    rmSync(dir, { recursive: true, force: true });
    const d = await h.refresh();
    expect(ids(d)).toEqual(['ships']);
    expect(finds(d, 'Angara cargo ship')).toContain('ships');
    expect(log.lines.some((l) => l.level === 'error' && /cannot read the corpus folder/.test(l.msg ?? ''))).toBe(true);
  });

  it("the console's view answers from the new corpus after a swap", async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir);
    const view = h.view();
    expect(await answerLine('/source query: Tikhoretsk depot', view)).toMatch(/Nothing in the 1 articles/);
    writeFileSync(join(dir, 'depot.md'), DEPOT);
    await until(h, (x) => x.byId.has('depot'));
    expect(await answerLine('/source query: Tikhoretsk depot', view)).toMatch(/ammunition depot at Tikhoretsk/);
    expect(view.articles.length).toBe(2);
  });

  it('reads and extracts changed files in a worker thread: queries are answered from the old corpus meanwhile', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const log = logs();
    const h = open(dir, { watch: false, logger: log });
    const lines = Array.from({ length: 800 }, (_, i) => `Report ${i}: the depot at Tikhoretsk received ${i} wagons of shells, officials said.`);
    writeFileSync(join(dir, 'long.md'), article('Long', lines.join('\n\n')));
    let done = false;
    const update = h.refresh().then((d) => {
      done = true;
      return d;
    });
    let answered = 0;
    while (!done) {
      // The main thread is free while the worker segments and extracts 800 paragraphs.
      expect(finds(h.current(), 'Angara cargo ship')).toContain('ships');
      answered++;
      await new Promise((r) => setImmediate(r));
    }
    const d = await update;
    expect(answered).toBeGreaterThan(20);
    expect(d.byId.get('long')!.sentences.length).toBe(800);
    expect(d.extractions.get('long')!.article).toBe('long');
    expect(log.lines.filter((l) => /main thread/.test(l.msg ?? ''))).toEqual([]);
  });

  it('gives up on a file that takes too long to process, and its previous version keeps serving', async () => {
    const dir = tempCorpus({ 'ships.md': SHIPS });
    const h = open(dir, { watch: false, fileTimeoutMs: 1 });
    writeFileSync(join(dir, 'ships.md'), article('Ships', 'The freighter Lady Maria docked at Dunai, port records show.'));
    const d = await h.refresh();
    expect(h.failing()).toMatchObject([{ file: join(dir, 'ships.md'), serving: true }]);
    expect(h.failing()[0]!.reason).toMatch(/took longer than 0 s to read and extract/);
    expect(finds(d, 'Angara cargo ship')).toContain('ships');
  });
});
