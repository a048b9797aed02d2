// The measuring half of the benchmark, run in a child process per corpus so that its peak RSS is the
// corpus's own: `node --import tsx bench/measure.ts ingest|startup|plan|query:<label> <corpus> <cacheDir>
// [queries] [seconds]` prints JSON (a workload: one JSON line per event, see bench/workload.ts).
import { APPLICATION_COMMAND_OPTION_TYPES } from './stats.js';
import { runWorkload, type WorkloadMessage } from './workload.js';
import { queries } from './corpus.js';
import { COMMANDS } from '../commands/index.js';
import { type CommandModule, parseOptions } from '../src/core/command.js';
import MiniSearch from 'minisearch';
import { INDEX_OPTIONS, openDossier } from '../src/core/cache.js';
import type { PassageDoc } from '../src/search/passages.js';
import { applyHeapPolicy } from '../src/core/heap.js';
import type { Dossier } from '../src/core/dossier.js';

const [mode, dir, cacheDir, nQueries = '300', maxSeconds = '15'] = process.argv.slice(2);
if (!mode || !dir || !cacheDir) {
  process.stderr.write('usage: node --import tsx bench/measure.ts ingest|startup|plan|query:<label> <corpus> <cacheDir> [queries] [seconds]\n');
  process.exit(2);
}

// Measured as the bot runs: with its heap policy (DOSSIER_HEAP_GROWTH; src/core/heap.ts).
const heap = applyHeapPolicy();
if (heap.problem) process.stderr.write(`warning: ${heap.problem}\n`);

const rssMB = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

type Raw = Record<string, unknown>;
/** The option sets to try for each command, by name; commands not named here are listed as not measured. */
function workloads(n: number): Record<string, { label: string; inputs: Raw[] }[]> {
  const q = queries(7, n);
  return {
    source: [{ label: '/source', inputs: q.source.map((query) => ({ query })) }],
    timeline: [
      { label: '/timeline (whole corpus)', inputs: Array.from({ length: Math.min(n, 50) }, () => ({})) },
      { label: '/timeline topic', inputs: q.topics.map((topic) => ({ topic })) },
    ],
    'who-said': [
      { label: '/who-said speaker', inputs: q.speakers.map((speaker) => ({ speaker })) },
      { label: '/who-said words', inputs: q.words.map((words) => ({ words })) },
    ],
  };
}

function autocompleteOptions(mod: CommandModule): string[] {
  const opts = ('options' in mod.data ? mod.data.options : undefined) ?? [];
  return opts.filter((o) => o.type === APPLICATION_COMMAND_OPTION_TYPES.string && 'autocomplete' in o && o.autocomplete).map((o) => o.name);
}

interface Workload {
  label: string;
  /** The queries: the first is the cold one (reported apart), the others are the samples. */
  inputs: readonly unknown[];
  /** The query function over a loaded Dossier. */
  query: (d: Dossier) => (input: unknown) => unknown;
}

/** Every workload: each command by name, each autocomplete option, and raw MiniSearch. */
function plan(n: number): { workloads: Workload[]; notMeasured: string[] } {
  const workloadsByName = workloads(n);
  const out: Workload[] = [];
  const notMeasured: string[] = [];
  for (const mod of COMMANDS) {
    const kinds = workloadsByName[mod.name];
    if (!kinds && !mod.autocomplete) notMeasured.push(mod.name);
    for (const k of kinds ?? [])
      out.push({ label: k.label, inputs: k.inputs, query: (d) => (raw) => mod.render.discord(mod.run(parseOptions(mod, raw as Raw), { dossier: d })) });
    if (mod.autocomplete) {
      const prefixes = queries(11, n).prefixes;
      for (const option of autocompleteOptions(mod))
        out.push({ label: `autocomplete /${mod.name} ${option}`, inputs: prefixes, query: (d) => (value) => mod.autocomplete!(option, value as string, { dossier: d }) });
    }
  }
  // The same /source queries straight through MiniSearch on the same index, with its default search
  // options (no alias concepts, coverage, diversification or rendering): the bot's overhead is the ratio.
  // The index as MiniSearch itself loads it (loadJS of its toJSON): read back from the cache, the bot's copy
  // keeps its field lengths packed (src/search/load.ts), which its own searches do not read but
  // MiniSearch's search reads per posting, and that would slow the yardstick down.
  out.push({
    label: 'raw MiniSearch (same /source queries)',
    inputs: queries(7, n).source,
    query: (d) => {
      const raw = MiniSearch.loadJS<PassageDoc>(d.passages.mini.toJSON(), INDEX_OPTIONS);
      return (query) => raw.search(query as string);
    },
  });
  return { workloads: out, notMeasured };
}

if (mode === 'ingest') {
  // A cold build into an empty cache, as the bot starts: every file read, cleaned, segmented and extracted
  // over worker threads (one per core; DOSSIER_WORKERS overrides), indexed and saved.
  const t = performance.now();
  const d = await openDossier(dir, { cache: { dir: cacheDir } });
  const wall = performance.now() - t;
  const afterBuildMB = rssMB();
  const sentences = d.articles.reduce((n, a) => n + a.sentences.length, 0);
  const statements = [...d.extractions.values()].reduce((n, x) => n + x.statements.length, 0);
  const events = [...d.extractions.values()].reduce((n, x) => n + x.events.length, 0);
  process.stdout.write(
    JSON.stringify({
      articles: d.articles.length,
      problems: d.problems.filter((p) => p.severity === 'error').length,
      sentences,
      statements,
      events,
      build: d.build,
      wallMs: Math.round(wall),
      rssAfterBuildMB: afterBuildMB,
      peakRssMB: rssMB(),
    }),
  );
} else if (mode === 'plan') {
  const p = plan(Number(nQueries));
  process.stdout.write(JSON.stringify({ labels: p.workloads.map((w) => w.label), notMeasured: p.notMeasured }));
} else if (mode.startsWith('query:')) {
  // One workload over the dossier read back from the cache. Each event is one line on stdout as it
  // happens (loaded, the cold query, every sample, done): the parent kills this process at its deadline
  // — a query stuck for minutes cannot check a clock — and keeps what arrived before.
  const label = mode.slice('query:'.length);
  const w = plan(Number(nQueries)).workloads.find((x) => x.label === label);
  if (!w) throw new Error(`no workload '${label}'`);
  const emit = (m: WorkloadMessage) => process.stdout.write(`${JSON.stringify(m)}\n`);
  const t = performance.now();
  const d = await openDossier(dir, { cache: { dir: cacheDir, readOnly: true } });
  emit({ type: 'loaded', ms: performance.now() - t, planned: Math.max(0, w.inputs.length - 1) });
  runWorkload(w.inputs, w.query(d), Number(maxSeconds) * 1000, emit);
} else if (mode === 'startup') {
  // A start-up as the CLI does it: the persisted cache read back, the extractor loaded only if needed.
  const t = performance.now();
  const d = await openDossier(dir, { cache: { dir: cacheDir } });
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ ms: Math.round(ms), build: d.build, peakRssMB: rssMB() }));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
