// `npm start`: the bot. With DISCORD_TOKEN set it connects to Discord (gateway mode, or HTTP interactions
// mode with DOSSIER_MODE=http); without one it opens the local console over the corpus.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runConsole } from './console.js';
import { openDossier } from './core/cache.js';
import { applyHeapPolicy } from './core/heap.js';
import { watchCorpus } from './corpus/watch.js';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');
// Before anything large is made: V8 keeps the heap near what is live (src/core/heap.ts).
const heap = applyHeapPolicy();
if (heap.problem) process.stderr.write(`warning: ${heap.problem}\n`);

const corpusDir = resolve(process.env.CORPUS_DIR || 'corpus');

if (!process.env.DISCORD_TOKEN && process.env.DOSSIER_MODE !== 'http') {
  // The corpus is watched: an article added, changed or removed while the console runs is picked up.
  // The first build reads and extracts new files over worker threads (one per core); then it is watched.
  const first = await openDossier(corpusDir);
  const holder = watchCorpus(corpusDir, { logger: consoleLogger(), build: () => first });
  await runConsole(holder.view());
  holder.close();
} else {
  const { startBot } = await import('./discord/start.js');
  await startBot();
}

/** Corpus updates as one plain line each on stderr, so they do not mix with the answers on stdout. */
function consoleLogger() {
  const line = (level: string) => (obj: object, msg?: string) => {
    const o = obj as Record<string, unknown>;
    const where = o.file ? ` ${String(o.file)}${o.line ? `:${String(o.line)}` : ''}` : '';
    const why = o.reason ?? o.err;
    process.stderr.write(`[corpus] ${level === 'info' ? '' : `${level}: `}${msg ?? ''}${where}${why ? ` — ${String(why)}` : ''}${o.articles !== undefined ? ` (${String(o.articles)} articles)` : ''}\n`);
  };
  return { info: line('info'), warn: line('warning'), error: line('error') };
}
