// What Dossier registers with Discord and routes: every module in COMMANDS (read when asked, so modules
// added later are served), /help, and the "Find sources" message context-menu command.
import type { RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
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

/** The option names a command takes, from its Discord definition. */
export function optionNames(mod: AnyCommand): string[] {
  const opts = ('options' in mod.data ? mod.data.options : undefined) ?? [];
  return opts.map((o) => o.name);
}
