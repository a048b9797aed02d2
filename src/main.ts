// `npm start`: the bot. With DISCORD_TOKEN set it connects to Discord (gateway mode, or HTTP interactions
// mode with DOSSIER_MODE=http); without one it opens the local console over the corpus.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDossier } from './core/dossier.js';
import { runConsole } from './console.js';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');

const corpusDir = resolve(process.env.CORPUS_DIR || 'corpus');

if (!process.env.DISCORD_TOKEN && process.env.DOSSIER_MODE !== 'http') {
  const dossier = buildDossier(corpusDir);
  await runConsole(dossier);
} else {
  const { startBot } = await import('./discord/start.js');
  await startBot();
}
