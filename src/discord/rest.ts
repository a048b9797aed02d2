// REST: one client for both modes (API base from DISCORD_API_URL), and the Responder that answers an
// interaction through it: the callback endpoint, the interaction webhook (edits, follow-ups) and pins.
import { REST } from 'discord.js';
import { type APIInteraction, type APIInteractionResponse, Routes } from 'discord-api-types/v10';
import type { DiscordMessage } from '../core/command.js';
import type { CiteFile } from '../render/discord/cite.js';
import type { Config } from './config.js';
import type { Responder } from './router.js';

export function createRest(cfg: Pick<Config, 'DISCORD_API_URL' | 'DISCORD_TOKEN'>): REST {
  const rest = new REST({ version: '10', ...(cfg.DISCORD_API_URL ? { api: cfg.DISCORD_API_URL } : {}) });
  if (cfg.DISCORD_TOKEN) rest.setToken(cfg.DISCORD_TOKEN);
  return rest;
}

const asFiles = (files?: CiteFile[]) => files?.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));

/**
 * Answers `interaction` through REST. `callback` replaces the first response when the transport has its
 * own way of sending it (the HTTP mode answers in the HTTP response).
 */
export function restResponder(rest: REST, interaction: APIInteraction, callback?: (res: APIInteractionResponse) => Promise<void>): Responder {
  const hook = (msg: string) => Routes.webhookMessage(interaction.application_id, interaction.token, msg);
  return {
    callback:
      callback ??
      (async (res) => {
        await rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: res, auth: false });
      }),
    async editOriginal(data: DiscordMessage, files?: CiteFile[]) {
      await rest.patch(hook('@original'), { body: data, auth: false, ...(files?.length ? { files: asFiles(files) } : {}) });
    },
    async deleteOriginal() {
      await rest.delete(hook('@original'), { auth: false });
    },
    async followUp(data: DiscordMessage, files?: CiteFile[]) {
      await rest.post(Routes.webhook(interaction.application_id, interaction.token), { body: data, auth: false, ...(files?.length ? { files: asFiles(files) } : {}) });
    },
    async pin(channelId: string, messageId: string, reason: string) {
      await rest.put(Routes.channelMessagesPin(channelId, messageId), { reason });
    },
  };
}
