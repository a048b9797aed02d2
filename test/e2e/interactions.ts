// Interactions as Discord sends them (typed with discord-api-types): slash commands, autocomplete, button
// presses and the message context menu, from a member with the permissions a test gives.
import {
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentButtonInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { APP_ID, CHANNEL_ID, GUILD_ID, channelMessage, snowflake } from './fake-discord.js';

/** What an ordinary member may do in the channel: read and send, not pin. */
export const MEMBER_PERMS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.UseApplicationCommands;
export const MODERATOR_PERMS = MEMBER_PERMS | PermissionFlagsBits.PinMessages;
/** What the bot is invited with. */
export const BOT_PERMS =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.PinMessages;

export interface Who {
  userId?: string;
  permissions?: bigint;
  appPermissions?: bigint;
}

let users = 0;
/** A new user id for each interaction unless a test names one (so cooldowns only bite where tested). */
export const newUser = () => (500000000000000000n + BigInt(++users)).toString();

function member(who: Who): APIInteractionGuildMember {
  const id = who.userId ?? newUser();
  return {
    user: { id, username: `reader${id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null },
    roles: [],
    permissions: String(who.permissions ?? MEMBER_PERMS),
    joined_at: '2023-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
  } as unknown as APIInteractionGuildMember;
}

function base(who: Who) {
  return {
    id: snowflake(),
    application_id: APP_ID,
    guild_id: GUILD_ID,
    guild: { id: GUILD_ID, features: [], locale: Locale.EnglishUS },
    channel: { id: CHANNEL_ID, type: ChannelType.GuildText },
    channel_id: CHANNEL_ID,
    member: member(who),
    token: `tok-${snowflake()}-${Math.random().toString(36).slice(2)}`,
    version: 1 as const,
    app_permissions: String(who.appPermissions ?? BOT_PERMS),
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { 0: GUILD_ID },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}

function options(values: Record<string, string | number | boolean>, focused?: string): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, value]) => {
    const type =
      typeof value === 'boolean' ? ApplicationCommandOptionType.Boolean : typeof value === 'number' ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.String;
    return { name, type, value, ...(focused === name ? { focused: true } : {}) } as APIApplicationCommandInteractionDataBasicOption;
  });
}

/** A slash command; `subcommand` in `values` sends the others as that subcommand's options, as Discord does. */
export function slash(name: string, values: Record<string, string | number | boolean> = {}, who: Who = {}): APIChatInputApplicationCommandGuildInteraction {
  const { subcommand, ...rest } = values;
  const opts = typeof subcommand === 'string' ? [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options: options(rest) }] : options(values);
  return {
    ...base(who),
    type: InteractionType.ApplicationCommand,
    data: { id: snowflake(), name, type: ApplicationCommandType.ChatInput, options: opts, guild_id: GUILD_ID },
  } as APIChatInputApplicationCommandGuildInteraction;
}

export function autocomplete(name: string, values: Record<string, string | number | boolean>, focused: string, who: Who = {}): APIApplicationCommandAutocompleteGuildInteraction {
  return {
    ...base(who),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: { id: snowflake(), name, type: ApplicationCommandType.ChatInput, options: options(values, focused), guild_id: GUILD_ID },
  } as APIApplicationCommandAutocompleteGuildInteraction;
}

export function press(customId: string, message: APIMessage, who: Who = {}): APIMessageComponentButtonInteraction {
  return {
    ...base(who),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } as APIMessageComponentButtonInteraction;
}

/** A message someone wrote in the channel. */
export function userMessage(content: string): APIMessage {
  return channelMessage({ author: { id: newUser(), username: 'poster', discriminator: '0', global_name: null, avatar: null }, content });
}

export function findSources(target: APIMessage, who: Who = {}): APIMessageApplicationCommandGuildInteraction {
  return {
    ...base(who),
    type: InteractionType.ApplicationCommand,
    data: {
      id: snowflake(),
      name: 'Find sources',
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
      guild_id: GUILD_ID,
    },
  } as APIMessageApplicationCommandGuildInteraction;
}

/** The custom_ids of a message's buttons, by label. */
export function buttons(message: { components?: unknown[] } | undefined): Map<string, { custom_id: string; disabled: boolean }> {
  const out = new Map<string, { custom_id: string; disabled: boolean }>();
  for (const row of (message?.components ?? []) as { components?: { label?: string; custom_id?: string; disabled?: boolean }[] }[]) {
    for (const b of row.components ?? []) if (b.label && b.custom_id) out.set(b.label, { custom_id: b.custom_id, disabled: b.disabled === true });
  }
  return out;
}
