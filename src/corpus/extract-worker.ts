// The corpus watcher's worker thread: reads one article file and extracts it, off the thread that answers
// queries. Messages in: { id, path }; out: { id, article, extraction, extractError } packed (src/corpus/transfer.ts)
// | { id, problem } | { id, error }.
import { parentPort } from 'node:worker_threads';
import { extract } from '../extract/index.js';
import { loadFile } from './load.js';
import { replyOf } from './transfer.js';

parentPort?.on('message', (m: { id: number; path: string }) => {
  try {
    const r = loadFile(m.path);
    if ('problem' in r) {
      parentPort!.postMessage({ id: m.id, problem: r.problem });
      return;
    }
    let extraction = null;
    let extractError: string | null = null;
    try {
      extraction = extract(r.article);
    } catch (e) {
      extractError = (e as Error)?.message ?? String(e);
    }
    parentPort!.postMessage(replyOf(m.id, r.article, extraction, extractError));
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error)?.stack ?? String(e) });
  }
});

parentPort?.postMessage({ ready: true });
