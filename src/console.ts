// The local console: type a slash command as you would in Discord and see the answer laid out as
// Discord would show it. On a terminal it is interactive; otherwise it answers one command per line.
import { createInterface } from 'node:readline';
import { COMMANDS, commandByName } from '../commands/index.js';
import { type CommandModule, UserError, parseOptions, runCommand } from './core/command.js';
import type { Dossier } from './core/dossier.js';
import { messageToText } from './render/text.js';

type DataOption = { name: string; type: number; options?: DataOption[] };
const SUBCOMMAND = 1;

/** The options a command takes, from its Discord definition. */
function optionsOf(mod: CommandModule): DataOption[] {
  return (('options' in mod.data ? mod.data.options : undefined) ?? []) as DataOption[];
}

/**
 * Parses "/source query: 1,000 containers limit: 3" into a command and its raw options. An option's
 * value runs until the next "name:" of an option that command knows, so values may contain colons.
 * A command with subcommands takes the subcommand as its first word: "/corpus remove id: x".
 */
export function parseLine(line: string): { name: string; raw: Record<string, string> } {
  const m = /^\s*\/?([\w-]+)\s*(.*)$/s.exec(line);
  if (!m) throw new UserError('type a command, e.g. /source query: 1,000 containers');
  const name = m[1]!.toLowerCase();
  let rest = m[2] ?? '';
  const mod = commandByName.get(name);
  if (!mod) return { name, raw: {} };
  let opts = optionsOf(mod);
  const raw: Record<string, string> = {};
  if (opts.some((o) => o.type === SUBCOMMAND)) {
    const sub = /^([\w-]+)\s*(.*)$/s.exec(rest.trim());
    const chosen = sub ? opts.find((o) => o.type === SUBCOMMAND && o.name === sub[1]!.toLowerCase()) : undefined;
    if (!chosen) throw new UserError(`/${name} needs one of: ${opts.map((o) => o.name).join(', ')} — e.g. /${name} ${opts[0]!.name}`);
    raw.subcommand = chosen.name;
    rest = sub![2] ?? '';
    opts = chosen.options ?? [];
  }
  const names = opts.map((o) => o.name);
  if (names.length === 0) return { name, raw };
  const re = new RegExp(`(?:^|\\s)(${names.map((n) => n.replace(/[-]/g, '\\-')).join('|')}):`, 'g');
  const marks = [...rest.matchAll(re)].map((x) => ({ name: x[1]!, start: x.index!, valueStart: x.index! + x[0].length }));
  if (marks.length === 0 && rest.trim()) {
    // "/source 1,000 containers": the words go to the first option.
    raw[names[0]!] = rest.trim();
    return { name, raw };
  }
  marks.forEach((mk, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.start : rest.length;
    raw[mk.name] = rest.slice(mk.valueStart, end).trim();
  });
  return { name, raw };
}

export function helpText(): string {
  const lines = ['Commands (type them as in Discord):', ''];
  for (const c of COMMANDS) {
    lines.push(`  /${c.name} — ${c.help.summary}`);
    for (const e of c.help.examples) lines.push(`      ${e}`);
  }
  lines.push('', '  /help — this text', '  /quit — leave the console');
  return lines.join('\n');
}

/**
 * Answers one console line as text. Never throws: errors come back as the message Discord would show.
 * The person at the console is the operator (`local`), so moderator commands such as /corpus work here.
 */
export async function answerLine(line: string, dossier: Dossier): Promise<string> {
  const trimmed = line.trim();
  if (trimmed === '') return '';
  if (/^\/?(help|\?)$/i.test(trimmed)) return helpText();
  try {
    const { name, raw } = parseLine(trimmed);
    const mod = commandByName.get(name);
    if (!mod) return `Unknown command /${name}. Type /help for the list.`;
    const opts = parseOptions(mod, raw);
    return mod.render.text(await runCommand(mod, opts, { dossier, local: true }));
  } catch (e) {
    if (e instanceof UserError) return `⚠ ${e.message} (only you can see this)`;
    return `⚠ Something went wrong answering that: ${(e as Error).message} (only you can see this)`;
  }
}

/** Runs the console over `dossier` on the given streams until end of input or /quit. */
export async function runConsole(
  dossier: Dossier,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const tty = (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: tty ? output : undefined, terminal: tty });
  const write = (s: string) => output.write(s.endsWith('\n') ? s : `${s}\n`);
  if (tty) {
    write(`Dossier console — ${dossier.articles.length} articles from ${dossier.dir}. No DISCORD_TOKEN is set, so answers show here as Discord would lay them out.`);
    for (const p of dossier.problems) write(`  ${p.severity}: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.reason}`);
    write('Type /help for the commands, /quit to leave.\n');
    rl.setPrompt('dossier> ');
    rl.prompt();
  }
  for await (const line of rl) {
    if (/^\s*\/?(quit|exit)\s*$/i.test(line)) break;
    const out = await answerLine(line, dossier);
    if (out) write(tty ? `${out}\n` : `${out}\n`);
    if (!tty && out) write('');
    if (tty) rl.prompt();
  }
  rl.close();
}
