// The real discord.js Client, started by the bot's own gateway module, logs in to a Discord-compatible
// server on 127.0.0.1 and answers interactions dispatched over the gateway. Nothing of the bot is mocked.
import { resolve } from 'node:path';
import { type APIEmbed, type APIMessage, GatewayDispatchEvents, GatewayIntentBits, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { buildDossier } from '../../src/core/dossier.js';
import { type GatewayBot, startGateway } from '../../src/discord/gateway.js';
import { createLogger } from '../../src/discord/logger.js';
import { LIMITS, messageProblems } from '../../src/render/limits.js';
import { CHANNEL_ID, type Callback, type FakeDiscord, TOKEN, startFakeDiscord, waitFor } from './fake-discord.js';
import { MEMBER_PERMS, MODERATOR_PERMS, autocomplete, buttons, findSources, newUser, press, slash, userMessage } from './interactions.js';

const dossier = buildDossier(resolve('corpus'));
const has = (name: string) => COMMANDS.some((c) => c.name === name);

let fake: FakeDiscord;
let bot: GatewayBot;

beforeAll(async () => {
  fake = await startFakeDiscord({ heartbeatMs: 200 });
  bot = await startGateway({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl }, { logger: createLogger('silent'), dossier: () => dossier });
}, 20_000);

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** Dispatches an interaction and waits for the bot's callback to it. */
async function send(interaction: { id: string }): Promise<Callback> {
  fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
  return waitFor(`the callback to interaction ${interaction.id}`, () => fake.callbacks.find((c) => c.interactionId === interaction.id));
}

function dataOf(cb: Callback) {
  expect('data' in cb.response).toBe(true);
  return (cb.response as { data: { content?: string; embeds?: APIEmbed[]; flags?: number; allowed_mentions?: unknown; components?: unknown[] } }).data;
}

function expectWithinLimits(data: ReturnType<typeof dataOf>) {
  expect(messageProblems(data as never)).toEqual([]);
  expect(data.allowed_mentions).toEqual({ parse: [] });
}

describe('gateway mode against a Discord-compatible server', () => {
  it('logs in with only the Guilds intent, gets READY with the guild, and heartbeats are acknowledged', async () => {
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]!.token).toBe(TOKEN);
    expect(fake.identifies[0]!.intents).toBe(GatewayIntentBits.Guilds);
    expect(bot.client.guilds.cache.has('200000000000000002')).toBe(true);
    await waitFor('two heartbeats and their ACKs', () => fake.heartbeats >= 2 && fake.acks >= 2);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/gateway/bot' && r.auth === `Bot ${TOKEN}`)).toBe(true);
  });

  it('answers /source publicly with quoted passages, within limits, no pings, and Cite', async () => {
    const cb = await send(slash('source', { query: '1,000 containers' }));
    expect(cb.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = dataOf(cb);
    expect((data.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expectWithinLimits(data);
    expect(data.embeds![0]!.description).toMatch(/1,000 containers/);
    expect(data.content).toContain('-# /source query: 1,000 containers');
    expect([...buttons(data).keys()]).toContain('Cite sources');
  });

  it('explains a bad option ephemerally and says what to do', async () => {
    const cb = await send(slash('source', { query: '!!!' }));
    const data = dataOf(cb);
    expect(data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(data.content).toMatch(/query.*letter or number/);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('refuses a second heavy command from the same user within the cooldown, ephemerally', async () => {
    const user = newUser();
    const first = await send(slash('source', { query: 'Kremlin' }, { userId: user }));
    expect(first.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const second = await send(slash('source', { query: 'Kirby' }, { userId: user }));
    const data = dataOf(second);
    expect(data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(data.content).toMatch(/try \/source again in \d+ s/);
  });

  it('user text that looks like a mention cannot ping: @everyone and role mentions are neutralised where Discord renders them', async () => {
    const cb = await send(slash('source', { query: '@everyone <@&123456789012345678> containers' }));
    const data = dataOf(cb);
    expectWithinLimits(data);
    // Content, descriptions and field values render mentions (embed titles do not).
    const all = JSON.stringify([data.content, data.embeds?.map((e) => [e.description, e.fields])]);
    expect(data.content).toContain('@\u200beveryone');
    expect(all).not.toMatch(/(?<!\u200b)@everyone/);
    expect(all).not.toContain('<@&123456789012345678>');
  });

  it.runIf(has('timeline'))('answers /timeline with pages, turns a page with a button, and the page stands within limits', async () => {
    const cb = await send(slash('timeline'));
    const data = dataOf(cb);
    expectWithinLimits(data);
    const b = buttons(data);
    expect(b.has('Pin this page')).toBe(true);
    const pageInfo = [...b.keys()].find((k) => /^Page 1 of \d+$/.test(k));
    expect(pageInfo, 'the timeline of the bundled corpus spans more than one page').toBeDefined();
    expect(b.get('Previous')!.disabled).toBe(true);
    const next = b.get('Next')!;
    expect(next.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);

    const turned = await send(press(next.custom_id, cb.message!));
    expect(turned.response.type).toBe(InteractionResponseType.UpdateMessage);
    const page2 = dataOf(turned);
    expectWithinLimits(page2);
    expect(buttons(page2).has('Page 2 of ' + pageInfo!.split(' of ')[1])).toBe(true);
    expect(page2.embeds![0]!.footer!.text).toMatch(/Page 2 of/);
    expect(JSON.stringify(page2.embeds)).not.toBe(JSON.stringify(data.embeds));
  });

  it.runIf(has('who-said'))('answers /who-said for a speaker chosen by autocomplete, within limits, with Cite', async () => {
    const auto = await send(autocomplete('who-said', { speaker: 'Kirb' }, 'speaker'));
    const choices = (auto.response as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    const kirby = choices.find((c) => /Kirby/.test(c.name))!;
    expect(kirby).toBeDefined();
    const cb = await send(slash('who-said', { speaker: kirby.value }));
    expect(cb.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = dataOf(cb);
    expectWithinLimits(data);
    expect(JSON.stringify(data.embeds)).toMatch(/Kirby/);
    expect(buttons(data).has('Cite sources')).toBe(true);
    const byWords = await send(slash('who-said', { words: 'we condemn the DPRK' }));
    expectWithinLimits(dataOf(byWords));
    expect(JSON.stringify(dataOf(byWords).embeds)).toMatch(/Kirby/);
  });

  it.runIf(has('timeline'))('Pin: a member without Pin Messages is told why, and nothing is pinned', async () => {
    const cb = await send(slash('timeline'));
    const pin = buttons(dataOf(cb)).get('Pin this page')!;
    const before = fake.pins.length;
    const refused = await send(press(pin.custom_id, cb.message!, { permissions: MEMBER_PERMS }));
    const data = dataOf(refused);
    expect(data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(data.content).toMatch(/Pin Messages/);
    expect(fake.pins.length).toBe(before);
  });

  it.runIf(has('timeline'))('Pin: a member with Pin Messages pins the page (bot token, new pins route) and is told so', async () => {
    const cb = await send(slash('timeline'));
    const pin = buttons(dataOf(cb)).get('Pin this page')!;
    const i = press(pin.custom_id, cb.message!, { permissions: MODERATOR_PERMS });
    const deferred = await send(i);
    expect(deferred.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const pinned = await waitFor('the pin request', () => fake.pins.find((p) => p.path === `/channels/${CHANNEL_ID}/messages/pins/${cb.message!.id}`));
    expect(pinned.auth).toBe(`Bot ${TOKEN}`);
    const edit = await waitFor('the confirmation', () => fake.edits.find((e) => e.token === i.token));
    expect((edit.body as { content: string }).content).toMatch(/Pinned/);
  });

  it('Find sources (message context menu) runs /source on the message, ephemerally, with Post publicly', async () => {
    const target = userMessage('@everyone North Korea sent 1,000 containers of weapons to Russia, says <@123456789012345678>');
    const cb = await send(findSources(target));
    expect(cb.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = dataOf(cb);
    expect(data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expectWithinLimits(data);
    expect(data.embeds![0]!.description).toMatch(/containers/);
    const pub = buttons(data).get('Post publicly')!;
    const posted = await send(press(pub.custom_id, { ...cb.message!, flags: MessageFlags.Ephemeral } as APIMessage));
    expect(posted.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const pdata = dataOf(posted);
    expect((pdata.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expectWithinLimits(pdata);
    expect(pdata.embeds).toEqual(data.embeds);
    expect(buttons(pdata).has('Post publicly')).toBe(false);
    expect(buttons(pdata).has('Cite sources')).toBe(true);
  });

  it('Cite gives APA and MLA, with BibTeX and CSL-JSON files, only to the asker', async () => {
    const cb = await send(slash('source', { query: 'Kirby condemn' }));
    const cite = buttons(dataOf(cb)).get('Cite sources')!;
    const i = press(cite.custom_id, cb.message!);
    const deferred = await send(i);
    expect(deferred.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(dataOf(deferred).flags).toBe(MessageFlags.Ephemeral);
    const edit = await waitFor('the citations', () => fake.edits.find((e) => e.token === i.token));
    const body = edit.body as { embeds: APIEmbed[] };
    expect(body.embeds[0]!.description).toMatch(/\*\*APA 7\*\*[\s\S]*\(\d{4}[^)]*\)[\s\S]*\*\*MLA 9\*\*/);
    expect(messageProblems({ ...body, allowed_mentions: { parse: [] } } as never)).toEqual([]);
    const names = edit.files.map((f) => f.name).sort();
    expect(names).toEqual(['dossier-sources.bib', 'dossier-sources.csl.json']);
    expect(edit.files.find((f) => f.name.endsWith('.bib'))!.text).toMatch(/@\w+\{/);
    expect(JSON.parse(edit.files.find((f) => f.name.endsWith('.json'))!.text)[0]).toHaveProperty('type', 'article-newspaper');
  });

  it.runIf(has('timeline'))('/timeline format:csv image:true defers, then attaches the CSV export and the PNG to the answer', async () => {
    const i = slash('timeline', { topic: 'containers', format: 'csv', image: true });
    const deferred = await send(i);
    expect(deferred.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const edit = await waitFor('the answer with its files', () => fake.edits.find((e) => e.token === i.token), 20_000);
    const body = edit.body as { embeds: APIEmbed[]; allowed_mentions: unknown };
    expect(messageProblems(body as never)).toEqual([]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const csv = edit.files.find((f) => f.name.endsWith('.csv'));
    const png = edit.files.find((f) => f.name.endsWith('.png'));
    expect(csv?.name).toMatch(/^dossier-timeline-corpus-\d{8}T\d{6}Z\.csv$/);
    expect(csv!.text).toMatch(/1,000 containers/);
    expect(png?.type).toBe('image/png');
  });

  it('autocomplete answers with at most 25 choices of at most 100 characters', async () => {
    const withAuto = COMMANDS.find((c) => c.autocomplete && 'options' in c.data && c.data.options?.some((o) => 'autocomplete' in o && o.autocomplete));
    const name = withAuto?.name ?? 'help';
    const option = withAuto ? ('options' in withAuto.data ? withAuto.data.options!.find((o) => 'autocomplete' in o && o.autocomplete)!.name : 'command') : 'command';
    const cb = await send(autocomplete(name, { [option]: '' }, option));
    expect(cb.response.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    const choices = (cb.response as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(String(c.value).length).toBeLessThanOrEqual(100);
    }
  });

  it('/help lists every command with an example, only to the asker', async () => {
    const cb = await send(slash('help'));
    const data = dataOf(cb);
    expect(data.flags! & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expectWithinLimits(data);
    const names = data.embeds![0]!.fields!.map((f) => f.name);
    for (const c of COMMANDS) expect(names).toContain(`/${c.name}`);
    expect(names).toContain('Apps → Find sources');
  });

  it('an interaction that fails (Discord refuses its callback) is logged and the bot keeps answering', async () => {
    const doomed = slash('source', { query: 'containers' });
    fake.expired.add(doomed.id);
    fake.dispatch(GatewayDispatchEvents.InteractionCreate, doomed);
    await waitFor('the refused callback', () => fake.unexpected.find((r) => r.path.includes(doomed.id)));
    const after = await send(slash('source', { query: 'containers' }));
    expect(after.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expectWithinLimits(dataOf(after));
  });

  it('comes back after the server drops the gateway connection (resumes) and answers again', async () => {
    const resumesBefore = fake.resumes.length;
    fake.dropConnection();
    // An interaction sent while the connection is down is replayed on resume, as Discord does.
    const i = slash('source', { query: 'Sung Kim' });
    fake.dispatch(GatewayDispatchEvents.InteractionCreate, i);
    await waitFor('a RESUME from the bot', () => fake.resumes.length > resumesBefore, 15_000);
    const cb = await waitFor('the callback after resuming', () => fake.callbacks.find((c) => c.interactionId === i.id), 15_000);
    expect(cb.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(fake.identifies).toHaveLength(1); // resumed, not a new session
    const again = await send(slash('source', { query: 'Kremlin spokesman' }));
    expect(again.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  }, 30_000);

  it('asks Discord for nothing it does not serve', () => {
    expect(fake.unexpected.filter((r) => !r.path.includes('(expired on purpose)'))).toEqual([]);
  });
});
