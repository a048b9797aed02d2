// A shutdown lets the interactions in flight finish: the answer reaches Discord before the bot disconnects.
import { resolve } from 'node:path';
import { GatewayDispatchEvents, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDossier } from '../../src/core/dossier.js';
import { startGateway } from '../../src/discord/gateway.js';
import { createLogger } from '../../src/discord/logger.js';
import { TOKEN, startFakeDiscord, waitFor } from './fake-discord.js';
import { slash } from './interactions.js';

const dossier = buildDossier(resolve('corpus'));
const fake = await startFakeDiscord({ heartbeatMs: 200 });
afterAll(() => fake.close());

describe('shutting down', () => {
  it('gateway mode answers an interaction already in flight before it disconnects', async () => {
    const bot = await startGateway({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl }, { logger: createLogger('silent'), dossier: () => dossier });
    fake.callbackDelayMs = 600;
    const i = slash('source', { query: 'Wagner Group' });
    fake.dispatch(GatewayDispatchEvents.InteractionCreate, i);
    // The bot has sent its answer; the server is still taking it when the shutdown begins.
    await waitFor('the answer on its way', () => fake.requests.some((r) => r.path.includes(`/interactions/${i.id}/`)));
    await bot.stop();
    const cb = fake.callbacks.find((c) => c.interactionId === i.id);
    // On a busy machine the bot may defer first: then the edit carrying the answer must have arrived too.
    if (cb?.response.type === InteractionResponseType.DeferredChannelMessageWithSource) expect(fake.edits.some((e) => e.token === i.token)).toBe(true);
    else expect(cb?.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(fake.connections()).toBe(0);
  });
});
