// Gateway mode: a discord.js Client with the one intent Dossier needs (Guilds: slash commands, buttons and
// context menus arrive as interactions, which need no privileged intent, not even Message Content). Every
// INTERACTION_CREATE goes to the router as Discord's raw payload and is answered over REST, exactly as in
// HTTP mode. discord.js keeps the connection: heartbeats, resume and reconnect.
import { createInFlight } from '../process.js';
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, type GatewayDispatchPayload } from 'discord.js';
import type { APIInteraction } from 'discord-api-types/v10';
import type { Dossier } from '../core/dossier.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { restResponder } from './rest.js';
import { type RouterOptions, createRouter } from './router.js';

export interface GatewayBot {
  client: Client;
  /** Logs out and closes the connection; resolves when it is closed. */
  stop(): Promise<void>;
}

export interface GatewayOptions {
  logger: Logger;
  dossier: () => Dossier;
  router?: Partial<Omit<RouterOptions, 'dossier' | 'logger'>>;
}

/** Logs in and resolves once the client is ready (its guilds have arrived). */
export async function startGateway(cfg: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_API_URL'>, o: GatewayOptions): Promise<GatewayBot> {
  const log = o.logger.child({ mode: 'gateway' });
  const router = createRouter({ dossier: o.dossier, logger: log, ...o.router });
  router.warm();
  /** Interactions being answered: a shutdown lets them finish before disconnecting. */
  const inFlight = createInFlight();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: cfg.DISCORD_API_URL ? { api: cfg.DISCORD_API_URL } : {},
  });

  client.on(Events.Raw, (packet: GatewayDispatchPayload) => {
    if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
    const interaction = packet.d as unknown as APIInteraction;
    inFlight.track(router.handle(interaction, restResponder(client.rest, interaction))).catch((err: unknown) => log.error({ err, interaction: interaction.id }, 'interaction handler failed'));
  });
  client.on(Events.ClientReady, (c) => log.info({ user: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord'));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ shard, code: ev.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.on(Events.ShardError, (err, shard) => log.error({ err, shard }, 'gateway error'));
  client.on(Events.Error, (err) => log.error({ err }, 'client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord.js warning'));
  client.on(Events.Debug, (message) => log.trace({ message }, 'discord.js'));

  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(cfg.DISCORD_TOKEN);
  await ready;

  let stopping: Promise<void> | null = null;
  return {
    client,
    stop() {
      stopping ??= (async () => {
        inFlight.close();
        if (inFlight.size > 0) log.info({ inFlight: inFlight.size }, 'letting interactions in flight finish');
        if (!(await inFlight.drain(8000))) log.warn({ inFlight: inFlight.size }, 'interactions still running at shutdown');
        log.info('disconnecting from Discord');
        await client.destroy();
      })();
      return stopping;
    },
  };
}
