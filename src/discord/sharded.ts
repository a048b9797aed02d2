// `npm run start:sharded`: the gateway bot split into shards by discord.js's ShardingManager, for bots
// in more than ~2,500 guilds (Discord requires sharding from 2,500). Each shard is a process running
// src/main.ts through tsx; the shard count is Discord's recommendation ('auto'), or SHARD_COUNT.
//
// The corpus is built and its cache saved once here, before any shard starts, so the shards all load
// the persisted index (src/core/cache.ts) instead of each segmenting and extracting the corpus at once.
// HTTP mode (DOSSIER_MODE=http) does not shard: it is stateless and scales by running more replicas.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShardingManager } from 'discord.js';
import { openDossier } from '../core/cache.js';
import { applyHeapPolicy } from '../core/heap.js';

if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');
// The cold build below is this process's peak: the same heap policy as the shards (src/core/heap.ts).
const heap = applyHeapPolicy();
if (heap.problem) process.stderr.write(`warning: ${heap.problem}\n`);

const token = process.env.DISCORD_TOKEN;
if (!token) {
  process.stderr.write('npm run start:sharded: set DISCORD_TOKEN (see docs/discord.md); without it use `npm start` for the local console.\n');
  process.exit(1);
}
if (process.env.DOSSIER_MODE === 'http') {
  process.stderr.write('npm run start:sharded: HTTP mode does not shard; run more replicas of `npm start` behind the load balancer instead.\n');
  process.exit(1);
}

const corpusDir = resolve(process.env.CORPUS_DIR || 'corpus');
const started = performance.now();
// Built (and its cache saved) for the shards, then let go: this process only manages them.
const built = await openDossier(corpusDir).then((d) => `${d.articles.length} articles (${d.build?.cache ?? 'built'}`);
process.stdout.write(`corpus ${corpusDir}: ${built}, ${Math.round(performance.now() - started)} ms); starting shards\n`);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const totalShards = process.env.SHARD_COUNT ? Number(process.env.SHARD_COUNT) : 'auto';
const manager = new ShardingManager(join(root, 'src', 'main.ts'), {
  token,
  totalShards,
  mode: 'process',
  // Each shard runs the TypeScript sources through tsx, like `npm start`.
  execArgv: ['--import', 'tsx'],
  respawn: true,
});

manager.on('shardCreate', (shard) => {
  process.stdout.write(`shard ${shard.id} launched\n`);
  shard.on('death', () => process.stderr.write(`shard ${shard.id} died; respawning\n`));
});

await manager.spawn({ amount: totalShards, delay: 5_500, timeout: 60_000 });

const stop = () => {
  for (const shard of manager.shards.values()) shard.kill();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
