// Starts the bot on Discord in the mode DOSSIER_MODE picks (gateway by default, or http), after checking
// the configuration; stops cleanly on SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { COMMANDS } from '../../commands/index.js';
import { warmWhoSaid } from '../answers/whoSaid.js';
import { warmTimelineCommand } from '../../commands/timeline.js';
import { parseLine } from '../console.js';
import { parseOptions } from '../core/command.js';
import type { Dossier } from '../core/dossier.js';
import { openDossier } from '../core/cache.js';
import { watchCorpus } from '../corpus/watch.js';
import { ConfigError, loadConfig } from './config.js';
import { startGateway } from './gateway.js';
import { startHttp } from './http.js';
import { type Logger, createLogger } from './logger.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

export async function startBot(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let cfg;
  try {
    cfg = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Dossier cannot start: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  const log = createLogger(cfg.LOG_LEVEL);
  const dir = resolve(cfg.CORPUS_DIR);
  // The living corpus: articles added, changed or removed are picked up without a restart.
  // A cold start reads and extracts the files over worker threads (one per core); the cache makes later starts quick.
  const built = await openDossier(dir);
  // Each updated corpus is warmed before it replaces the one serving (see warmDossier below).
  const holder = watchCorpus(dir, { logger: log, build: () => built, prepare: (next) => warmDossier(next, log) });
  const first = holder.current();
  log.info({ corpus: dir, articles: first.articles.length, problems: first.problems.length }, 'corpus loaded');
  for (const p of first.problems) log.warn({ file: p.file, line: p.line, reason: p.reason }, `corpus ${p.severity}`);
  const dossier = () => holder.current();

  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (the bot keeps running)'));

  const bot =
    cfg.DOSSIER_MODE === 'http'
      ? await startHttp(cfg, { logger: log, dossier, router: { corpusChanged: () => holder.refresh() } })
      : await startGateway(cfg, { logger: log, dossier, router: { corpusChanged: () => holder.refresh() } });

  // What the first queries of a Dossier would otherwise pay for (the timeline's merge and pages, the
  // quote index of /who-said words, the grouping of republished stories), made in the background: for the
  // Dossier serving once the bot is connected, for each later one before it replaces the one serving.
  const serving = holder.current();
  void warmDossier(serving, log, () => holder.current() !== serving);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    holder.close();
    bot
      .stop()
      .then(() => {
        log.info('stopped');
        log.flush();
        process.exit(0);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * Warms a Dossier's per-corpus indexes: /timeline (merge in a worker thread, events in slices), /who-said's
 * quote index (in slices), then each other command's help examples, one per turn of the event loop. Never
 * rejects.
 */
export async function warmDossier(d: Dossier, log: Pick<Logger, 'info' | 'debug'>, stop: () => boolean = () => false): Promise<void> {
  const t0 = performance.now();
  const w = await warmTimelineCommand(d, stop);
  log.info({ ...w }, 'timeline warmed');
  if (stop()) return;
  const ws = await warmWhoSaid(d, { stop });
  log.info({ ...ws }, 'who-said warmed');
  let examples = 0;
  for (const mod of COMMANDS) {
    if (mod.warmsInBackground || mod.name === 'corpus') continue;
    for (const example of mod.help.examples) {
      if (stop()) return;
      await nextTurn();
      try {
        const { name, raw } = parseLine(example);
        if (name !== mod.name || raw.format !== undefined || raw.image !== undefined) continue;
        mod.run(parseOptions(mod, raw), { dossier: d });
        examples++;
      } catch (e) {
        log.debug({ err: e, command: mod.name, example }, 'warm-up example did not run');
      }
    }
  }
  log.info({ examples, ms: Math.round(performance.now() - t0) }, 'corpus warmed');
}
