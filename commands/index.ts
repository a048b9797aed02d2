// Every command module, by name. Discord, the console and the CLI route through this list.
import type { CommandModule } from '../src/core/command.js';
import compare from './compare.js';
import corpus from './corpus.js';
import source from './source.js';
import timeline from './timeline.js';
import whoSaid from './who-said.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: CommandModule<any, any>[] = [source, timeline, whoSaid, compare, corpus];
export const commandByName = new Map(COMMANDS.map((c) => [c.name, c]));
