// What every command module is: its Discord definition, its options (zod), a call into the pure core,
// and the renderers that lay its answer out. Discord, the console and the CLI all go through this.
import type { APIApplicationCommandOptionChoice, APIInteractionResponseCallbackData, RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { z } from 'zod';
import type { Dossier } from './dossier.js';

export interface CommandContext {
  dossier: Dossier;
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
  render: {
    discord(answer: A, opts?: RenderOptions): DiscordMessage;
    text(answer: A): string;
    json(answer: A): unknown;
  };
  /** Choices while the user types an option (at most 25). */
  autocomplete?(option: string, value: string, ctx: CommandContext): APIApplicationCommandOptionChoice[];
  /** Shown by /help and the console's help. */
  help: { summary: string; examples: string[] };
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
