// `npm run deploy`: registers every command (each module's `data`, /help and the "Find sources" context
// menu) with Discord — to DISCORD_GUILD_ID when set (instant; for development), else globally. It
// overwrites the application's commands with exactly this list, so removed commands disappear.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type RESTPutAPIApplicationCommandsResult, Routes } from 'discord-api-types/v10';
import { applicationCommands } from './commands.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createRest } from './rest.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  names: string[];
}

export async function deployCommands(cfg: Config): Promise<DeployResult> {
  const rest = createRest(cfg);
  const body = applicationCommands();
  const app = cfg.DISCORD_APPLICATION_ID!;
  const route = cfg.DISCORD_GUILD_ID ? Routes.applicationGuildCommands(app, cfg.DISCORD_GUILD_ID) : Routes.applicationCommands(app);
  const result = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return { scope: cfg.DISCORD_GUILD_ID ? 'guild' : 'global', names: (Array.isArray(result) ? result : body).map((c) => c.name) };
}

async function main(): Promise<void> {
  if (existsSync('.env') && typeof process.loadEnvFile === 'function') process.loadEnvFile('.env');
  let cfg: Config;
  try {
    cfg = loadConfig(process.env, 'deploy');
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`deploy: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  try {
    const r = await deployCommands(cfg);
    process.stdout.write(
      `Registered ${r.names.length} commands ${r.scope === 'guild' ? `to guild ${cfg.DISCORD_GUILD_ID} (available now)` : 'globally (may take up to an hour to appear)'}: ${r.names.join(', ')}\n`,
    );
  } catch (e) {
    process.stderr.write(`deploy: Discord refused the commands: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
