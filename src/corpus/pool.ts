// Loading and extracting many article files at once over the machine's cores: a cold start-up (or a
// corpus whose cache was made by other code) spends nearly all its time reading, segmenting and extracting
// files, each independent of the others. The files are handed to worker threads as they finish earlier
// ones, each worker holding a few at a time (so none waits while the calling thread indexes); a long
// article holds up only the few queued behind it.
//
// Workers are the corpus watcher's (src/corpus/extract-worker.ts). A worker that cannot start (no
// TypeScript loader where the code runs, say) or stops hands its unfinished files back: they are done
// on the calling thread, so a pool can be slower than planned but never loses a file.
import type { Worker } from 'node:worker_threads';
import { type Processed, type WorkerReply, fromReply } from './transfer.js';
import { spawnCorpusWorker } from './worker.js';

export type { Processed } from './transfer.js';

/** Files each worker holds at once (one being worked on, the rest waiting), so no worker waits while this thread indexes. */
const IN_FLIGHT = 8;

/**
 * Loads and extracts `paths` in `workers` worker threads. Resolves with one result per path, in the
 * order given. Files a worker could not do are done by `fallback` on this thread.
 */
export async function processInWorkers(
  paths: string[],
  workers: number,
  fallback: (path: string) => Processed,
  /** Called with each result as it arrives (in any order), on this thread. */
  onResult?: (index: number, r: Processed) => void,
  /** A file a worker works on longer than this is given up on (reported), as the corpus watcher does. Default 60 s. */
  fileTimeoutMs = 60_000,
): Promise<Processed[]> {
  const results: (Processed | undefined)[] = new Array(paths.length);
  let next = 0;
  const leftover: number[] = [];

  const runWorker = () =>
    new Promise<void>((resolve) => {
      let w: Worker;
      try {
        w = spawnCorpusWorker();
      } catch {
        resolve();
        return;
      }
      const held = new Set<number>();
      let finished = false;
      let ready = false;
      /** When the file it works on (the first it holds: files are sent and done in order) was started. */
      let since = 0;
      const timer = setInterval(
        () => {
          if (finished || !ready || held.size === 0 || performance.now() - since <= fileTimeoutMs) return;
          // A hostile file (or a pathological one) is holding it up: that file fails, the worker is ended
          // and what it held besides goes back to the calling thread.
          const id = Math.min(...held);
          held.delete(id);
          const reason = `took longer than ${Math.round(fileTimeoutMs / 1000)} s to read and extract, so it was given up on (is it a real article?)`;
          results[id] = { problem: { file: paths[id]!, line: null, reason, severity: 'error' } };
          onResult?.(id, results[id]!);
          finish();
        },
        Math.max(1, Math.min(1000, fileTimeoutMs)),
      );
      timer.unref();
      const feed = () => {
        while (held.size < IN_FLIGHT && next < paths.length) {
          const id = next++;
          held.add(id);
          w.postMessage({ id, path: paths[id] });
        }
        if (held.size === 0) finish();
      };
      const finish = (crashed = false) => {
        if (finished) return;
        finished = true;
        clearInterval(timer);
        // The file it was working on stopped it (out of memory on a hostile file): that file fails, as
        // in the corpus watcher. What it held besides goes back to the calling thread.
        const ids = [...held].sort((a, b) => a - b);
        if (crashed && ready && ids.length) {
          const id = ids.shift()!;
          results[id] = { problem: { file: paths[id]!, line: null, reason: 'reading it stopped the worker thread, so it was given up on', severity: 'error' } };
          onResult?.(id, results[id]!);
        }
        leftover.push(...ids);
        held.clear();
        void w.terminate();
        resolve();
      };
      w.on('message', (m: WorkerReply) => {
        if (m.ready) {
          ready = true;
          since = performance.now();
          feed();
          return;
        }
        if (m.id === undefined || !held.has(m.id)) return;
        held.delete(m.id);
        since = performance.now();
        results[m.id] = fromReply(m, paths[m.id]!);
        feed();
        onResult?.(m.id, results[m.id]!);
      });
      w.on('error', () => finish(true));
      w.on('exit', () => finish(true));
    });

  await Promise.all(Array.from({ length: Math.max(0, workers) }, runWorker));
  // Files no worker took (none could start) or that a worker dropped when it stopped.
  for (let i = next; i < paths.length; i++) leftover.push(i);
  for (const i of leftover.sort((a, b) => a - b)) {
    if (results[i]) continue;
    results[i] = fallback(paths[i]!);
    onResult?.(i, results[i]!);
  }
  return results as Processed[];
}
