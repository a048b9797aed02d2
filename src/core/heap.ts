// How far V8 lets a Dossier process's heap grow past what it holds before collecting it again.
//
// After each full collection V8 sets the next one at the live heap times a factor it picks from how fast
// it collects, up to 4×. A bot holding 0.5 GB of corpus (10,000 articles) that then answers a first
// /timeline — which makes a few hundred megabytes of short-lived objects — was let grow to 1.1 GB of heap
// before V8 looked at it: 1.3 GB resident for 0.65 GB live. Capped at 1.5×, the same process peaks under
// 0.9 GB for the same answers; the extraction worker threads (one V8 heap each) shrink alike.
// The price is more full collections: most of their marking runs on a helper thread, and the bench
// measures what it costs (docs/performance.md). The flag is process-wide: it covers worker threads too.
import { setFlagsFromString } from 'node:v8';

/** Percent over the live heap at which the next full collection is set, by default. */
export const DEFAULT_HEAP_GROWTH = 50;

/** DOSSIER_HEAP_GROWTH read: a percent (10–300), 0 for V8's own choice; the default and why when it is not one. */
export function heapGrowthSetting(raw: string | undefined): { percent: number; problem?: string } {
  if (raw === undefined || raw.trim() === '') return { percent: DEFAULT_HEAP_GROWTH };
  const v = raw.trim();
  if (!/^\d+$/.test(v) || (Number(v) !== 0 && (Number(v) < 10 || Number(v) > 300)))
    return { percent: DEFAULT_HEAP_GROWTH, problem: `DOSSIER_HEAP_GROWTH=${JSON.stringify(raw)} is not a percent from 10 to 300 (or 0 for V8's own); using ${DEFAULT_HEAP_GROWTH}` };
  return { percent: Number(v) };
}

let applied: number | null = null;

/**
 * Applies the heap growth cap (DOSSIER_HEAP_GROWTH, default 50%) to this process. Called first by every
 * entry point that holds a Dossier (the bot, the CLI, the bench's measuring children). Returns the
 * percent in force (0: V8's own) and a problem with the setting, if any, for the caller to report.
 */
export function applyHeapPolicy(env: NodeJS.ProcessEnv = process.env): { percent: number; problem?: string } {
  const s = heapGrowthSetting(env.DOSSIER_HEAP_GROWTH);
  if (applied !== s.percent) {
    // 0 restores V8's own factor.
    setFlagsFromString(`--heap-growing-percent=${s.percent}`);
    applied = s.percent;
  }
  return s;
}
