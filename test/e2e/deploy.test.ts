// `npm run deploy` against the Discord-compatible server: every command's definition and the context menu
// are registered, to the guild when DISCORD_GUILD_ID is set, else globally, with the bot token.
import { spawn, spawnSync } from 'node:child_process';
import { ApplicationCommandType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { APP_ID, type FakeDiscord, GUILD_ID, TOKEN, startFakeDiscord } from './fake-discord.js';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake?.close();
});

describe('npm run deploy', () => {
  it('registers every command and "Find sources" to the guild', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/discord/deploy.ts'], {
      env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP_ID, DISCORD_GUILD_ID: GUILD_ID, DISCORD_API_URL: fake.apiUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, out).toBe(0);
    const put = fake.requests.find((r) => r.method === 'PUT' && r.path === `/applications/${APP_ID}/guilds/${GUILD_ID}/commands`)!;
    expect(put).toBeDefined();
    expect(put.auth).toBe(`Bot ${TOKEN}`);
    const body = put.body as { name: string; type?: number; description?: string }[];
    const names = body.map((c) => c.name);
    for (const c of COMMANDS) expect(names).toContain(c.name);
    expect(names).toContain('help');
    expect(body.find((c) => c.name === 'Find sources')!.type).toBe(ApplicationCommandType.Message);
    expect(out).toMatch(/Registered \d+ commands to guild/);
  }, 30_000);

  it('says which variable is missing', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/discord/deploy.ts'], { env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: TOKEN }, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^deploy: DISCORD_APPLICATION_ID is missing/);
  }, 30_000);
});

