// Starts the bot on Discord in the mode DOSSIER_MODE picks (gateway by default, or http), after checking
// the configuration; stops cleanly on SIGINT/SIGTERM.
import { resolve } from 'node:path';
import { warmTimelineCommand } from '../../commands/timeline.js';
import type { Dossier } from '../core/dossier.js';
import { openDossier } from '../core/cache.js';
import { watchCorpus } from '../corpus/watch.js';
import { ConfigError, loadConfig } from './config.js';
import { startGateway } from './gateway.js';
import { startHttp } from './http.js';
import { createLogger } from './logger.js';

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
  const holder = watchCorpus(dir, { logger: log, build: () => built });
  const first = holder.current();
  log.info({ corpus: dir, articles: first.articles.length, problems: first.problems.length }, 'corpus loaded');
  for (const p of first.problems) log.warn({ file: p.file, line: p.line, reason: p.reason }, `corpus ${p.severity}`);
  const dossier = () => holder.current();

  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (the bot keeps running)'));

  const bot =
    cfg.DOSSIER_MODE === 'http'
      ? await startHttp(cfg, { logger: log, dossier, router: { corpusChanged: () => holder.refresh() } })
      : await startGateway(cfg, { logger: log, dossier, router: { corpusChanged: () => holder.refresh() } });

  // /timeline's merge and page layout, made in the background for every Dossier that starts serving.
  const warm = (d: Dossier) => void warmTimelineCommand(d, () => holder.current() !== d).then((w) => log.info({ ...w }, 'timeline warmed'));
  warm(first);
  holder.onSwap((next) => warm(next));

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
