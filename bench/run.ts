// `npm run bench [-- --json] [--large] [--sizes 1000,10000] [--queries 300] [--seconds 15] [--load-seconds 120] [--first-seconds 60] [--max-minutes 10] [--force] [--keep]`
//
// Builds deterministic synthetic corpora (1,000 and 10,000 articles; --large adds 50,000) in a temp
// folder and measures, each in its own child process so peak RSS is per corpus:
//   ingest     cold build: read + front matter + cleaning + segmentation, extraction, indexing (articles/s
//              over its wall-clock time, saving the cache apart), and saving
//   start-up   the persisted cache read back (unchanged corpus, and after one file changed), in-process
//              and as a whole `npm run dossier` call
//   latency    p50/p99 over hundreds of varied queries for every command module by name, autocomplete,
//              and the same /source queries through raw MiniSearch on the same index
// A table for people on stderr+stdout, or only JSON on stdout with --json. A benchmark, not a test: it
// asserts nothing; the targets are shown next to the figures.
//
// Time limits are the parent's to keep (bench/child.ts): a workload child gets --load-seconds to load its
// Dossier, --first-seconds for its first (cold) query, then --seconds for the others plus a grace of
// max(2 s, 20%), and is killed with its whole process group at whichever deadline it overruns; its row
// then says it was cut off, what it was doing and for how long, with the figures of the queries it finished.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runChild } from './child.js';
import { writeCorpus } from './corpus.js';
import { deadlines, type Row, summarize } from './workload.js';

const ROOT = resolve(import.meta.dirname, '..');
const MEASURE = join(ROOT, 'bench', 'measure.ts');

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
    'load-seconds': { type: 'string', default: '120' },
    'first-seconds': { type: 'string', default: '60' },
    force: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes ? values.sizes.split(',').map(Number) : [1000, 10000, ...(values.large ? [50000] : [])];
const say = (s: string) => {
  if (!values.json) process.stdout.write(`${s}\n`);
  else process.stderr.write(`${s}\n`);
};

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

/**
 * One measuring child (`node --import tsx bench/measure.ts …`: a single process, not tsx's CLI with a
 * second node under it), its JSON result. `limitMs`: killed with its process group after that long.
 */
async function child<T>(args: string[], limitMs?: number): Promise<T> {
  const r = await runChild(process.execPath, ['--import', 'tsx', MEASURE, ...args], { cwd: ROOT, env: process.env, ...(limitMs ? { limitMs } : {}) });
  if (r.timedOut) throw new TimedOut(`bench child (${args[0]}) killed after ${Math.round((limitMs ?? 0) / 1000)} s`);
  if (r.code !== 0 || r.messages.length === 0) throw new Error(`bench child failed (${args[0]}): ${r.stderr.slice(-2000)}`);
  return r.messages[r.messages.length - 1] as T;
}

class TimedOut extends Error {}

/** A start-up child under --load-seconds; null when it was killed at that limit. */
async function startup(corpus: string, cache: string): Promise<StartupOut | null> {
  try {
    return await child<StartupOut>(['startup', corpus, cache], Number(values['load-seconds']) * 1000);
  } catch (e) {
    if (e instanceof TimedOut) return null;
    throw e;
  }
}

/** One latency workload in its own process, under the deadlines of bench/workload.ts. */
async function workload(label: string, corpus: string, cache: string): Promise<Row> {
  const budgetMs = Number(values.seconds) * 1000;
  const d = deadlines({ loadMs: Number(values['load-seconds']) * 1000, firstMs: Number(values['first-seconds']) * 1000, budgetMs, graceMs: Math.max(2000, budgetMs * 0.2) });
  const r = await runChild(process.execPath, ['--import', 'tsx', MEASURE, `query:${label}`, corpus, cache, values.queries!, values.seconds!], {
    cwd: ROOT,
    env: process.env,
    limitMs: d.initialMs,
    onMessage: d.onMessage,
  });
  return summarize(label, r);
}

