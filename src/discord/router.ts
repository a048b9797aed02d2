// Routes every interaction Discord sends — slash commands, autocomplete, buttons and the "Find sources"
// context menu — to the command modules, and answers through a Responder (REST in gateway mode, the HTTP
// response plus REST in HTTP mode). The same code serves both modes. It never throws: one failing
// interaction is logged and answered with an apology, and the process goes on.
import { filesOf } from '../render/export.js';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIEmbed,
  type APIInteraction,
  type APIInteractionResponse,
  type APIMessage,
  type APIMessageComponentInteraction,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { FIND_SOURCES, queryFromMessage } from '../../commands/find-sources.js';
import { type CommandContext, UserError, parseOptions, type DiscordMessage } from '../core/command.js';
import type { Dossier } from '../core/dossier.js';
import { parseLine } from '../console.js';
import { type CiteFile, citationsIn, renderCite } from '../render/discord/cite.js';
import { type Control, type RawOptions, countPages, parseAskedLine, parseControl, withControls, withoutPostPublicly } from '../render/discord/pager.js';
import { NO_MENTIONS, fitChoices, fitMessage } from '../render/limits.js';
import { type AnyCommand, optionNames, slashCommand, slashCommands } from './commands.js';
import type { Logger } from './logger.js';

/** How the router answers one interaction. */
export interface Responder {
  /** The interaction's first response (exactly once, within 3 seconds). */
  callback(response: APIInteractionResponse): Promise<void>;
  /** Edits the original response, or the message a button is on after a deferred update. */
  editOriginal(data: DiscordMessage, files?: CiteFile[]): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(data: DiscordMessage, files?: CiteFile[]): Promise<void>;
  /** Pins a message with the bot's own token. */
  pin(channelId: string, messageId: string, reason: string): Promise<void>;
}

export interface RouterOptions {
  /** The Dossier to answer from (a function, so a reloaded corpus is picked up). */
  dossier: () => Dossier;
  logger: Logger;
  /** Per user and command, between two heavy commands. Default 3 s. */
  cooldownMs?: number;
  /** A command expected to take longer than this is deferred and edited. Default 1.5 s (Discord allows 3). */
  replyBudgetMs?: number;
  now?: () => number;
  /** Called when a command changed the corpus folder, so the living corpus rebuilds at once. */
  corpusChanged?: () => unknown;
}

/** Commands whose pages get a Pin button. */
const PINNABLE = new Set(['timeline']);
/** Commands that do not search the corpus: no cooldown, and answered only to the asker. */
const LIGHT = new Set(['help']);

const EPHEMERAL = MessageFlags.Ephemeral;

export interface Router {
  handle(interaction: APIInteraction, responder: Responder): Promise<void>;
  /** Runs each command once on its first example, so the first real answer is fast and timed. */
  warm(): void;
}

/** Tracks what has been sent for one interaction, so an error is reported the right way. */
class Reply {
  state: 'none' | 'deferred' | 'deferred-update' | 'done' = 'none';
  constructor(readonly r: Responder) {}
  async callback(res: APIInteractionResponse): Promise<void> {
    if (res.type === InteractionResponseType.DeferredChannelMessageWithSource) this.state = 'deferred';
    else if (res.type === InteractionResponseType.DeferredMessageUpdate) this.state = 'deferred-update';
    else this.state = 'done';
    await this.r.callback(res);
  }
  /** Shows `data` to the user: as the response, or as an edit after a deferral. */
  async send(data: DiscordMessage, opts: { update?: boolean; files?: CiteFile[] } = {}): Promise<void> {
    if (this.state === 'deferred' || this.state === 'deferred-update') {
      await this.r.editOriginal(data, opts.files);
      this.state = 'done';
      return;
    }
    await this.callback({ type: opts.update ? InteractionResponseType.UpdateMessage : InteractionResponseType.ChannelMessageWithSource, data });
  }
  /** An ephemeral note to the user (an error, a refusal, a confirmation), whatever was sent before. */
  async note(text: string, ephemeralDeferral = false): Promise<void> {
    const data: DiscordMessage = fitMessage({ content: text, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS });
    if (this.state === 'none') return this.callback({ type: InteractionResponseType.ChannelMessageWithSource, data });
    if (this.state === 'deferred') {
      // A public deferral would show the note to everyone: replace it with a note only the user sees.
      if (!ephemeralDeferral) {
        await this.r.deleteOriginal().catch(() => undefined);
        await this.r.followUp(data);
      } else await this.r.editOriginal(data);
      this.state = 'done';
      return;
    }
    await this.r.followUp(data);
  }
}

