// HTTP interactions mode: Discord POSTs each interaction to /interactions. Each request is verified
// (Ed25519 over timestamp + body, with the application's public key; a stale timestamp is refused), PING
// is answered with PONG, and everything else goes to the same router as the gateway mode: the first
// response is the HTTP response, edits and follow-ups go over REST. Nothing is kept between requests,
// so any number of replicas can stand behind a load balancer.
import { createInFlight } from '../process.js';
import { type KeyObject, createPublicKey, verify } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { APIInteraction, APIInteractionResponse } from 'discord-api-types/v10';
import type { Dossier } from '../core/dossier.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createRest, restResponder } from './rest.js';
import { type RouterOptions, createRouter } from './router.js';

/** How far a request's timestamp may be from now (either way) before it is refused as a replay. */
export const MAX_SKEW_SECONDS = 300;
const MAX_BODY = 1024 * 1024;
/** DER header of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks Discord's signature headers for `body`. */
export function verifyRequest(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer, nowSeconds = Date.now() / 1000): Verdict {
  if (!signature || !timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp' };
  const good = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
  return good ? { ok: true } : { ok: false, reason: 'bad signature' };
}

export interface HttpBot {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

export interface HttpOptions {
  logger: Logger;
  dossier: () => Dossier;
  router?: Partial<Omit<RouterOptions, 'dossier' | 'logger'>>;
  host?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' });
  res.end(text);
}

export async function startHttp(cfg: Pick<Config, 'DISCORD_PUBLIC_KEY' | 'DISCORD_TOKEN' | 'DISCORD_API_URL' | 'PORT'>, o: HttpOptions): Promise<HttpBot> {
  const log = o.logger.child({ mode: 'http' });
  if (!cfg.DISCORD_PUBLIC_KEY) throw new Error('DISCORD_PUBLIC_KEY is required in HTTP mode');
  const key = publicKeyFromHex(cfg.DISCORD_PUBLIC_KEY);
  const rest = createRest(cfg);
  const router = createRouter({ dossier: o.dossier, logger: log, ...o.router });
  /** Interactions being answered: a shutdown lets them finish. */
  const inFlight = createInFlight();
  router.warm();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return send(res, 200, 'ok');
    if (path !== '/interactions') return send(res, 404, 'not found');
    if (req.method !== 'POST') return send(res, 405, 'POST only');
    const body = await readBody(req);
    if (!body) return send(res, 413, 'too large');
    const verdict = verifyRequest(key, header(req, 'x-signature-ed25519'), header(req, 'x-signature-timestamp'), body);
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason, ip: req.socket.remoteAddress }, 'refused an unverified request');
      return send(res, 401, `invalid request signature (${verdict.reason})`);
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
      if (!interaction || typeof interaction !== 'object' || typeof interaction.type !== 'number') throw new Error('not an interaction');
    } catch {
      return send(res, 400, 'bad JSON');
    }
    let answered = false;
    const first = new Promise<APIInteractionResponse | null>((resolve) => {
      const responder = restResponder(rest, interaction, async (response) => {
        answered = true;
        resolve(response);
      });
      inFlight
        .track(router.handle(interaction, responder))
        .catch((err: unknown) => log.error({ err, interaction: interaction.id }, 'interaction handler failed'))
        .finally(() => resolve(null));
    });
    const response = await first;
    if (!response || !answered) return send(res, 500, 'no response');
    send(res, 200, response);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) send(res, 500, 'error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.PORT, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.PORT;
  log.info({ port }, 'listening for interactions at POST /interactions');
  return {
    server,
    port,
    // Stop taking requests, let the interactions in flight finish (their follow-up edits included), then close.
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      inFlight.close();
      if (!(await inFlight.drain(8000))) log.warn({ inFlight: inFlight.size }, 'interactions still running at shutdown');
      server.closeAllConnections();
      await closed;
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
