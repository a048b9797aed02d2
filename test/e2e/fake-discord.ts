// A Discord-compatible server for the end-to-end tests, on 127.0.0.1 at a random port: the REST routes
// the bot uses (under /api/v10) and a gateway over `ws` (HELLO, IDENTIFY → READY + GUILD_CREATE,
// heartbeats and their ACKs, RESUME → replay + RESUMED, dispatches). It records everything the bot sends
// so tests can assert on it, and it can drop the gateway connection to prove the bot comes back.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIGuild,
  type APIInteractionResponse,
  type APIMessage,
  type APIUser,
  type ApplicationFlags,
  ChannelType,
  type GatewayDispatchPayload,
  GatewayDispatchEvents,
  type GatewayGuildCreateDispatchData,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  InteractionResponseType,
  MessageType,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';

export const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.fake.dossier-e2e-token-0123456789';
export const APP_ID = '100000000000000001';
export const GUILD_ID = '200000000000000002';
export const CHANNEL_ID = '300000000000000003';
export const BOT_USER: APIUser = { id: APP_ID, username: 'Dossier', discriminator: '0', global_name: 'Dossier', avatar: null, bot: true };

let counter = 0;
/** A snowflake for now (Discord epoch), unique within the run. */
export function snowflake(): string {
  const ms = BigInt(Date.now() - 1420070400000);
  counter = (counter + 1) % 4096;
  return ((ms << 22n) | BigInt(counter)).toString();
}

/** A message in the test channel: Discord's fields with empty defaults, `fields` on top. */
export function channelMessage(fields: Partial<APIMessage>): APIMessage {
  return {
    id: snowflake(),
    channel_id: CHANNEL_ID,
    author: BOT_USER,
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    ...fields,
  } as APIMessage;
}

export interface RecordedFile {
  name: string;
  type: string;
  text: string;
}

export interface Recorded {
  method: string;
  path: string;
  auth: string | undefined;
  body: unknown;
  files: RecordedFile[];
  at: number;
}

export interface Callback extends Recorded {
  interactionId: string;
  token: string;
  response: APIInteractionResponse;
  /** The message a type-4 response created (so a test can press its buttons). */
  message?: APIMessage;
}

export interface WebhookCall extends Recorded {
  token: string;
  /** The message as it is after the call (an edit of @original, or a new follow-up). */
  message?: APIMessage;
}

export interface FakeDiscord {
  apiUrl: string;
  gatewayUrl: string;
  callbacks: Callback[];
  edits: WebhookCall[];
  followUps: WebhookCall[];
  deletes: WebhookCall[];
  pins: Recorded[];
  requests: Recorded[];
  unexpected: Recorded[];
  identifies: { token: string; intents: number }[];
  resumes: { session_id: string; seq: number }[];
  heartbeats: number;
  acks: number;
  /** Live gateway connections. */
  connections(): number;
  /** Sends a dispatch to the bot (queued and replayed if the connection is down, as Discord does). */
  dispatch(t: GatewayDispatchEvents, d: unknown): void;
  /** Kills the gateway connection without a close frame (as a network failure would). */
  dropConnection(): void;
  /** Interactions whose callback is refused as Discord refuses an expired one (10062 Unknown interaction). */
  expired: Set<string>;
  /** Makes the next pin requests fail with this Discord error (status, code); null to succeed. */
  failPins: { status: number; code: number; message: string } | null;
  /** Milliseconds the server takes before it accepts an interaction callback (as a slow network would). */
  callbackDelayMs: number;
  close(): Promise<void>;
}

/** Resolves with the first truthy value of `fn`, polling; rejects after `ms` with `what` in the message. */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const buf = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (buf.length === 0) return { body: null, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: buf }).formData();
    let body: unknown = null;
    const files: RecordedFile[] = [];
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') files.push({ name: value.name, type: value.type, text: await value.text() });
    }
    return { body, files };
  }
  return { body: JSON.parse(buf.toString('utf8')), files: [] };
}

