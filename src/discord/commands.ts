// What Dossier registers with Discord and routes: every module in COMMANDS (read when asked, so modules
// added later are served), /help, and the "Find sources" message context-menu command.
import { ApplicationCommandOptionType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { data as findSourcesData } from '../../commands/find-sources.js';
import help from '../../commands/help.js';
import { COMMANDS } from '../../commands/index.js';
import type { CommandModule } from '../core/command.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommand = CommandModule<any, any>;

/** The slash commands: every command module, then /help (unless a module of that name exists). */
export function slashCommands(): AnyCommand[] {
  return COMMANDS.some((c) => c.name === help.name) ? [...COMMANDS] : [...COMMANDS, help as AnyCommand];
}

export function slashCommand(name: string): AnyCommand | undefined {
  return slashCommands().find((c) => c.name === name);
}

/** Everything `npm run deploy` registers, in the shape Discord's bulk-overwrite endpoint takes. */
export function applicationCommands(): RESTPostAPIApplicationCommandsJSONBody[] {
  return [...slashCommands().map((c) => c.data), findSourcesData];
}

/**
 * The option names a command takes, from its Discord definition; with subcommands, "subcommand" (and
 * "subcommandGroup") and the names of their options, as the router flattens them.
 */
export function optionNames(mod: AnyCommand): string[] {
  const names = new Set<string>();
  const walk = (opts: readonly { name: string; type: number; options?: unknown }[] | undefined) => {
    for (const o of opts ?? []) {
      if (o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup) {
        names.add(o.type === ApplicationCommandOptionType.Subcommand ? 'subcommand' : 'subcommandGroup');
        walk(o.options as { name: string; type: number }[] | undefined);
      } else names.add(o.name);
    }
  };
  walk('options' in mod.data ? mod.data.options : undefined);
  return [...names];
}
