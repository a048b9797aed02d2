// The `dossier` CLI: `npm run dossier -- <command> [options] [--json] [--corpus DIR]`.
// stdout carries the answer (valid JSON with --json, or nothing); errors go to stderr with exit code 1.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { COMMANDS, commandByName } from '../commands/index.js';
import { type CommandModule, UserError, parseOptions } from './core/command.js';
import { openDossier } from './core/cache.js';
import { applyHeapPolicy } from './core/heap.js';
import type { Dossier } from './core/dossier.js';
import { extractJson } from './render/extract.js';

const USAGE = `Usage: npm run dossier -- <command> [options] [--json] [--corpus DIR]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.help.summary}`).join('\n')}
  extract    What was extracted from each article (dates, events, statements). [--article ID]
  check      Lints the corpus for its curators: one line per finding, exit code 1 if any. (docs/curating.md)
  help       This text.

Options of a command are its Discord options as flags, e.g.
  npm run dossier -- source --query "1,000 containers" --limit 3 --json
`;

/** Flags that are not command options. */
const GLOBAL = { json: { type: 'boolean' }, corpus: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs one CLI invocation; returns the exit code. Never throws. */
export async function runCli(argv: string[], io: CliIO, load: (dir: string) => Dossier | Promise<Dossier> = openDossier): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name ? 0 : 1;
  }
  // Loaded lazily, like the extractor (openDossier): a warm start-up never loads the NLP libraries.
  if (name === 'check') return (await import('./corpus/check.js')).runCheck(rest, io);
  try {
    const mod = commandByName.get(name);
    const optionNames = name === 'extract' ? ['article'] : (mod ? commandOptionNames(mod) : null);
    if (!optionNames) throw new UserError(`unknown command '${name}'. Commands: ${[...commandByName.keys(), 'extract'].join(', ')}`);
    const spec: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...GLOBAL };
    for (const o of optionNames) spec[o] = { type: 'string' };
    // A yes/no option given alone ("--image") means yes, as Discord's boolean options do.
    const booleans = new Set(mod ? booleanOptionNames(mod) : []);
    const args = rest.flatMap((w, i) => (w.startsWith('--') && booleans.has(w.slice(2)) && (rest[i + 1] === undefined || rest[i + 1]!.startsWith('--')) ? [w, 'true'] : [w]));
    let parsed;
    try {
      parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: false });
    } catch (e) {
      throw new UserError((e as Error).message.replace(/^TypeError \[\w+\]: /, ''));
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      io.out(mod ? helpOf(mod) : USAGE);
      return 0;
    }
    const dossier = await load(resolve(String(values.corpus ?? 'corpus')));
    for (const p of dossier.problems) io.err(`${p.severity}: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}`);
    const json = values.json === true;
    if (name === 'extract') {
      const id = values.article as string | undefined;
      if (id && !dossier.byId.has(id)) throw new UserError(`no article '${id}' in the corpus`);
      const out = extractJson(dossier, id);
      io.out(json ? JSON.stringify(out, null, 2) : JSON.stringify(out, null, 2));
      return 0;
    }
    const raw: Record<string, unknown> = {};
    for (const o of optionNames) {
      const key = o.replace(/-/g, '_');
      if (values[o] !== undefined) raw[key] = values[o];
    }
    const opts = parseOptions(mod!, raw);
    const answer = mod!.run(opts, { dossier });
    io.out(json ? JSON.stringify(mod!.render.json(answer), null, 2) : mod!.render.text(answer));
    return 0;
  } catch (e) {
    if (e instanceof UserError) io.err(`dossier ${name}: ${e.message}`);
    else io.err(`dossier ${name}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}

/** The Discord option names of a command, as CLI flags ("source" → query, limit). */
/** The boolean options of a command (Discord option type 5), as CLI flags. */
function booleanOptionNames(mod: CommandModule): string[] {
  const opts = ('options' in mod.data ? mod.data.options : undefined) ?? [];
  return opts.filter((o) => o.type === 5).map((o) => o.name.replace(/_/g, '-'));
}

export function commandOptionNames(mod: CommandModule): string[] {
  const opts = ('options' in mod.data ? mod.data.options : undefined) ?? [];
  return opts.map((o) => o.name.replace(/_/g, '-'));
}

function helpOf(mod: CommandModule): string {
  return `${mod.name}: ${mod.help.summary}\n\nOptions: ${commandOptionNames(mod)
    .map((o) => `--${o}`)
    .join(' ')} [--json] [--corpus DIR]\n\nExamples (Discord):\n${mod.help.examples.map((e) => `  ${e}`).join('\n')}\n`;
}

const isMain = process.argv[1] && resolve(process.argv[1]).replace(/\.ts$/, '') === resolve(new URL(import.meta.url).pathname).replace(/\.ts$/, '');
if (isMain) {
  const heap = applyHeapPolicy();
  if (heap.problem) process.stderr.write(`warning: ${heap.problem}\n`);
  const code = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
  });
  process.exitCode = code;
}