function guildCreate(): GatewayGuildCreateDispatchData {
  const guild = {
    id: GUILD_ID,
    name: 'Newsroom',
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: '400000000000000004',
    region: 'us-east',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [
      { id: GUILD_ID, name: '@everyone', color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position: 0, permissions: '1024', managed: false, mentionable: false, flags: 0 },
    ],
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  } as unknown as APIGuild;
  return {
    ...guild,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [],
    channels: [{ id: CHANNEL_ID, type: ChannelType.GuildText, name: 'news', guild_id: GUILD_ID, position: 0, permission_overwrites: [], nsfw: false, topic: null, last_message_id: null, parent_id: null, rate_limit_per_user: 0, flags: 0 }],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  } as unknown as GatewayGuildCreateDispatchData;
}

export async function startFakeDiscord(opts: { heartbeatMs?: number } = {}): Promise<FakeDiscord> {
  const heartbeatMs = opts.heartbeatMs ?? 250;
  const messages = new Map<string, APIMessage>(); // by interaction token: the @original message
  const sessionId = `session-${snowflake()}`;
  let seq = 0;
  const sent: GatewayDispatchPayload[] = [];
  let socket: WebSocket | null = null;
  let identified = false;

  const fake: FakeDiscord = {
    apiUrl: '',
    gatewayUrl: '',
    callbacks: [],
    callbackDelayMs: 0,
    edits: [],
    followUps: [],
    deletes: [],
    pins: [],
    requests: [],
    unexpected: [],
    identifies: [],
    resumes: [],
    heartbeats: 0,
    acks: 0,
    failPins: null,
    expired: new Set(),
    connections: () => wss.clients.size,
    dispatch(t, d) {
      const payload = { op: GatewayOpcodes.Dispatch, t, s: ++seq, d } as GatewayDispatchPayload;
      sent.push(payload);
      if (socket && identified && socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
    },
    dropConnection() {
      identified = false;
      socket?.terminate();
      socket = null;
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const makeMessage = (data: Partial<APIMessage> & { flags?: number }, id = snowflake()): APIMessage =>
    channelMessage({
      id,
      author: BOT_USER,
      content: data.content ?? '',
      embeds: data.embeds ?? [],
      components: data.components ?? [],
      type: MessageType.ChatInputCommand,
      flags: (data.flags ?? 0) as APIMessage['flags'],
      application_id: APP_ID,
    });

  function reply(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const { body, files } = await readBody(req);
    const rec: Recorded = { method, path, auth: req.headers.authorization, body, files, at: Date.now() };
    fake.requests.push(rec);
    const botAuth = rec.auth === `Bot ${TOKEN}`;
    let m: RegExpExecArray | null;

    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      if (path === '/gateway/bot' && !botAuth) return reply(res, 401, { message: '401: Unauthorized', code: 0 });
      return reply(res, 200, { url: fake.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      if (fake.callbackDelayMs > 0) await new Promise((r) => setTimeout(r, fake.callbackDelayMs));
      if (fake.expired.has(m[1]!)) {
        fake.unexpected.push({ ...rec, path: `${path} (expired on purpose)` });
        return reply(res, 404, { message: 'Unknown interaction', code: 10062 });
      }
      const response = body as APIInteractionResponse;
      const cb: Callback = { ...rec, interactionId: m[1]!, token: m[2]!, response };
      if (response.type === InteractionResponseType.ChannelMessageWithSource || response.type === InteractionResponseType.DeferredChannelMessageWithSource) {
        const data = ('data' in response ? response.data : undefined) ?? {};
        cb.message = makeMessage(data as Partial<APIMessage>);
        messages.set(cb.token, cb.message);
      }
      fake.callbacks.push(cb);
      return reply(res, 204);
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      const token = m[2]!;
      const call: WebhookCall = { ...rec, token };
      if (m[1] !== APP_ID) return reply(res, 404, { message: 'Unknown Webhook', code: 10015 });
      if (method === 'PATCH' && m[3] === '@original') {
        const prev = messages.get(token) ?? makeMessage({});
        call.message = { ...prev, ...(body as object), edited_timestamp: new Date().toISOString() } as APIMessage;
        messages.set(token, call.message);
        fake.edits.push(call);
        return reply(res, 200, call.message);
      }
      if (method === 'DELETE' && m[3] === '@original') {
        fake.deletes.push(call);
        messages.delete(token);
        return reply(res, 204);
      }
      if (method === 'POST' && !m[3]) {
        call.message = makeMessage(body as Partial<APIMessage>);
        fake.followUps.push(call);
        return reply(res, 200, call.message);
      }
    }
    if (method === 'PUT' && (m = /^\/channels\/(\d+)\/(?:messages\/)?pins\/(\d+)$/.exec(path))) {
      if (!botAuth) return reply(res, 401, { message: '401: Unauthorized', code: 0 });
      if (fake.failPins) return reply(res, fake.failPins.status, { message: fake.failPins.message, code: fake.failPins.code });
      fake.pins.push(rec);
      return reply(res, 204);
    }
    if (method === 'PUT' && /^\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/.test(path)) {
      if (!botAuth) return reply(res, 401, { message: '401: Unauthorized', code: 0 });
      const list = (body as { name: string }[]).map((c) => ({ ...c, id: snowflake(), application_id: APP_ID, version: snowflake() }));
      return reply(res, 200, list);
    }
    if (method === 'GET' && path === '/users/@me') return reply(res, 200, BOT_USER);
    fake.unexpected.push(rec);
    return reply(res, 404, { message: '404: Not Found', code: 0 });
  }

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, sock, head) => {
    if (!(req.url ?? '').startsWith('/gateway')) {
      sock.destroy();
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    socket = ws;
    identified = false;
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: heartbeatMs } }));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | number | null };
      switch (msg.op) {
        case GatewayOpcodes.Heartbeat:
          fake.heartbeats++;
          ws.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          fake.acks++;
          break;
        case GatewayOpcodes.Identify: {
          const d = msg.d as { token: string; intents: number };
          fake.identifies.push({ token: d.token, intents: d.intents });
          if (d.token !== TOKEN) {
            ws.close(4004, 'Authentication failed');
            return;
          }
          identified = true;
          const ready: GatewayReadyDispatchData = {
            v: 10,
            user: BOT_USER,
            guilds: [{ id: GUILD_ID, unavailable: true }],
            session_id: sessionId,
            resume_gateway_url: fake.gatewayUrl,
            shard: [0, 1],
            application: { id: APP_ID, flags: 0 as ApplicationFlags, flags_new: '0' } as GatewayReadyDispatchData['application'],
          };
          const readyPayload = { op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Ready, s: ++seq, d: ready };
          sent.push(readyPayload as GatewayDispatchPayload);
          ws.send(JSON.stringify(readyPayload));
          fake.dispatch(GatewayDispatchEvents.GuildCreate, guildCreate());
          break;
        }
        case GatewayOpcodes.Resume: {
          const d = msg.d as { token: string; session_id: string; seq: number };
          fake.resumes.push({ session_id: d.session_id, seq: d.seq });
          if (d.token !== TOKEN || d.session_id !== sessionId) {
            ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
            return;
          }
          identified = true;
          for (const p of sent) if (p.s > d.seq) ws.send(JSON.stringify(p));
          fake.dispatch(GatewayDispatchEvents.Resumed, {});
          break;
        }
        default:
          break;
      }
    });
    ws.on('close', () => {
      if (socket === ws) {
        socket = null;
        identified = false;
      }
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  fake.apiUrl = `http://127.0.0.1:${port}/api`;
  fake.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  return fake;
}
