// The timeline merge's worker thread: clusters a corpus's event reports (src/extract/merge.ts
// clusterReports) off the thread that answers interactions. In: a MergeInput (src/extract/merge-pack.ts);
// out: { clusters } (lists of report indices) or { error }.
import { parentPort } from 'node:worker_threads';
import { type MergeInput, clusterInput } from './merge-pack.js';

parentPort?.on('message', (input: MergeInput) => {
  try {
    parentPort!.postMessage({ clusters: clusterInput(input) });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error)?.stack ?? String(e) });
  }
});
parentPort?.postMessage({ ready: true });
