// One latency workload, both halves: the loop the measuring child runs (timing each query and reporting
// it at once, one JSON line per event) and the parent's summary of whatever lines it got — all of them,
// or those that arrived before it killed the child at the deadline.
import { type Latency, latency } from './stats.js';

/** The lines a workload child prints, in this order: loaded, cold, sample…, done. */
export type WorkloadMessage =
  | { type: 'loaded'; ms: number; planned: number }
  | { type: 'cold'; ms: number; error: boolean }
  | { type: 'sample'; ms: number; error: boolean }
  | { type: 'done'; stoppedByBudget: boolean; peakRssMB: number };

/**
 * Times `fn` over `inputs`. The first input is the cold query: the first a freshly loaded Dossier
 * answers, which builds whatever the answers memoise per Dossier. It is reported apart ('cold'), not
 * mixed into the samples, and has its own limit (the parent's), so a slow first query does not eat the
 * budget of the others. Each later input is one sample, within `budgetMs` counted from the end of the
 * cold query: no query is started once the budget is spent; one already running is not interrupted
 * here (the parent's deadline does that).
 */
export function runWorkload<T>(inputs: readonly T[], fn: (x: T) => unknown, budgetMs: number, emit: (m: WorkloadMessage) => void, now: () => number = () => performance.now()): void {
  let stop = now() + budgetMs;
  const timed = (x: T): { ms: number; error: boolean } => {
    const t = now();
    let error = false;
    try {
      fn(x);
    } catch {
      error = true;
    }
    return { ms: now() - t, error };
  };
  let stoppedByBudget = false;
  if (inputs.length > 0) {
    emit({ type: 'cold', ...timed(inputs[0]!) });
    stop = now() + budgetMs;
    for (let i = 1; i < inputs.length; i++) {
      if (now() >= stop) {
        stoppedByBudget = true;
        break;
      }
      emit({ type: 'sample', ...timed(inputs[i]!) });
    }
  }
  emit({ type: 'done', stoppedByBudget, peakRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10 });
}

export interface Row {
  label: string;
  /** Over the samples (every query after the first). */
  lat: Latency;
  errors: number;
  /** Queries after the first that the workload had to run. */
  planned: number;
  /** The first query of the freshly loaded Dossier, ms (null: it never finished). */
  coldMs: number | null;
  coldError?: boolean;
  /** Loading the Dossier from the cache in that process, ms. */
  loadMs: number | null;
  /** The budget ran out before every query had run (the figures are over fewer queries). */
  stoppedByBudget: boolean;
  peakRssMB: number | null;
  /** Set when the parent killed the child at its deadline. */
  timedOut?: {
    /** What it was doing: loading the Dossier, the first query, or the later ones. */
    phase: 'load' | 'cold' | 'queries';
    /** The limit that was in force, s. */
    limitSeconds: number;
    /** How long the query (or load) cut off had been running, ms: a lower bound of what it would take. */
    runningMs: number;
  };
  /** The child failed (not a timeout): the end of its stderr. */
  failed?: string;
}

export interface Limits {
  /** For loading the Dossier, ms. */
  loadMs: number;
  /** For the first (cold) query, from the moment the Dossier is loaded, ms. */
  firstMs: number;
  /** For the other queries, from the end of the first, ms. */
  budgetMs: number;
  /** Added to the budget before the parent kills: the child stops by itself at the budget unless a query is stuck. */
  graceMs: number;
}

/**
 * The deadlines of a workload, end to end: `loadMs` from the start; once it says it loaded, `firstMs` for
 * the cold query; once that is done, budget + grace for the rest. At most load + first + budget + grace.
 */
export function deadlines(limits: Limits): { initialMs: number; onMessage: (m: unknown) => number | void } {
  return {
    initialMs: limits.loadMs,
    onMessage: (m) => {
      const type = (m as WorkloadMessage | null)?.type;
      if (type === 'loaded') return limits.firstMs;
      if (type === 'cold') return limits.budgetMs + limits.graceMs;
      return undefined;
    },
  };
}

/** The row a workload's lines make, whether it finished, failed or was cut off. */
export function summarize(
  label: string,
  run: { messages: unknown[]; arrivedMs: number[]; timedOut: boolean; limitMs: number | null; elapsedMs: number; code: number | null; stderr: string },
): Row {
  const msgs = run.messages.filter((m): m is WorkloadMessage => typeof m === 'object' && m !== null && 'type' in m);
  const loaded = msgs.find((m) => m.type === 'loaded');
  const cold = msgs.find((m) => m.type === 'cold');
  const done = msgs.find((m) => m.type === 'done');
  const samples = msgs.filter((m): m is Extract<WorkloadMessage, { type: 'sample' }> => m.type === 'sample');
  const row: Row = {
    label,
    lat: latency(samples.map((s) => s.ms)),
    errors: samples.filter((s) => s.error).length,
    planned: loaded?.planned ?? 0,
    coldMs: cold ? round(cold.ms) : null,
    ...(cold?.error ? { coldError: true } : {}),
    loadMs: loaded ? Math.round(loaded.ms) : null,
    stoppedByBudget: done?.stoppedByBudget ?? false,
    peakRssMB: done?.peakRssMB ?? null,
  };
  if (run.timedOut) {
    const lastAt = run.arrivedMs.length ? run.arrivedMs[run.arrivedMs.length - 1]! : 0;
    row.timedOut = {
      phase: !loaded ? 'load' : !cold ? 'cold' : 'queries',
      limitSeconds: Math.round((run.limitMs ?? 0) / 100) / 10,
      runningMs: Math.round(run.elapsedMs - lastAt),
    };
  } else if (run.code !== 0 || !done) row.failed = run.stderr.slice(-2000) || `exit code ${run.code}`;
  return row;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