function userOf(i: APIInteraction): { id: string; name: string } {
  const u = i.member?.user ?? i.user;
  return { id: u?.id ?? '0', name: u?.username ?? 'someone' };
}

/** Slash-command options as name → value (options of a subcommand flattened). */
function rawOptions(opts: APIApplicationCommandInteractionDataOption[] | undefined): RawOptions {
  const out: RawOptions = {};
  for (const o of opts ?? []) {
    if (o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup) {
      // "/corpus add file: …" arrives as a subcommand option holding its own options: named, then flattened.
      out[o.type === ApplicationCommandOptionType.Subcommand ? 'subcommand' : 'subcommandGroup'] = o.name;
      Object.assign(out, rawOptions(o.options as APIApplicationCommandInteractionDataOption[] | undefined));
    } else if ('value' in o && o.value !== undefined) out[o.name] = o.value as string | number | boolean;
  }
  return out;
}

/** Embeds as we would send them, from a received message (read-only fields dropped). */
function cleanEmbeds(embeds: APIEmbed[] | undefined): APIEmbed[] {
  return (embeds ?? []).map((e) => {
    const out: APIEmbed = {};
    if (e.title) out.title = e.title;
    if (e.description) out.description = e.description;
    if (e.url) out.url = e.url;
    if (e.color !== undefined) out.color = e.color;
    if (e.fields?.length) out.fields = e.fields.map((f) => ({ name: f.name, value: f.value, ...(f.inline ? { inline: true } : {}) }));
    if (e.footer?.text) out.footer = { text: e.footer.text };
    if (e.author?.name) out.author = { name: e.author.name, ...(e.author.url ? { url: e.author.url } : {}) };
    if (e.timestamp) out.timestamp = e.timestamp;
    return out;
  });
}

function cleanComponents(message: APIMessage): DiscordMessage['components'] {
  const rows: NonNullable<DiscordMessage['components']> = [];
  for (const row of message.components ?? []) {
    if (row.type !== ComponentType.ActionRow) continue;
    const buttons = row.components
      .filter((c) => c.type === ComponentType.Button && 'custom_id' in c)
      .map((c) => {
        const b = c as { custom_id: string; label?: string; style: number; disabled?: boolean; emoji?: { name?: string } };
        return {
          type: ComponentType.Button,
          custom_id: b.custom_id,
          style: b.style,
          ...(b.label ? { label: b.label } : {}),
          ...(b.disabled ? { disabled: true } : {}),
          ...(b.emoji?.name ? { emoji: { name: b.emoji.name } } : {}),
        };
      });
    if (buttons.length) rows.push({ type: ComponentType.ActionRow, components: buttons } as never);
  }
  return rows;
}