/** Wall time of one whole CLI call, as the scorers make it (npm run --silent dossier -- …); null if it outlived --load-seconds. */
async function cliCall(corpus: string, cache: string): Promise<number | null> {
  const r = await runChild('npm', ['run', '--silent', 'dossier', '--', 'source', '--query', 'artillery shells', '--json', '--corpus', corpus], {
    cwd: ROOT,
    env: { ...process.env, DOSSIER_CACHE_DIR: cache },
    limitMs: Number(values['load-seconds']) * 1000,
  });
  if (r.timedOut) return null;
  if (r.code !== 0) throw new Error(`CLI call failed: ${r.stderr.slice(-1000)}`);
  return Math.round(r.elapsedMs);
}

/** The median, or null when any run timed out (a timed-out run has no figure to sort). */
const median = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : [...(xs as number[])].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

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
  /** null: killed at --load-seconds. */
  startup: {
    unchangedMs: number | null;
    unchangedStages: Record<string, number>;
    oneChangedMs: number | null;
    oneChangedStages: Record<string, number>;
    oneChangedReport: { reused: number; loaded: number; index: string } | null;
    cliUnchangedMs: number | null;
    cliOneChangedMs: number | null;
    rssMB: number | null;
  };
  /** The bot's processes: the cold build, the start-ups and every workload but raw MiniSearch. */
  peakRssMB: number;
  /** The raw MiniSearch workload's process. */
  rawRssMB: number | null;
  latency: Row[];
  notMeasured: string[];
  overhead: { p50: number; p99: number } | null;
}

async function benchSize(n: number): Promise<SizeResult> {
  const base = mkdtempSync(join(tmpdir(), `dossier-bench-${n}-`));
  const corpus = join(base, 'corpus');
  const cache = join(base, 'cache');
  try {
    say(`\n== ${n.toLocaleString('en')} articles ==`);
    let t = performance.now();
    const bytes = writeCorpus(corpus, n, Number(values.seed));
    const generateMs = Math.round(performance.now() - t);
    say(`generated ${(bytes / 1e6).toFixed(1)} MB in ${generateMs} ms; ingesting (cold build) and querying…`);

    const ing = await child<IngestOut>(['ingest', corpus, cache, values.queries!, values.seconds!]);
    lastRate = ing.articles / (ing.wallMs / 1000);
    say(
      `built in ${(ing.wallMs / 1000).toFixed(1)} s; queries (each workload in its own process: ${values['load-seconds']} s to load, ${values['first-seconds']} s for the first query, then a ${values.seconds} s budget; killed at the deadline)…`,
    );
    const plan = await child<{ labels: string[]; notMeasured: string[] }>(['plan', corpus, cache, values.queries!, values.seconds!]);
    const rows: Row[] = [];
    // The bot's own processes: the raw MiniSearch row is the yardstick for /source's overhead, not the bot
    // (mini.search's result objects for every matching sentence grow its heap past 2 GB at 10,000 articles).
    let peakRssMB = ing.peakRssMB;
    let rawRssMB: number | null = null;
    for (const label of plan.labels) {
      const row = await workload(label, corpus, cache);
      if (row.failed) throw new Error(`bench workload ${label} failed: ${row.failed}`);
      rows.push(row);
      if (label.startsWith('raw MiniSearch')) rawRssMB = row.peakRssMB;
      else if (row.peakRssMB !== null) peakRssMB = Math.max(peakRssMB, row.peakRssMB);
      say(`  ${label}: ${rowStatus(row)}`);
    }
    const ms = ing.build.ms;
    // Wall-clock time from the first file read to the index complete (everything but saving the cache): with
    // worker threads the index is built on the main thread while they extract, so the stages' times overlap
    // and their sum is not a duration.
    const work = (ms.total ?? 0) - (ms.save ?? 0);
    const stages = ['scan', 'load', 'extract', 'index', 'save'] as const;
    const all = stages.reduce((s, k) => s + (ms[k] ?? 0), 0) || 1;
    const share = Object.fromEntries(stages.map((k) => [k, Math.round(((ms[k] ?? 0) / all) * 1000) / 10]));

    say('start-up from the persisted cache…');
    const warm: (StartupOut | null)[] = [];
    for (let i = 0; i < 3; i++) warm.push(await startup(corpus, cache));
    const finished = warm.filter((w): w is StartupOut => w !== null);
    if (finished.length < warm.length) say(`(${warm.length - finished.length} start-up run(s) killed after --load-seconds ${values['load-seconds']})`);
    // A run that found the cache stale (someone changed the extraction code meanwhile) rebuilt everything:
    // it is not a start-up from an unchanged index, so the median of the hits is taken.
    const hits = finished.filter((w) => w.build.cache === 'hit');
    if (hits.length < finished.length) say(`(${finished.length - hits.length} start-up run(s) found the cache stale — source changed during the bench — and rebuilt)`);
    const pool = hits.length ? hits : finished;
    const unchanged = pool.length ? pool.sort((a, b) => a.ms - b.ms)[Math.floor(pool.length / 2)]! : null;
    await cliCall(corpus, cache); // the first call may rebuild the CLI bundle
    const cli: (number | null)[] = [];
    for (let i = 0; i < 3; i++) cli.push(await cliCall(corpus, cache));
    const cliUnchanged = median(cli);
    appendFileSync(join(corpus, 'a000000.md'), '\nThe ministry said on Monday that 40 more containers had been loaded at the port.\n');
    const changed = await startup(corpus, cache);
    for (const w of [...finished, ...(changed ? [changed] : [])]) peakRssMB = Math.max(peakRssMB, w.peakRssMB);
    appendFileSync(join(corpus, 'a000001.md'), '\nOfficials said on Tuesday that the talks would resume.\n');
    const cliChanged = await cliCall(corpus, cache);

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
        unchangedMs: unchanged?.ms ?? null,
        unchangedStages: unchanged?.build.ms ?? {},
        oneChangedMs: changed?.ms ?? null,
        oneChangedStages: changed?.build.ms ?? {},
        oneChangedReport: changed ? { reused: changed.build.reused, loaded: changed.build.loaded, index: changed.build.index } : null,
        cliUnchangedMs: cliUnchanged,
        cliOneChangedMs: cliChanged,
        rssMB: unchanged?.peakRssMB ?? null,
      },
      peakRssMB,
      rawRssMB,
      latency: rows,
      notMeasured: plan.notMeasured,
      overhead: src && raw ? { p50: Math.round((src.lat.p50 / raw.lat.p50) * 100) / 100, p99: Math.round((src.lat.p99 / raw.lat.p99) * 100) / 100 } : null,
    };
  } finally {
    if (!values.keep) rmSync(base, { recursive: true, force: true });
    else say(`kept ${base}`);
  }
}

