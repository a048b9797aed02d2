import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_GROWTH, heapGrowthSetting } from '../src/core/heap.js';
import { spawnCorpusWorker } from '../src/corpus/worker.js';
import { CORPUS, ROOT, tempDir } from './helpers.js';

/** Peak RSS (MB) of a process that holds ~100 MB and churns ~1 GB, with DOSSIER_HEAP_GROWTH set to `growth`. */
function churnPeak(growth: string | undefined): number {
  const env = { ...process.env };
  delete env.DOSSIER_HEAP_GROWTH;
  if (growth !== undefined) env.DOSSIER_HEAP_GROWTH = growth;
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'fixtures', 'heap-churn.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { peakRssMB: number }).peakRssMB;
}

describe('the heap policy', () => {
  it('keeps a process that makes much short-lived garbage far smaller than V8 left alone', () => {
    const capped = churnPeak(undefined);
    const free = churnPeak('0');
    // V8 alone lets the heap grow to several times what is live before collecting it (here ~2×).
    expect(capped).toBeLessThan(free * 0.7);
  }, 60_000);

  it('reads DOSSIER_HEAP_GROWTH as a percent, and says what is wrong with a value that is not one', () => {
    expect(heapGrowthSetting(undefined)).toEqual({ percent: DEFAULT_HEAP_GROWTH });
    expect(heapGrowthSetting(' ')).toEqual({ percent: DEFAULT_HEAP_GROWTH });
    expect(heapGrowthSetting('0')).toEqual({ percent: 0 });
    expect(heapGrowthSetting('80')).toEqual({ percent: 80 });
    for (const bad of ['lots', '-5', '5', '1000', '1.5'])
      expect(heapGrowthSetting(bad)).toEqual({ percent: DEFAULT_HEAP_GROWTH, problem: expect.stringMatching(/DOSSIER_HEAP_GROWTH=.* is not a percent from 10 to 300.*using 50/) });
  });

  it('is applied by the CLI, npm start and the sharding manager, which warn about a bad setting and go on', () => {
    const env = { ...process.env, DOSSIER_HEAP_GROWTH: 'lots', DISCORD_TOKEN: '', CORPUS_DIR: CORPUS, DOSSIER_CACHE_DIR: tempDir() };
    const cli = spawnSync('npm', ['run', '--silent', 'dossier', '--', 'source', '--query', 'Wagner Group', '--json', '--corpus', CORPUS], { cwd: ROOT, env, encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(cli.stderr).toMatch(/warning: DOSSIER_HEAP_GROWTH="lots" is not a percent/);
    expect(JSON.parse(cli.stdout).passages.length).toBeGreaterThan(0);
    const bot = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, env, input: '/help\n', encoding: 'utf8' });
    expect(bot.status).toBe(0);
    expect(bot.stderr).toMatch(/warning: DOSSIER_HEAP_GROWTH="lots" is not a percent/);
    expect(bot.stdout).toMatch(/\/source/);
    // Without a token the manager stops at once, after applying the policy (its cold build is its peak).
    const sharded = spawnSync('npm', ['run', '--silent', 'start:sharded'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(sharded.stderr).toMatch(/warning: DOSSIER_HEAP_GROWTH="lots" is not a percent/);
    expect(sharded.stderr).toMatch(/set DISCORD_TOKEN/);
  }, 120_000);

  it('runs the corpus workers (one V8 heap each) with a young generation of 32 MB and a 1 GB ceiling', async () => {
    const w = spawnCorpusWorker();
    try {
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      expect(w.resourceLimits?.maxYoungGenerationSizeMb).toBe(32);
      expect(w.resourceLimits?.maxOldGenerationSizeMb).toBe(1024);
    } finally {
      await w.terminate();
    }
  }, 60_000);
});