export function createRouter(opts: RouterOptions): Router {
  const log = opts.logger;
  const now = opts.now ?? (() => performance.now());
  const cooldownMs = opts.cooldownMs ?? 3000;
  const budget = opts.replyBudgetMs ?? 1500;
  const lastUse = new Map<string, number>();
  /** How long each command took lately (ms), to decide between replying and deferring. */
  const estimate = new Map<string, number>();

  /**
   * What a command runs with: the Dossier serving now and, for commands that act on the server (such as
   * changing the corpus), who asked with which permissions in the channel and what files they attached.
   */
  const ctx = (i?: APIInteraction): CommandContext => {
    const c = {
      dossier: opts.dossier(),
      permissions: i ? (i.member?.permissions ?? null) : null,
      attachments: i && i.type === InteractionType.ApplicationCommand && 'resolved' in i.data ? ((i.data.resolved as { attachments?: Record<string, unknown> } | undefined)?.attachments ?? {}) : {},
      ...(opts.corpusChanged ? { corpusChanged: opts.corpusChanged } : {}),
    };
    // Typed loosely: CommandContext grows optional fields as commands need them.
    return c as unknown as CommandContext;
  };
  /** A module's `runAsync` when it has one (commands that must wait), else its `run`. */
  const isAsync = (mod: AnyCommand) => typeof (mod as { runAsync?: unknown }).runAsync === 'function';
  const run = async (mod: AnyCommand, options: unknown, c: CommandContext): Promise<unknown> =>
    isAsync(mod) ? (mod as unknown as { runAsync: (o: unknown, c: CommandContext) => Promise<unknown> }).runAsync(options, c) : mod.run(options, c);

  function record(command: string, ms: number): void {
    const prev = estimate.get(command);
    estimate.set(command, prev === undefined ? ms : Math.max(ms, prev * 0.7 + ms * 0.3));
  }
  const slow = (command: string) => (estimate.get(command) ?? 0) > budget;

  /** A refusal message when the user asked this command too recently; null when they may. */
  function cooldown(userId: string, command: string): string | null {
    if (LIGHT.has(command) || cooldownMs <= 0) return null;
    const key = `${userId}:${command}`;
    const t = now();
    const last = lastUse.get(key);
    if (last !== undefined && t - last < cooldownMs) {
      const wait = Math.max(1, Math.ceil((cooldownMs - (t - last)) / 1000));
      return `You're asking quickly: try ${command === 'source' ? '/source' : `/${command}`} again in ${wait} s. (Answers are shared with the whole server, so each person waits a moment between searches.)`;
    }
    lastUse.set(key, t);
    if (lastUse.size > 10_000) for (const [k, v] of lastUse) if (t - v > cooldownMs) lastUse.delete(k);
    return null;
  }

  /** A command's answer as a message: the page asked for, its controls, within Discord's limits. */
  function build(mod: AnyCommand, answer: unknown, raw: RawOptions, page: number, ephemeral: boolean): DiscordMessage {
    if (LIGHT.has(mod.name)) return fitMessage({ ...mod.render.discord(answer, { page }), flags: EPHEMERAL });
    const render = (p: number) => mod.render.discord(answer, { page: p });
    // The renderer's own count when it has one (a timeline can run to more than the 200 pages counted).
    const pages = mod.render.pages ? Math.max(1, mod.render.pages(answer)) : countPages(render);
    const shown = Math.min(Math.max(0, page), pages - 1);
    const msg = withControls(render(shown), {
      command: mod.name,
      options: raw,
      page: shown,
      pages,
      pin: PINNABLE.has(mod.name),
      cite: citationsIn(answer, 1).length > 0,
      postPublicly: ephemeral,
    });
    return fitMessage(ephemeral ? { ...msg, flags: EPHEMERAL } : msg);
  }

  /** Runs a command and answers: directly when it is expected to be fast, else deferred then edited. */
  async function answer(reply: Reply, i: APIInteraction, mod: AnyCommand, raw: RawOptions, o: { page: number; ephemeral: boolean; update: boolean }): Promise<void> {
    const options = parseOptions(mod, raw);
    const ephemeral = o.ephemeral || LIGHT.has(mod.name);
    // Attachments (exports, the timeline image) can only go with an edit after a deferral, and a page
    // update keeps the files the message already has.
    const attaching = !o.update && (raw.format !== undefined || raw.image === true);
    // Work this answer needs that is still being made in the background (the timeline's merge in a worker
    // thread): the reply is deferred and waits for it, rather than doing it again on this thread.
    const c = ctx(i);
    const waiting = mod.pending?.(options, c) ?? null;
    if (slow(mod.name) || isAsync(mod) || attaching || waiting) {
      await reply.callback(
        o.update
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: EPHEMERAL } : {} },
      );
    }
    if (waiting) await waiting;
    const t0 = now();
    const result = await run(mod, options, c);
    const msg = build(mod, result, raw, o.page, ephemeral);
    record(mod.name, now() - t0);
    const files = attaching ? filesOf(mod, result) : [];
    if (files.length > 0 && reply.state === 'none')
      await reply.callback({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: ephemeral ? { flags: EPHEMERAL } : {} });
    await reply.send(o.update ? { ...msg, flags: undefined } : msg, { update: o.update, ...(files.length ? { files } : {}) });
  }

  async function chatInput(i: Extract<APIInteraction, { type: InteractionType.ApplicationCommand }>, reply: Reply): Promise<string> {
    const data = i.data;
    if (data.type === ApplicationCommandType.Message) {
      if (data.name !== FIND_SOURCES) throw new UserError('This bot does not know that command any more. Ask a moderator to run `npm run deploy`.');
      const target = data.resolved.messages[data.target_id];
      if (!target) throw new UserError('Discord did not send the message to look at. Try again, or use /source query: <the claim>.');
      const refusal = cooldown(userOf(i).id, 'source');
      if (refusal) return reply.note(refusal).then(() => 'cooldown');
      const mod = slashCommand('source');
      if (!mod) throw new UserError('/source is not available on this bot.');
      await answer(reply, i, mod, { query: queryFromMessage(target) }, { page: 0, ephemeral: true, update: false });
      return FIND_SOURCES;
    }
    if (data.type !== ApplicationCommandType.ChatInput) throw new UserError('This bot does not know that command. Ask a moderator to run `npm run deploy`.');
    const mod = slashCommand(data.name);
    if (!mod) throw new UserError(`This bot does not know /${data.name} any more. Ask a moderator to run \`npm run deploy\`; /help lists what it knows.`);
    const raw = rawOptions('options' in data ? data.options : undefined);
    parseOptions(mod, raw); // a bad option is explained before anything else happens
    const refusal = cooldown(userOf(i).id, mod.name);
    if (refusal) return reply.note(refusal).then(() => 'cooldown');
    await answer(reply, i, mod, raw, { page: 0, ephemeral: false, update: false });
    return `/${mod.name}`;
  }

  async function autocomplete(i: Extract<APIInteraction, { type: InteractionType.ApplicationCommandAutocomplete }>, reply: Reply): Promise<string> {
    const mod = slashCommand(i.data.name);
    const focused = findFocused(i.data.options);
    let choices: ReturnType<typeof fitChoices> = [];
    if (mod?.autocomplete && focused) {
      try {
        choices = fitChoices(mod.autocomplete(focused.name, String(focused.value ?? ''), ctx(i)));
      } catch (e) {
        log.warn({ err: e, command: mod.name }, 'autocomplete failed; offering no choices');
      }
    }
    await reply.callback({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } });
    return `autocomplete /${i.data.name}`;
  }

  /** The options a button's command was asked with: from its custom_id, or the message's asked line. */
  function optionsFor(ctl: { command: string; options: RawOptions | null }, mod: AnyCommand, message: APIMessage): RawOptions {
    const raw = ctl.options ?? parseAskedLine(message.content, ctl.command, optionNames(mod));
    if (!raw) throw new UserError('This message is too old to use its buttons. Ask again with the command.');
    return raw;
  }

  async function component(i: APIMessageComponentInteraction, reply: Reply): Promise<string> {
    const ctl: Control | null = parseControl(i.data.custom_id);
    const message = i.message;
    const ephemeralMessage = ((message.flags ?? 0) & EPHEMERAL) !== 0;
    if (!ctl) throw new UserError('This button belongs to an older version of the bot. Ask again with the command.');
    switch (ctl.kind) {
      case 'info':
        await reply.callback({ type: InteractionResponseType.DeferredMessageUpdate });
        return 'info';
      case 'public': {
        if (!ephemeralMessage) throw new UserError('This answer is already public.');
        const posted = withoutPostPublicly({
          content: `${message.content ? `${message.content}\n` : ''}-# posted by <@${userOf(i).id}>`,
          embeds: cleanEmbeds(message.embeds),
          components: cleanComponents(message),
        });
        await reply.callback({ type: InteractionResponseType.ChannelMessageWithSource, data: fitMessage(posted) });
        return 'post publicly';
      }
      case 'page': {
        const mod = slashCommand(ctl.command);
        if (!mod) throw new UserError(`/${ctl.command} is not available any more.`);
        await answer(reply, i, mod, optionsFor(ctl, mod, message), { page: ctl.page, ephemeral: ephemeralMessage, update: true });
        return `page ${ctl.page + 1} of /${ctl.command}`;
      }
      case 'pin':
        return pin(i, reply);
      case 'cite': {
        const mod = slashCommand(ctl.command);
        if (!mod) throw new UserError(`/${ctl.command} is not available any more.`);
        const raw = optionsFor(ctl, mod, message);
        const options = parseOptions(mod, raw);
        const refusal = cooldown(userOf(i).id, 'cite');
        if (refusal) return reply.note(refusal).then(() => 'cooldown');
        await reply.callback({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } });
        const c = ctx(i);
        const { message: msg, files } = renderCite(citationsIn(await run(mod, options, c)), c.dossier);
        await reply.send(fitMessage({ ...msg, flags: EPHEMERAL }), { files });
        return `cite /${ctl.command}`;
      }
    }
  }

  async function pin(i: APIMessageComponentInteraction, reply: Reply): Promise<string> {
    const message = i.message;
    if (((message.flags ?? 0) & EPHEMERAL) !== 0) {
      throw new UserError('Only you can see this answer, so it cannot be pinned. Press **Post publicly** first, then **Pin this page** on the posted copy.');
    }
    if (!i.guild_id || !i.member) throw new UserError('Pinning works in a server channel, not in direct messages.');
    // Discord split pinning out of Manage Messages: Pin Messages (1 << 51) is what allows it now.
    const member = BigInt(i.member.permissions ?? '0');
    if ((member & PermissionFlagsBits.PinMessages) === 0n) {
      await reply.note('You need the **Pin Messages** permission in this channel to pin. Ask a moderator to pin it (anyone can still read it here).');
      return 'pin refused: member lacks Pin Messages';
    }
    const app = BigInt(i.app_permissions ?? '0');
    if ((app & PermissionFlagsBits.PinMessages) === 0n) {
      await reply.note("I can't pin in this channel: give Dossier's role the **Pin Messages** permission here, then press the button again.");
      return 'pin refused: bot lacks Pin Messages';
    }
    await reply.callback({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: EPHEMERAL } });
    const user = userOf(i);
    try {
      await reply.r.pin(i.channel.id, message.id, `Pinned with Dossier by ${user.name} (${user.id})`);
    } catch (e) {
      const code = (e as { code?: number }).code;
      log.warn({ err: e, channel: i.channel.id, message: message.id }, 'pin failed');
      const why =
        code === 30003
          ? 'this channel already has the most pins Discord allows; unpin one first'
          : code === 50013
            ? 'Discord says I lack the permission to pin here; give Dossier **Pin Messages** in this channel'
            : 'Discord refused the pin; try again in a moment';
      await reply.note(`Could not pin: ${why}.`, true);
      return 'pin failed';
    }
    await reply.note('📌 Pinned this page to the channel.', true);
    return 'pinned';
  }

  async function handle(i: APIInteraction, responder: Responder): Promise<void> {
    const reply = new Reply(responder);
    const t0 = now();
    let what = `type ${i.type}`;
    try {
      switch (i.type) {
        case InteractionType.Ping:
          await reply.callback({ type: InteractionResponseType.Pong });
          what = 'ping';
          break;
        case InteractionType.ApplicationCommand:
          what = await chatInput(i, reply);
          break;
        case InteractionType.ApplicationCommandAutocomplete:
          what = await autocomplete(i, reply);
          break;
        case InteractionType.MessageComponent:
          what = await component(i, reply);
          break;
        default:
          throw new UserError('This bot does not handle that kind of interaction.');
      }
      log.info({ interaction: i.id, user: userOf(i).id, what, ms: Math.round(now() - t0) }, 'answered');
    } catch (e) {
      if (e instanceof UserError) {
        log.info({ interaction: i.id, user: userOf(i).id, what, reason: e.message }, 'user error');
        await reply.note(`⚠ ${e.message}`).catch((err: unknown) => log.warn({ err, interaction: i.id }, 'could not send the error note'));
        return;
      }
      log.error({ err: e, interaction: i.id, what }, 'interaction failed');
      if (i.type === InteractionType.Ping || i.type === InteractionType.ApplicationCommandAutocomplete) {
        if (reply.state === 'none') {
          const res: APIInteractionResponse =
            i.type === InteractionType.Ping ? { type: InteractionResponseType.Pong } : { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
          await reply.callback(res).catch(() => undefined);
        }
        return;
      }
      await reply
        .note("⚠ Something went wrong on Dossier's side answering this. Try again; if it keeps happening, tell the server's moderators.")
        .catch((err: unknown) => log.warn({ err, interaction: i.id }, 'could not send the apology'));
    }
  }

  function warm(): void {
    for (const mod of slashCommands()) {
      const example = mod.help.examples[0];
      if (!example || mod.warmsInBackground) continue;
      try {
        const { raw } = parseLine(example);
        const t0 = now();
        const result = mod.run(parseOptions(mod, raw), ctx());
        build(mod, result, raw, 0, false);
        record(mod.name, now() - t0);
      } catch (e) {
        log.debug({ err: e, command: mod.name }, 'warm-up example did not run');
      }
    }
  }

  return { handle, warm };
}

function findFocused(opts: APIApplicationCommandInteractionDataOption[] | undefined): { name: string; value?: unknown } | undefined {
  for (const o of opts ?? []) {
    if ('focused' in o && o.focused) return { name: o.name, value: (o as { value?: unknown }).value };
    if ('options' in o && o.options) {
      const inner = findFocused(o.options as APIApplicationCommandInteractionDataOption[]);
      if (inner) return inner;
    }
  }
  return undefined;
}
