import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { CORPUS, ROOT, tempCorpus } from './helpers.js';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const fold = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('dossier source --json', () => {
  it('prints exactly the documented shape, with verbatim quotes', async () => {
    const r = await cli(['source', '--query', '1,000 containers', '--limit', '3', '--json', '--corpus', CORPUS]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json)).toEqual(['passages']);
    expect(json.passages).toHaveLength(3);
    const { loadCorpus } = await import('../src/corpus/load.js');
    const bodies = new Map(loadCorpus(CORPUS).articles.map((a) => [a.id, fold(a.body)]));
    for (const p of json.passages) {
      expect(Object.keys(p)).toEqual(['score', 'quote', 'citation']);
      expect(typeof p.score).toBe('number');
      expect(Object.keys(p.citation)).toEqual(['article', 'title', 'outlet', 'published', 'url']);
      expect(bodies.get(p.citation.article)).toContain(fold(p.quote));
      expect(p.quote).toMatch(/1,000 containers/);
    }
  });

  it('finds passages through aliases: "DPRK" finds sentences that say "Pyongyang"', async () => {
    const r = await cli(['source', '--query', 'DPRK military assistance in return', '--json', '--corpus', CORPUS]);
    const quotes: string[] = JSON.parse(r.out).passages.map((p: { quote: string }) => p.quote);
    expect(quotes.some((q) => /Pyongyang/.test(q) && !/DPRK/.test(q))).toBe(true);
  });

  it('says plainly when nothing is found', async () => {
    const r = await cli(['source', '--query', 'zeppelin marmalade', '--corpus', CORPUS]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Nothing in the 5 articles supports this/);
  });

  it('sends errors to stderr with exit 1 and leaves stdout empty', async () => {
    for (const args of [
      ['source', '--json', '--corpus', CORPUS],
      ['source', '--query', 'x', '--limit', 'lots', '--json', '--corpus', CORPUS],
      ['source', '--query', 'x', '--bogus', '--json'],
      ['nosuch', '--json'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/dossier/);
    }
  });

  it('keeps serving when a corpus file is broken, naming it on stderr', async () => {
    const dir = tempCorpus({
      'good.md': '---\ntitle: Good\n---\nThe harbour reopened after the storm.\n',
      'bad.md': '---\ntitle: [oops\n---\nText.\n',
    });
    const r = await cli(['source', '--query', 'harbour', '--json', '--corpus', dir]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).passages[0].quote).toBe('The harbour reopened after the storm.');
    expect(r.err).toMatch(/bad\.md:2: .*YAML/);
  });
});

describe('the npm script', () => {
  it('npm run --silent dossier prints only JSON on stdout', () => {
    const out = execFileSync('npm', ['run', '--silent', 'dossier', '--', 'source', '--query', 'Wagner Group', '--json', '--corpus', CORPUS], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const json = JSON.parse(out);
    expect(json.passages[0].quote).toMatch(/Wagner Group/);
  });
});

describe('the local console', () => {
  it('answers piped commands one per line, as Discord would lay them out', () => {
    const r = spawnSync('npm', ['start', '--silent'], {
      cwd: ROOT,
      input: '/source query: 1,000 containers limit: 2\n/help\n/source limit: 0 query: x\n',
      encoding: 'utf8',
      env: { ...process.env, DISCORD_TOKEN: '', CORPUS_DIR: CORPUS },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Sources for “1,000 containers”/);
    expect(r.stdout).toMatch(/1,000 containers of military equipment/);
    expect(r.stdout).toMatch(/\/source — Where a claim comes from/);
    expect(r.stdout).toMatch(/`limit`: must be at least 1 \(only you can see this\)/);
  });
});

describe('the console for the operator', () => {
  it('runs moderator subcommands such as /corpus list, since the person at the console is the operator', async () => {
    const { answerLine } = await import('../src/console.js');
    const { buildDossier } = await import('../src/core/dossier.js');
    const out = await answerLine('/corpus list', buildDossier(CORPUS));
    expect(out).toMatch(/000_c81e15045e159cdc/);
    expect(out).not.toMatch(/Manage Server/);
  });

  it('says which subcommands a command has when none is given', async () => {
    const { answerLine } = await import('../src/console.js');
    const { buildDossier } = await import('../src/core/dossier.js');
    expect(await answerLine('/corpus', buildDossier(CORPUS))).toMatch(/\/corpus needs one of: add, list, remove/);
  });
});

describe('yes/no options on the command line', () => {
  it('take a flag alone as yes: timeline --image', async () => {
    const r = await cli(['timeline', '--topic', 'containers', '--image', '--corpus', CORPUS]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/attached in Discord: a PNG picture of this timeline/);
  });
});
