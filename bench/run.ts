// `npm run bench [-- --json] [--large] [--sizes 1000,10000] [--queries 300] [--seconds 15] [--max-minutes 10] [--force] [--keep]`
//
// Builds deterministic synthetic corpora (1,000 and 10,000 articles; --large adds 50,000) in a temp
// folder and measures, each in its own child process so peak RSS is per corpus:
//   ingest     cold build: read + front matter + cleaning + segmentation, extraction, indexing, saving
//   start-up   the persisted cache read back (unchanged corpus, and after one file changed), in-process
//              and as a whole `npm run dossier` call
//   latency    p50/p99 over hundreds of varied queries for every command module by name, autocomplete,
//              and the same /source queries through raw MiniSearch on the same index
// A table for people on stderr+stdout, or only JSON on stdout with --json. A benchmark, not a test: it
// asserts nothing; the targets are shown next to the figures.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from './corpus.js';
import type { Latency } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    large: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    queries: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    'max-minutes': { type: 'string', default: '10' },
    force: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [1000, 10000, ...(values.large ? [50000] : [])];
const say = (s: string) => {
  if (!values.json) process.stdout.write(`${s}\n`);
  else process.stderr.write(`${s}\n`);
};

interface Row {
  label: string;
  lat: Latency;
  errors: number;
  /** Set when one query did not finish within this many seconds (with the dossier loading). */
  timedOut?: number;
}
interface IngestOut {
  articles: number;
  problems: number;
  sentences: number;
  statements: number;
  events: number;
  build: { ms: Record<string, number>; cache: string; index: string; saved: boolean; saveError?: string };
  wallMs: number;
  rssAfterBuildMB: number;
  peakRssMB: number;
}
interface StartupOut {
  ms: number;
  build: { ms: Record<string, number>; cache: string; index: string; reused: number; loaded: number };
  peakRssMB: number;
}