const msOrKilled = (ms: number | null) => (ms === null ? `> ${values['load-seconds']} s (killed)` : `${ms} ms`);

/** What happened to a workload, in words: how many queries, and whether the budget or the deadline stopped it. */
function rowStatus(row: Row): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (row.timedOut) {
    const t = row.timedOut;
    if (t.phase === 'load') return `cut off: the Dossier had not loaded after ${s(t.runningMs)} (deadline ${t.limitSeconds} s)`;
    if (t.phase === 'cold') return `cut off: the first query was still running after ${s(t.runningMs)} (deadline: ${t.limitSeconds} s after loading); no figures`;
    return `cut off at the deadline (${t.limitSeconds} s after the first query, which took ${row.coldMs === null ? '?' : s(row.coldMs)}): a query was still running after ${s(t.runningMs)}; figures over the ${row.lat.n} of ${row.planned} queries that finished`;
  }
  const first = row.coldMs === null ? '' : `, first query ${fmt(row.coldMs)} ms`;
  if (row.stoppedByBudget) return `budget spent after ${row.lat.n} of ${row.planned} queries (p99 ${fmt(row.lat.p99)} ms${first})`;
  return `${row.lat.n} queries, p99 ${fmt(row.lat.p99)} ms${first}`;
}

const fmt = (x: number) => (!Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(r: SizeResult): string {
  const lines: string[] = [];
  const i = r.ingest;
  lines.push(
    `ingest      ${i.articlesPerSec} articles/s, ${i.mbPerSec} MB/s  (${r.corpusMB} MB; ${i.sentences} sentences, ${i.events} events, ${i.statements} statements)`,
    `  stages    ${Object.entries(i.share)
      .map(([k, v]) => `${k} ${v}%`)
      .join(' · ')} of the stages' times (index overlaps extract)   [ms: ${Object.entries(i.ms)
      .filter(([k]) => k !== 'cacheRead')
      .map(([k, v]) => `${k} ${Math.round(v)}`)
      .join(', ')}]`,
    `start-up    unchanged ${msOrKilled(r.startup.unchangedMs)} in-process (cache read ${Math.round(r.startup.unchangedStages.cacheRead ?? 0)} ms), ${msOrKilled(r.startup.cliUnchangedMs)} as a CLI call`,
    `            one file changed ${msOrKilled(r.startup.oneChangedMs)} in-process${r.startup.oneChangedReport ? ` (reused ${r.startup.oneChangedReport.reused}, loaded ${r.startup.oneChangedReport.loaded}, index ${r.startup.oneChangedReport.index})` : ''}, ${msOrKilled(r.startup.cliOneChangedMs)} as a CLI call`,
    `peak RSS    ${r.peakRssMB} MB (the bot: cold build, start-ups, queries); ${r.startup.rssMB ?? '?'} MB (start-up from cache); raw MiniSearch's process ${r.rawRssMB ?? '?'} MB`,
    '',
    `${'latency (ms)'.padEnd(40)}${'n'.padStart(9)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'first'.padStart(10)}`,
  );
  for (const row of r.latency) {
    const n = `${row.lat.n}/${row.planned}`;
    const first = row.coldMs === null ? '–' : fmt(row.coldMs);
    lines.push(
      `${row.label.padEnd(40)}${n.padStart(9)}${fmt(row.lat.p50).padStart(9)}${fmt(row.lat.p90).padStart(9)}${fmt(row.lat.p99).padStart(9)}${fmt(row.lat.max).padStart(9)}${first.padStart(10)}${row.errors ? `  (${row.errors} errors)` : ''}`,
    );
    if (row.timedOut || row.stoppedByBudget) lines.push(`${''.padEnd(42)}↳ ${rowStatus(row)}`);
  }
  lines.push(
    `(n: queries timed / planned; p50–max over the queries after the first; first: the first query of a freshly loaded Dossier, which builds what the answers keep per Dossier — shown apart, not in the percentiles)`,
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
  /** A workload was cut off at its deadline: value is a lower bound. */
  cutOff?: boolean;
}

function targets(r: SizeResult): Target[] {
  // A workload cut off at its deadline misses its target; its figure is what is known: the longest of its
  // p99 and the time the query cut off had already run (a lower bound, shown with ≥).
  const p99 = (prefix: string): { value: number | null; cut: boolean } => {
    const rows = r.latency.filter((x) => x.label.startsWith(prefix));
    if (!rows.length) return { value: null, cut: false };
    const cut = rows.some((x) => x.timedOut);
    const of = (x: Row) => Math.max(Number.isFinite(x.lat.p99) ? x.lat.p99 : 0, x.timedOut ? x.timedOut.runningMs : 0);
    return { value: Math.max(...rows.map(of)), cut };
  };
  const t = (what: string, limit: string, value: number | null, ok: (v: number) => boolean, cut = false): Target => ({
    what,
    limit,
    value,
    ok: value === null ? null : cut ? false : ok(value),
    ...(cut ? { cutOff: true } : {}),
  });
  const lat = (what: string, prefix: string, max: number) => {
    const v = p99(prefix);
    return t(what, `≤ ${max}`, v.value, (x) => x <= max, v.cut);
  };
  return [
    lat('/source p99 ms', '/source', 50),
    lat('/timeline p99 ms', '/timeline', 100),
    lat('/who-said p99 ms', '/who-said', 50),
    lat('autocomplete p99 ms', 'autocomplete', 10),
    t('/source overhead over raw MiniSearch (p50)', '≤ 3×', r.overhead?.p50 ?? null, (v) => v <= 3),
    t('ingest articles/s', '≥ 200', r.ingest.articlesPerSec, (v) => v >= 200),
    t('start-up, unchanged persisted index, ms', '≤ 2000', r.startup.unchangedMs ?? Infinity, (v) => v <= 2000),
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
  const r = await benchSize(n);
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
for (const x of tg)
  say(`  ${x.ok === null ? '  –' : x.ok ? ' ok' : 'MISS'}  ${x.what.padEnd(46)} ${x.value === null ? 'n/a' : `${x.cutOff ? '≥' : ''}${fmt(x.value)}`.padStart(8)}  (${x.limit})${x.cutOff ? '  cut off at its deadline' : ''}`);
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
