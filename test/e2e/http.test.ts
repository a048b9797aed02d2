// HTTP interactions mode: real requests signed with a generated Ed25519 key pair, sent to the bot's own
// HTTP endpoint; edits, follow-ups and pins go to the Discord-compatible server. Nothing is mocked.
import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { resolve } from 'node:path';
import { type APIEmbed, ApplicationCommandOptionType, InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { buildDossier } from '../../src/core/dossier.js';
import { type HttpBot, MAX_SKEW_SECONDS, startHttp } from '../../src/discord/http.js';
import { createLogger } from '../../src/discord/logger.js';
import { messageProblems } from '../../src/render/limits.js';
import { APP_ID, CHANNEL_ID, type FakeDiscord, TOKEN, snowflake, startFakeDiscord, waitFor } from './fake-discord.js';
import { MODERATOR_PERMS, autocomplete, buttons, findSources, press, slash, userMessage } from './interactions.js';

const dossier = buildDossier(resolve('corpus'));

function keyPair(): { publicHex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { publicHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

const discordKey = keyPair();
const forgerKey = keyPair();

let fake: FakeDiscord;
let bot: HttpBot;
/** A second endpoint whose reply budget is spent at once: every command is deferred, then edited. */
let slowBot: HttpBot;

beforeAll(async () => {
  fake = await startFakeDiscord();
  const cfg = { DISCORD_PUBLIC_KEY: discordKey.publicHex, DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, PORT: 0 };
  const common = { logger: createLogger('silent'), dossier: () => dossier, host: '127.0.0.1' };
  bot = await startHttp(cfg, common);
  slowBot = await startHttp(cfg, { ...common, router: { replyBudgetMs: -1 } });
}, 20_000);

afterAll(async () => {
  await bot?.stop();
  await slowBot?.stop();
  await fake?.close();
});

interface Sent {
  status: number;
  json: { type: number; data?: { content?: string; embeds?: APIEmbed[]; flags?: number; allowed_mentions?: unknown; components?: unknown[]; choices?: { name: string }[] } } | null;
  text: string;
}

async function post(
  target: HttpBot,
  payload: unknown,
  o: { key?: KeyObject; timestamp?: number; tamper?: (body: string) => string; headers?: Record<string, string> | null } = {},
): Promise<Sent> {
  const body = JSON.stringify(payload);
  const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(ts + body), o.key ?? discordKey.privateKey).toString('hex');
  const headers = o.headers === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': ts, ...o.headers };
  const res = await fetch(`http://127.0.0.1:${target.port}/interactions`, { method: 'POST', headers, body: o.tamper ? o.tamper(body) : body });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

const ping = () => ({ id: snowflake(), application_id: APP_ID, type: InteractionType.Ping, token: 'ping-token', version: 1 });

describe('HTTP interactions mode', () => {
  it('answers a signed PING with PONG', async () => {
    const r = await post(bot, ping());
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ type: InteractionResponseType.Pong });
  });

  it('refuses a forged signature, a tampered body, a missing signature and a stale timestamp with 401', async () => {
    expect((await post(bot, ping(), { key: forgerKey.privateKey })).status).toBe(401);
    expect((await post(bot, slash('source', { query: 'containers' }), { tamper: (b) => b.replace('containers', 'weapons') })).status).toBe(401);
    expect((await post(bot, ping(), { headers: null })).status).toBe(401);
    const stale = await post(bot, ping(), { timestamp: Math.floor(Date.now() / 1000) - MAX_SKEW_SECONDS - 60 });
    expect(stale.status).toBe(401);
    expect(stale.text).toMatch(/stale/);
    expect((await post(bot, ping(), { timestamp: Math.floor(Date.now() / 1000) + MAX_SKEW_SECONDS + 60 })).status).toBe(401);
  });

  it('only serves POST /interactions', async () => {
    const base = `http://127.0.0.1:${bot.port}`;
    expect((await fetch(`${base}/interactions`)).status).toBe(405);
    expect((await fetch(`${base}/other`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it.each(COMMANDS.map((c) => c.name))('answers /%s from its first help example, within limits and with no pings', async (name) => {
    const mod = COMMANDS.find((c) => c.name === name)!;
    const { parseLine } = await import('../../src/console.js');
    // The example as the console reads it; a command with subcommands gets its first word as the subcommand.
    const example = mod.help.examples[0]!;
    const subs = ('options' in mod.data ? (mod.data.options ?? []) : []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand).map((o) => o.name);
    const word = /^\/\S+\s+(\S+)/.exec(example)?.[1];
    const raw = subs.length && word && subs.includes(word) ? { subcommand: word } : parseLine(example).raw;
    const i = slash(name, raw);
    const r = await post(bot, i);
    expect(r.status).toBe(200);
    // A command that must wait (e.g. one that downloads) is deferred and its answer edited in.
    let data = r.json!.data;
    if (r.json!.type === InteractionResponseType.DeferredChannelMessageWithSource) {
      data = (await waitFor(`the edit answering /${name}`, () => fake.edits.find((e) => e.token === i.token) ?? fake.followUps.find((e) => e.token === i.token))).body as typeof data;
    } else expect(r.json!.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(messageProblems(data as never)).toEqual([]);
    expect((data!.embeds?.length ?? 0) > 0 || (data!.flags ?? 0) & MessageFlags.Ephemeral).toBeTruthy();
  });

  it('answers /help, Find sources (ephemeral) and autocomplete', async () => {
    const help = await post(bot, slash('help'));
    expect(help.json!.data!.flags).toBe(MessageFlags.Ephemeral);
    const found = await post(bot, findSources(userMessage('The Kremlin said the statements were unsubstantiated')));
    expect(found.json!.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(found.json!.data!.flags).toBe(MessageFlags.Ephemeral);
    expect(buttons(found.json!.data).has('Post publicly')).toBe(true);
    expect(messageProblems(found.json!.data as never)).toEqual([]);
    const auto = await post(bot, autocomplete('help', { command: 'so' }, 'command'));
    expect(auto.json!.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(auto.json!.data!.choices!.map((c) => c.name)).toContain('/source');
  });

  it('a malformed interaction gets an ephemeral apology, and the endpoint keeps answering', async () => {
    const r = await post(bot, { ...slash('source', { query: 'x' }), data: null });
    expect(r.status).toBe(200);
    expect(r.json!.data!.flags).toBe(MessageFlags.Ephemeral);
    expect(r.json!.data!.content).toMatch(/Something went wrong/);
    expect((await post(bot, ping())).json).toEqual({ type: InteractionResponseType.Pong });
  });

  it('defers when an answer would be slow, then edits the original over REST', async () => {
    const i = slash('source', { query: '1,000 containers' });
    const r = await post(slowBot, i);
    expect(r.json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });
    const edit = await waitFor('the edit of @original', () => fake.edits.find((e) => e.token === i.token));
    expect(edit.method).toBe('PATCH');
    expect(edit.path).toBe(`/webhooks/${APP_ID}/${i.token}/messages/@original`);
    const body = edit.body as { embeds: APIEmbed[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(messageProblems(body as never)).toEqual([]);
    expect(body.embeds[0]!.description).toMatch(/containers/);
  });

  it('a user error after a public deferral is not shown to everyone: the deferral is deleted and an ephemeral follow-up explains', async () => {
    if (!COMMANDS.some((c) => c.name === 'timeline')) return;
    const i = slash('timeline', { source: 'no-such-article' });
    const r = await post(slowBot, i);
    expect(r.json!.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const follow = await waitFor('the ephemeral follow-up', () => fake.followUps.find((f) => f.token === i.token));
    expect((follow.body as { flags: number }).flags).toBe(MessageFlags.Ephemeral);
    expect(fake.deletes.some((d) => d.token === i.token)).toBe(true);
  });

  it('buttons are stateless: a page rendered by one instance turns on another (as after a restart), even with options too long for a custom_id', async () => {
    if (!COMMANDS.some((c) => c.name === 'timeline')) return;
    const first = await post(bot, slash('timeline'));
    const next = buttons(first.json!.data).get('Next')!;
    const message = { id: snowflake(), channel_id: CHANNEL_ID, content: first.json!.data!.content ?? '', embeds: first.json!.data!.embeds ?? [], components: first.json!.data!.components ?? [], flags: 0 };
    const i = press(next.custom_id, message as never);
    const r = await post(slowBot, i);
    expect(r.json!.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const edit = await waitFor('the page edit', () => fake.edits.find((e) => e.token === i.token));
    expect((edit.body as { embeds: APIEmbed[] }).embeds[0]!.footer!.text).toMatch(/Page 2 of/);

    // A query too long for a custom_id: the Cite button reads it back from the reply's asked line.
    const query = `containers ${'of military equipment and munitions '.repeat(4)}`.trim();
    const src = await post(bot, slash('source', { query }));
    const cite = buttons(src.json!.data).get('Cite sources')!;
    expect(cite.custom_id.endsWith(':@')).toBe(true);
    const srcMessage = { ...message, id: snowflake(), content: src.json!.data!.content ?? '', embeds: src.json!.data!.embeds ?? [], components: src.json!.data!.components ?? [] };
    const c = press(cite.custom_id, srcMessage as never);
    await post(slowBot, c);
    const citeEdit = await waitFor('the citations', () => fake.edits.find((e) => e.token === c.token));
    expect(citeEdit.files.map((f) => f.name)).toContain('dossier-sources.bib');
  });

  it('pins in HTTP mode with the bot token when the member may', async () => {
    if (!COMMANDS.some((c) => c.name === 'timeline')) return;
    const first = await post(bot, slash('timeline'));
    const pin = buttons(first.json!.data).get('Pin this page')!;
    const message = { id: snowflake(), channel_id: CHANNEL_ID, content: first.json!.data!.content ?? '', embeds: first.json!.data!.embeds ?? [], components: first.json!.data!.components ?? [], flags: 0 };
    const before = fake.pins.length;
    const r = await post(bot, press(pin.custom_id, message as never, { permissions: MODERATOR_PERMS }));
    expect(r.json!.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const p = await waitFor('the pin', () => fake.pins.length > before && fake.pins[fake.pins.length - 1]);
    expect(p.path).toBe(`/channels/${CHANNEL_ID}/messages/pins/${message.id}`);
    expect(p.auth).toBe(`Bot ${TOKEN}`);
  });
});
