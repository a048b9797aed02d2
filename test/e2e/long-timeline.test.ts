// A timeline of more than 200 pages (a large corpus) in HTTP interactions mode: the page buttons and the
// page's footer count the same pages, and Last goes to the last one.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type APIEmbed, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.js';
import { mergedInWorker } from '../../src/answers/timeline.js';
import { type Dossier, buildDossier } from '../../src/core/dossier.js';
import { type HttpBot, startHttp } from '../../src/discord/http.js';
import { createLogger } from '../../src/discord/logger.js';
import { CHANNEL_ID, type FakeDiscord, TOKEN, snowflake, startFakeDiscord, waitFor } from './fake-discord.js';
import { buttons, press, slash } from './interactions.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const der = publicKey.export({ format: 'der', type: 'spki' });
const publicHex = der.subarray(der.length - 32).toString('hex');

let dir: string;
let fake: FakeDiscord;
let bot: HttpBot;
let serving: Dossier;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dossier-long-'));
  writeCorpus(dir, 180, 5);
  serving = buildDossier(dir, { cache: false });
  fake = await startFakeDiscord();
  bot = await startHttp(
    { DISCORD_PUBLIC_KEY: publicHex, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, PORT: 0 },
    { logger: createLogger('silent'), dossier: () => serving, host: '127.0.0.1', router: { replyBudgetMs: 60_000 } },
  );
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(payload: unknown) {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(ts + body), privateKey).toString('hex');
  const res = await fetch(`http://127.0.0.1:${bot.port}/interactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts },
    body,
  });
  return (await res.json()) as { type: number; data?: { content?: string; embeds?: APIEmbed[]; components?: unknown[] } };
}

describe('a timeline longer than 200 pages', () => {
  it('counts its pages the same on the buttons and in the footer, and Last reaches the last page', async () => {
    const first = await post(slash('timeline'));
    expect(first.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const footer = first.data!.embeds![0]!.footer!.text;
    const total = Number(/Page 1 of (\d+)/.exec(footer)?.[1]);
    expect(total).toBeGreaterThan(200);
    const b = buttons(first.data);
    expect([...b.keys()]).toContain(`Page 1 of ${total}`);
    const message = { id: snowflake(), channel_id: CHANNEL_ID, content: first.data!.content ?? '', embeds: first.data!.embeds ?? [], components: first.data!.components ?? [], flags: 0 };
    const i = press(b.get('Last')!.custom_id, message as never);
    const r = await post(i);
    let shown: { embeds?: APIEmbed[]; components?: unknown[] } | undefined = r.data;
    if (r.type === InteractionResponseType.DeferredMessageUpdate) shown = (await waitFor('the page edit', () => fake.edits.find((e) => e.token === i.token))).body as typeof shown;
    expect(shown!.embeds![0]!.footer!.text).toMatch(new RegExp(`^Page ${total} of ${total} `));
    const last = buttons(shown);
    expect(last.get('Next')!.disabled).toBe(true);
    expect([...last.keys()]).toContain(`Page ${total} of ${total}`);
  }, 120_000);

  it('defers a /timeline whose merge is not made yet, merges it in a worker thread, then answers', async () => {
    // A corpus just loaded, its timeline not merged: as the bot is before its warm-up has finished.
    serving = buildDossier(dir, { cache: false });
    const vitest = process.env.VITEST;
    delete process.env.VITEST; // worker threads are off under the test runner unless asked for
    try {
      const i = slash('timeline');
      const r = await post(i);
      expect(r.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      const edit = await waitFor('the answer', () => fake.edits.find((e) => e.token === i.token), 60_000);
      expect((edit.body as { embeds: APIEmbed[] }).embeds[0]!.footer!.text).toMatch(/^Page 1 of \d+ /);
      expect(mergedInWorker.has(serving)).toBe(true);
    } finally {
      process.env.VITEST = vitest;
    }
  }, 120_000);
});
