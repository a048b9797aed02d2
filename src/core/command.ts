// What every command module is: its Discord definition, its options (zod), a call into the pure core,
// and the renderers that lay its answer out. Discord, the console and the CLI all go through this.
import type { APIApplicationCommandOptionChoice, APIInteractionResponseCallbackData, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { z } from 'zod';
import type { Dossier } from './dossier.js';

export interface CommandContext {
  dossier: Dossier;
  // ── Optional, for commands that change the corpus (/corpus). Other commands ignore them. ──
  /**
   * The invoking member's permissions in the channel: Discord's bitfield, as the raw API sends it
   * (`interaction.member.permissions`, a decimal string) or as discord.js has it (a bigint). The Discord
   * runtime sets it on every interaction; `null` means there is no member (a DM). /corpus checks it.
   */
  permissions?: string | bigint | null;
  /** True for the local operator (the console, the CLI): permission checks pass. Never set for Discord. */
  local?: boolean;
  /** The interaction's resolved attachments (`interaction.data.resolved.attachments`), by id. */
  attachments?: Record<string, AttachmentRef>;
  /** How to download an attachment (default: the global fetch). Tests serve attachments from 127.0.0.1. */
  fetch?: typeof fetch;
  /** Called after a command wrote to or removed from the corpus folder, so the holder rebuilds at once. */
  corpusChanged?: () => unknown;
}

/** An uploaded file as Discord describes it. */
export interface AttachmentRef {
  url: string;
  filename: string;
  /** Bytes, as Discord reports them (checked again while downloading). */
  size: number;
  content_type?: string | null;
}

/** How to lay out one answer. `page` is 0-based; renderers clamp it. */
export interface RenderOptions {
  page?: number;
}

export type DiscordMessage = APIInteractionResponseCallbackData;

export interface CommandModule<O = unknown, A = unknown> {
  name: string;
  /** Definition sent to Discord by `npm run deploy` (built with @discordjs/builders). */
  data: RESTPostAPIApplicationCommandsJSONBody;
  /** Parses raw option values (from Discord, the console or the CLI). */
  options: z.ZodType<O>;
  /** The answer, as plain typed data. */
  run(options: O, ctx: CommandContext): A;
  /**
   * For commands that must wait (downloading an attachment, writing the corpus): the answer, later.
   * Callers that can await should prefer it when present ({@link runCommand} does).
   */
  runAsync?(options: O, ctx: CommandContext): Promise<A>;
  render: {
    discord(answer: A, opts?: RenderOptions): DiscordMessage;
    /** How many pages `discord` renders the answer in, when the renderer knows (else the router counts them, up to 200). */
    pages?(answer: A): number;
    text(answer: A): string;
    json(answer: A): unknown;
  };
  /** Choices while the user types an option (at most 25). */
  autocomplete?(option: string, value: string, ctx: CommandContext): APIApplicationCommandOptionChoice[];
  /** Shown by /help and the console's help. */
  help: { summary: string; examples: string[] };
  /**
   * The bot prepares this command in the background once it is connected (src/discord/start.ts), off
   * the thread that answers: the router's start-up warm-up, which runs each command's first example on
   * that thread, leaves it out.
   */
  warmsInBackground?: boolean;
  /**
   * Work an answer to `options` needs that is not done yet but under way (or worth starting) off this
   * thread: the router defers the reply and awaits it before `run`. Null when `run` can answer now.
   */
  pending?(options: O, ctx: CommandContext): Promise<unknown> | null;
}

/** A user-facing error: shown as it is (ephemerally in Discord), never a stack trace. */
export class UserError extends Error {}

/** Parses options with the module's schema, turning zod's issues into one readable UserError. */
export function parseOptions<O>(mod: CommandModule<O, unknown>, raw: Record<string, unknown>): O {
  const r = mod.options.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = issue.path.join('.') || 'options';
  throw new UserError(`\`${name}\`: ${issue.message}`);
}

/** Runs a command: its `runAsync` when it has one, else `run`. */
export async function runCommand<O, A>(mod: CommandModule<O, A>, options: O, ctx: CommandContext): Promise<A> {
  return mod.runAsync ? mod.runAsync(options, ctx) : mod.run(options, ctx);
}
