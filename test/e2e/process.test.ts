// `npm start` as a user runs it: the real entry point in a child process, configured from the
// environment, logs in to the Discord-compatible server, answers, and exits cleanly on SIGTERM. A bad
// configuration stops it with one line that names the variable.
import { type ChildProcess, spawn } from 'node:child_process';
import { GatewayDispatchEvents, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, TOKEN, startFakeDiscord, waitFor } from './fake-discord.js';
import { slash } from './interactions.js';

const children: ChildProcess[] = [];
let fake: FakeDiscord | undefined;

function start(env: Record<string, string>): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CORPUS_DIR: 'corpus', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => text, exited };
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await fake?.close();
});

describe('the bot as a process', () => {
  it('starts in gateway mode from the environment, answers, and shuts down cleanly on SIGTERM', async () => {
    fake = await startFakeDiscord();
    const bot = start({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DOSSIER_MODE: 'gateway' });
    await waitFor('the bot to identify', () => fake!.identifies.length > 0, 30_000);
    await waitFor('the "connected" log line', () => bot.out().includes('connected to Discord'), 15_000);
    const i = slash('source', { query: '1,000 containers' });
    fake.dispatch(GatewayDispatchEvents.InteractionCreate, i);
    const cb = await waitFor('the answer', () => fake!.callbacks.find((c) => c.interactionId === i.id), 15_000);
    expect(cb.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.out()).toContain('shutting down');
    expect(bot.out()).not.toContain(TOKEN);
    await waitFor('the gateway connection to close', () => fake!.connections() === 0, 5000);
  }, 60_000);

  it('refuses to start with a bad configuration, naming the variable in one line', async () => {
    const bot = start({ DOSSIER_MODE: 'http', DISCORD_PUBLIC_KEY: 'not-a-key' });
    expect(await bot.exited).toBe(1);
    const lines = bot.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DISCORD_PUBLIC_KEY .*64 hexadecimal/);
  }, 30_000);
});