function child<T>(args: string[], timeoutMs?: number): T {
  const r = spawnSync(TSX, [join(ROOT, 'bench', 'measure.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
    ...(timeoutMs ? { timeout: timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') throw new TimedOut();
  if (r.status !== 0) throw new Error(`bench child failed (${args[0]}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as T;
}

class TimedOut extends Error {}

/** Wall time of one whole CLI call, as the scorers make it (npm run --silent dossier -- …). */
function cliCall(corpus: string, cache: string): number {
  const t = performance.now();
  const r = spawnSync('npm', ['run', '--silent', 'dossier', '--', 'source', '--query', 'artillery shells', '--json', '--corpus', corpus], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOSSIER_CACHE_DIR: cache },
  });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`CLI call failed: ${r.stderr.slice(-1000)}`);
  return Math.round(ms);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface SizeResult {
  articles: number;
  corpusMB: number;
  generateMs: number;
  ingest: {
    articlesPerSec: number;
    mbPerSec: number;
    ms: Record<string, number>;
    share: Record<string, number>;
    sentences: number;
    statements: number;
    events: number;
    problems: number;
  };
  startup: {
    unchangedMs: number;
    unchangedStages: Record<string, number>;
    oneChangedMs: number;
    oneChangedStages: Record<string, number>;
    oneChangedReport: { reused: number; loaded: number; index: string };
    cliUnchangedMs: number;
    cliOneChangedMs: number;
    rssMB: number;
  };
  peakRssMB: number;
  latency: Row[];
  notMeasured: string[];
  overhead: { p50: number; p99: number } | null;
}

function benchSize(n: number): SizeResult {
  const base = mkdtempSync(join(tmpdir(), `dossier-bench-${n}-`));
  const corpus = join(base, 'corpus');
  const cache = join(base, 'cache');
  try {
    say(`\n== ${n.toLocaleString('en')} articles ==`);
    let t = performance.now();
    const bytes = writeCorpus(corpus, n, Number(values.seed));
    const generateMs = Math.round(performance.now() - t);
    say(`generated ${(bytes / 1e6).toFixed(1)} MB in ${generateMs} ms; ingesting (cold build) and querying…`);

    const ing = child<IngestOut>(['ingest', corpus, cache, values.queries!, values.seconds!]);
    lastRate = ing.articles / (ing.wallMs / 1000);
    say(`built in ${(ing.wallMs / 1000).toFixed(1)} s; queries (each workload in its own process, ${values.seconds} s budget)…`);
    const plan = child<{ labels: string[]; notMeasured: string[] }>(['plan', corpus, cache, values.queries!, values.seconds!]);
    const rows: Row[] = [];
    let peakRssMB = ing.peakRssMB;
    for (const label of plan.labels) {
      // A single query slower than the whole budget is cut off: the row says so instead of the bench hanging.
      const limit = (Number(values.seconds) * 3 + 60) * 1000;
      try {
        const q = child<Row & { peakRssMB: number }>([`query:${label}`, corpus, cache, values.queries!, values.seconds!], limit);
        rows.push({ label, lat: q.lat, errors: q.errors });
        peakRssMB = Math.max(peakRssMB, q.peakRssMB);
      } catch (e) {
        if (!(e instanceof TimedOut)) throw e;
        rows.push({ label, lat: { n: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN }, errors: 0, timedOut: limit / 1000 });
      }
    }
    const ms = ing.build.ms;
    const work = (ms.load ?? 0) + (ms.extract ?? 0) + (ms.index ?? 0);
    const stages = ['scan', 'load', 'extract', 'index', 'save'] as const;
    const all = stages.reduce((s, k) => s + (ms[k] ?? 0), 0) || 1;
    const share = Object.fromEntries(stages.map((k) => [k, Math.round(((ms[k] ?? 0) / all) * 1000) / 10]));

    say('start-up from the persisted cache…');
    const warm = [0, 1, 2].map(() => child<StartupOut>(['startup', corpus, cache]));
    // A run that found the cache stale (someone changed the extraction code meanwhile) rebuilt everything:
    // it is not a start-up from an unchanged index, so the median of the hits is taken.
    const hits = warm.filter((w) => w.build.cache === 'hit');
    if (hits.length < warm.length) say(`(${warm.length - hits.length} start-up run(s) found the cache stale — source changed during the bench — and rebuilt)`);
    const unchanged = (hits.length ? hits : warm).sort((a, b) => a.ms - b.ms)[Math.floor((hits.length || warm.length) / 2)]!;
    cliCall(corpus, cache); // the first call may rebuild the CLI bundle
    const cliUnchanged = median([0, 1, 2].map(() => cliCall(corpus, cache)));
    appendFileSync(join(corpus, 'a000000.md'), '\nThe ministry said on Monday that 40 more containers had been loaded at the port.\n');
    const changed = child<StartupOut>(['startup', corpus, cache]);
    appendFileSync(join(corpus, 'a000001.md'), '\nOfficials said on Tuesday that the talks would resume.\n');
    const cliChanged = cliCall(corpus, cache);

    const src = rows.find((r) => r.label === '/source');
    const raw = rows.find((r) => r.label.startsWith('raw MiniSearch'));
    return {
      articles: ing.articles,
      corpusMB: Math.round((bytes / 1e6) * 10) / 10,
      generateMs,
      ingest: {
        articlesPerSec: Math.round(ing.articles / (work / 1000)),
        mbPerSec: Math.round((bytes / 1e6 / (work / 1000)) * 100) / 100,
        ms,
        share,
        sentences: ing.sentences,
        statements: ing.statements,
        events: ing.events,
        problems: ing.problems,
      },
      startup: {
        unchangedMs: unchanged.ms,
        unchangedStages: unchanged.build.ms,
        oneChangedMs: changed.ms,
        oneChangedStages: changed.build.ms,
        oneChangedReport: { reused: changed.build.reused, loaded: changed.build.loaded, index: changed.build.index },
        cliUnchangedMs: cliUnchanged,
        cliOneChangedMs: cliChanged,
        rssMB: unchanged.peakRssMB,
      },
      peakRssMB,
      latency: rows,
      notMeasured: plan.notMeasured,
      overhead: src && raw ? { p50: Math.round((src.lat.p50 / raw.lat.p50) * 10) / 10, p99: Math.round((src.lat.p99 / raw.lat.p99) * 10) / 10 } : null,
    };
  } finally {
    if (!values.keep) rmSync(base, { recursive: true, force: true });
    else say(`kept ${base}`);
  }
}

const fmt = (x: number) => (!Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(r: SizeResult): string {
  const lines: string[] = [];
  const i = r.ingest;
  lines.push(
    `ingest      ${i.articlesPerSec} articles/s, ${i.mbPerSec} MB/s  (${r.corpusMB} MB; ${i.sentences} sentences, ${i.events} events, ${i.statements} statements)`,
    `  stages    ${Object.entries(i.share)
      .map(([k, v]) => `${k} ${v}%`)
      .join(' · ')}   [ms: ${Object.entries(i.ms)
      .filter(([k]) => k !== 'cacheRead')
      .map(([k, v]) => `${k} ${Math.round(v)}`)
      .join(', ')}]`,
    `start-up    unchanged ${r.startup.unchangedMs} ms in-process (cache read ${Math.round(r.startup.unchangedStages.cacheRead ?? 0)} ms), ${r.startup.cliUnchangedMs} ms as a CLI call`,
    `            one file changed ${r.startup.oneChangedMs} ms in-process (reused ${r.startup.oneChangedReport.reused}, loaded ${r.startup.oneChangedReport.loaded}, index ${r.startup.oneChangedReport.index}), ${r.startup.cliOneChangedMs} ms as a CLI call`,
    `peak RSS    ${r.peakRssMB} MB (cold build + queries); ${r.startup.rssMB} MB (start-up from cache)`,
    '',
    `${'latency (ms)'.padEnd(42)}${'n'.padStart(6)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`,
  );
  for (const row of r.latency)
    if (row.timedOut) lines.push(`${row.label.padEnd(42)}  > ${row.timedOut} s for the first queries: cut off`);
    else lines.push(
      `${row.label.padEnd(42)}${String(row.lat.n).padStart(6)}${fmt(row.lat.p50).padStart(9)}${fmt(row.lat.p90).padStart(9)}${fmt(row.lat.p99).padStart(9)}${fmt(row.lat.max).padStart(9)}${row.errors ? `  (${row.errors} errors)` : ''}`,
    );
  if (r.overhead) lines.push(`/source over raw MiniSearch: ${r.overhead.p50}× at p50, ${r.overhead.p99}× at p99`);
  if (r.notMeasured.length) lines.push(`not measured (no workload for them): ${r.notMeasured.join(', ')}`);
  return lines.join('\n');
}

interface Target {
  what: string;
  limit: string;
  value: number | null;
  ok: boolean | null;
}

function targets(r: SizeResult): Target[] {
  const p99 = (prefix: string) => {
    const rows = r.latency.filter((x) => x.label.startsWith(prefix));
    if (rows.some((x) => x.timedOut)) return Infinity;
    return rows.length ? Math.max(...rows.map((x) => x.lat.p99)) : null;
  };
  const t = (what: string, limit: string, value: number | null, ok: (v: number) => boolean): Target => ({ what, limit, value, ok: value === null ? null : ok(value) });
  return [
    t('/source p99 ms', '≤ 50', p99('/source'), (v) => v <= 50),
    t('/timeline p99 ms', '≤ 100', p99('/timeline'), (v) => v <= 100),
    t('/who-said p99 ms', '≤ 50', p99('/who-said'), (v) => v <= 50),
    t('autocomplete p99 ms', '≤ 10', p99('autocomplete'), (v) => v <= 10),
    t('/source overhead over raw MiniSearch (p50)', '≤ 3×', r.overhead?.p50 ?? null, (v) => v <= 3),
    t('ingest articles/s', '≥ 200', r.ingest.articlesPerSec, (v) => v >= 200),
    t('start-up, unchanged persisted index, ms', '≤ 2000', r.startup.unchangedMs, (v) => v <= 2000),
    t('peak RSS MB', '≤ 1024', r.peakRssMB, (v) => v <= 1024),
  ];
}

const started = performance.now();
say(`Dossier benchmark — ${cpus()[0]?.model ?? 'cpu'} ×${availableParallelism()}, Node ${process.versions.node}; sizes ${sizes.join(', ')}; seed ${values.seed}`);
const results: SizeResult[] = [];
/** Articles per second of the last cold build, to skip a size whose build would take far too long. */
let lastRate = Infinity;
const skipped: { articles: number; projectedMinutes: number }[] = [];
for (const n of sizes) {
  const projected = n / lastRate / 60;
  if (projected > Number(values['max-minutes']) && !values.force) {
    say(`\n== ${n.toLocaleString('en')} articles: skipped — at ${lastRate.toFixed(1)} articles/s its cold build would take ~${Math.round(projected)} min (over --max-minutes ${values['max-minutes']}; --force runs it) ==`);
    skipped.push({ articles: n, projectedMinutes: Math.round(projected) });
    continue;
  }
  const r = benchSize(n);
  results.push(r);
  say(table(r));
}
const target = results.find((r) => r.articles === 10000) ?? results[results.length - 1]!;
if (!target) {
  say('nothing measured');
  process.exit(1);
}
const tg = targets(target);
say(`\ntargets at ${target.articles.toLocaleString('en')} articles:`);
for (const x of tg) say(`  ${x.ok === null ? '  –' : x.ok ? ' ok' : 'MISS'}  ${x.what.padEnd(46)} ${x.value === null ? 'n/a' : fmt(x.value).padStart(8)}  (${x.limit})`);
say(`\nbench took ${Math.round((performance.now() - started) / 1000)} s`);
if (values.json)
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpu: cpus()[0]?.model ?? null, cores: availableParallelism(), node: process.versions.node, platform: process.platform },
        seed: Number(values.seed),
        sizes: results,
        skipped,
        targets: { articles: target.articles, checks: tg },
      },
      null,
      2,
    )}\n`,
  );
