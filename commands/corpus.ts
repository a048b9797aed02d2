// /corpus add | list | remove: moderators curate the articles Dossier answers from, from Discord.
//
// - add: an uploaded .txt, .md or .html article (HTML is turned into clean text with Readability), with
//   front-matter fields as options. It is checked as the corpus loader would read it, written atomically
//   (a temporary file, then a hard link that fails rather than replace an existing file) and never
//   replaces an article: a name already taken, or the same text under another name, is refused.
// - list: the articles (and the files that fail to load), a page at a time.
// - remove: moves the file to corpus/.trash/, from where the operator can move it back.
//
// Who may: the command is registered with default_member_permissions = Manage Server (so Discord hides it
// from others), and every run checks the member's permissions again (a server can override the default
// in its integration settings, so the definition alone proves nothing). The console and the CLI are the
// operator at the machine (ctx.local).
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { SlashCommandBuilder } from '@discordjs/builders';
import type { APIApplicationCommandOptionChoice, APIEmbed } from 'discord-api-types/v10';
import { stringify } from 'yaml';
import { z } from 'zod';
import { type AttachmentRef, type CommandContext, type CommandModule, type DiscordMessage, type RenderOptions, UserError } from '../src/core/command.js';
import type { Dossier } from '../src/core/dossier.js';
import type { Article } from '../src/core/types.js';
import { duplicatePairs } from '../src/corpus/check.js';
import { htmlToArticle, looksLikeHtml } from '../src/corpus/html.js';
import { ArticleError, MAX_ARTICLE_BYTES, decodeText, idOf, parseArticle } from '../src/corpus/load.js';
import { FrontMatterError, isIsoDate, readFrontMatter } from '../src/corpus/metadata.js';
import { isArticleName } from '../src/corpus/watch.js';
import { extract } from '../src/extract/index.js';
import { LIMITS, NO_MENTIONS, cut, escapeText, fitMessage, userCode } from '../src/render/limits.js';
import { messageToText } from '../src/render/text.js';

/** Manage Server (Discord's MANAGE_GUILD, 1 << 5): the permission /corpus needs. */
export const CORPUS_PERMISSION = 1n << 5n;
export const CORPUS_PERMISSION_NAME = 'Manage Server';
const ADMINISTRATOR = 1n << 3n;
/** Largest upload: a text article as the loader takes it; an HTML page may be larger (markup). */
export const MAX_TEXT_UPLOAD = MAX_ARTICLE_BYTES;
export const MAX_HTML_UPLOAD = 5 * 1024 * 1024;
const TEXT_TYPES = new Set(['.txt', '.md', '.markdown']);
const HTML_TYPES = new Set(['.html', '.htm']);
const DOWNLOAD_TIMEOUT_MS = 20_000;
export const LIST_PAGE = 15;
const EPHEMERAL = 64;
const COLOR = 0x4f6d8f;

// ───────────────────────────── options ─────────────────────────────

const field = (max: number) =>
  z
    .string()
    .transform((s) => s.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'is empty').max(max, `keep it under ${max} characters`))
    .optional();

const attachment = z.object({
  url: z.string(),
  filename: z.string(),
  size: z.number(),
  content_type: z.string().nullish(),
});

const raw = z.object({
  subcommand: z.enum(['add', 'list', 'remove'], { error: 'is add, list or remove' }).optional(),
  file: z.union([z.string().min(1), attachment]).optional(),
  name: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'is empty').max(80, 'keep it under 80 characters'))
    .optional(),
  title: field(300),
  outlet: field(120),
  byline: field(200),
  published: z
    .string()
    .transform((s) => s.trim())
    .refine(isIsoDate, { message: 'must be a real date written YYYY-MM-DD or YYYY-MM (e.g. 2023-10-14), not a relative one' })
    .optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) link to the article' }).max(2000, 'is too long').optional(),
  article: z.string().trim().min(1, 'name the article to remove (see /corpus list)').max(200, 'is too long').optional(),
  page: z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'is too large').optional(),
});

export type CorpusOptions =
  | { sub: 'list'; page: number }
  | { sub: 'remove'; article: string }
  | { sub: 'add'; file: string | AttachmentRef; name?: string; fields: Fields };

interface Fields {
  title?: string;
  outlet?: string;
  published?: string;
  url?: string;
  byline?: string;
}

/**
 * The console's words ("/corpus list", "/corpus remove 003_x") come as the first option's value; the
 * Discord runtime sends a subcommand's options flattened, with or without `subcommand`.
 */
function normalise(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = { ...(v as Record<string, unknown>) };
  for (const sub of ['add', 'list', 'remove'] as const) {
    if (typeof o[sub] !== 'string') continue;
    const [first, ...rest] = (o[sub] as string).trim().split(/\s+/);
    delete o[sub];
    if (first === 'add' || first === 'list' || first === 'remove') {
      o.subcommand ??= first;
      if (first === 'remove' && rest.length) o.article ??= rest.join(' ');
      if (first === 'list' && rest.length) o.page ??= rest[0];
    } else o.subcommand ??= sub;
  }
  return o;
}

const options: z.ZodType<CorpusOptions> = z.preprocess(
  normalise,
  raw.transform((o, ctx): CorpusOptions => {
    const sub = o.subcommand ?? (o.file !== undefined ? 'add' : o.article !== undefined ? 'remove' : 'list');
    if (sub === 'list') return { sub, page: o.page ?? 1 };
    if (sub === 'remove') {
      if (!o.article) {
        ctx.addIssue({ code: 'custom', path: ['article'], message: 'name the article to remove (see /corpus list)' });
        return z.NEVER;
      }
      return { sub, article: o.article };
    }
    if (o.file === undefined) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: 'attach the article: a .txt, .md or .html file' });
      return z.NEVER;
    }
    const fields: Fields = {};
    for (const k of ['title', 'outlet', 'published', 'url', 'byline'] as const) if (o[k] !== undefined) fields[k] = o[k];
    return { sub, file: o.file, ...(o.name !== undefined ? { name: o.name } : {}), fields };
  }),
) as z.ZodType<CorpusOptions>;

// ───────────────────────────── answers ─────────────────────────────

export type CorpusAnswer =
  | {
      kind: 'added';
      id: string;
      file: string;
      title: string;
      outlet: string | null;
      published: string | null;
      from: 'text' | 'html';
      sentences: number;
      dates: number;
      events: number;
      statements: number;
      speakers: string[];
      warnings: string[];
    }
  | { kind: 'list'; dir: string; page: number; pages: number; total: number; items: ListItem[]; failing: { file: string; reason: string }[] }
  | { kind: 'removed'; id: string; title: string | null; trashed: string; restore: string };

interface ListItem {
  id: string;
  title: string;
  outlet: string | null;
  published: string | null;
  sentences: number;
}

function allowed(ctx: CommandContext): boolean {
  if (ctx.local === true) return true;
  if (ctx.permissions === undefined || ctx.permissions === null) return false;
  try {
    const p = typeof ctx.permissions === 'bigint' ? ctx.permissions : BigInt(ctx.permissions);
    return (p & CORPUS_PERMISSION) === CORPUS_PERMISSION || (p & ADMINISTRATOR) === ADMINISTRATOR;
  } catch {
    return false;
  }
}

function requirePermission(ctx: CommandContext): void {
  if (allowed(ctx)) return;
  if (ctx.permissions === null) throw new UserError('/corpus works in a server, not in direct messages.');
  if (ctx.permissions === undefined)
    throw new UserError(
      `/corpus changes what Dossier answers from, so it needs the **${CORPUS_PERMISSION_NAME}** permission, and none were given here. In Discord, ask a moderator; at the machine, add or remove files in the corpus folder (it is watched).`,
    );
  throw new UserError(`/corpus changes what Dossier answers from, so it needs the **${CORPUS_PERMISSION_NAME}** permission. Ask a moderator.`);
}

/** The corpus files (article names) in `dir` whose id is `id`, compared without case. */
function filesWithId(dir: string, id: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new UserError(`cannot read the corpus folder: ${(e as Error).message}`);
  }
  return names.filter((n) => isArticleName(n) && idOf(n).toLowerCase() === id.toLowerCase());
}

function list(d: Dossier, page: number): CorpusAnswer {
  const items: ListItem[] = d.articles.map((a) => ({ id: a.id, title: a.meta.title, outlet: a.meta.outlet, published: a.meta.published, sentences: a.sentences.length }));
  const pages = Math.max(1, Math.ceil(items.length / LIST_PAGE));
  const p = Math.min(Math.max(1, page), pages);
  const failing = d.problems.filter((x) => x.severity === 'error').map((x) => ({ file: relative(d.dir, x.file) || x.file, reason: x.reason }));
  return { kind: 'list', dir: d.dir, page: p, pages, total: items.length, items: items.slice((p - 1) * LIST_PAGE, p * LIST_PAGE), failing };
}

function remove(d: Dossier, id: string, ctx: CommandContext): CorpusAnswer {
  const wanted = id.replace(/\.(md|markdown|txt)$/i, '');
  const names = filesWithId(d.dir, wanted);
  if (names.length === 0) throw new UserError(`there is no article ${userCode(wanted, 80)} in the corpus. /corpus list shows their names.`);
  if (names.length > 1) throw new UserError(`several files are called ${userCode(wanted, 80)} (${names.join(', ')}): remove one by hand.`);
  const name = names[0]!;
  const trash = join(d.dir, '.trash');
  mkdirSync(trash, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const trashed = join(trash, `${idOf(name)}.${stamp}${extname(name)}`);
  renameSync(join(d.dir, name), trashed);
  ctx.corpusChanged?.();
  const article = d.byId.get(idOf(name));
  return { kind: 'removed', id: idOf(name), title: article?.meta.title ?? null, trashed: relative(d.dir, trashed), restore: `mv "${trashed}" "${join(d.dir, name)}"` };
}

/** A file name for an article: letters, digits, "-" and "_" (the id), at most 80 characters. */
export function articleId(name: string): string {
  const base = name.replace(/\.(md|markdown|txt|html?)$/i, '');
  const id = base
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_.]+|[-_]+$/g, '')
    .slice(0, 80);
  if (!id) throw new UserError(`${userCode(name)} makes no usable file name: give one with name: (letters, digits, - and _)`);
  return id;
}

async function download(ref: AttachmentRef, limit: number, ctx: CommandContext): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(ref.url);
  } catch {
    throw new UserError('the attachment has no usable link; upload it again.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError('the attachment has no usable link; upload it again.');
  const doFetch = ctx.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'follow' });
  } catch (e) {
    throw new UserError(`could not download the attachment (${(e as Error).name === 'TimeoutError' ? 'it took too long' : (e as Error).message}); try again.`);
  }
  if (!res.ok) throw new UserError(`could not download the attachment: Discord answered ${res.status}. Upload it again.`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new UserError(`the file is ${mb(declared)}; the limit is ${mb(limit)}.`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new UserError(`the file is over ${mb(limit)}, the limit.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const mb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

function resolveAttachment(file: string | AttachmentRef, ctx: CommandContext): AttachmentRef {
  if (typeof file !== 'string') return file;
  const ref = ctx.attachments?.[file];
  if (!ref) throw new UserError('Discord did not send the attached file; attach it again.');
  return ref;
}

/** The article file's text: the upload's front matter (if any) with the options' fields over it, then its body. */
function compose(text: string, fields: Fields, fromHtml: Fields): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  let fm: ReturnType<typeof readFrontMatter>;
  try {
    fm = readFrontMatter(normalised);
  } catch (e) {
    throw new UserError(`the file's front matter is broken (line ${(e as FrontMatterError).line ?? 1}): ${(e as Error).message}`);
  }
  const body = fm ? normalised.slice(fm.length) : normalised;
  const data: Record<string, unknown> = {};
  if (fm) {
    for (const [k, v] of Object.entries(fm.data)) if (v !== undefined && v !== null) data[k] = v;
    Object.assign(data, fm.extra);
  }
  for (const [k, v] of Object.entries(fromHtml)) if (v !== undefined && data[k] === undefined) data[k] = v;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) data[k] = v;
  if (Object.keys(data).length === 0) return body;
  // Known fields first, in the order of the README; dates and titles quoted so YAML keeps them as text.
  const order = ['title', 'outlet', 'published', 'url', 'byline'];
  const sorted: Record<string, unknown> = {};
  for (const k of order) if (k in data) sorted[k] = data[k];
  for (const k of Object.keys(data)) if (!(k in sorted)) sorted[k] = data[k];
  const yaml = stringify(sorted, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
  return `---\n${yaml}---\n${body.replace(/^\n+/, '')}`;
}

/** Writes `text` to `path` atomically and only if nothing is there: a temp file, then a hard link. */
function writeNew(dir: string, path: string, text: string): void {
  const tmp = join(dir, `.${idOf(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(tmp, text, { flag: 'wx' });
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`an article named '${idOf(path)}' was just added by someone else; choose another name with name:.`);
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

async function add(o: Extract<CorpusOptions, { sub: 'add' }>, ctx: CommandContext): Promise<CorpusAnswer> {
  const d = ctx.dossier;
  const ref = resolveAttachment(o.file, ctx);
  const ext = extname(ref.filename).toLowerCase();
  const isHtml = HTML_TYPES.has(ext);
  if (!isHtml && !TEXT_TYPES.has(ext)) throw new UserError(`${userCode(ref.filename)} is not an article file: attach a .txt, .md or .html file.`);
  const type = (ref.content_type ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && !type.startsWith('text/') && type !== 'application/xhtml+xml' && type !== 'application/octet-stream')
    throw new UserError(`${userCode(ref.filename)} is ${type}, not text: attach a .txt, .md or .html file.`);
  const limit = isHtml ? MAX_HTML_UPLOAD : MAX_TEXT_UPLOAD;
  if (ref.size > limit) throw new UserError(`the file is ${mb(ref.size)}; the limit is ${mb(limit)}${isHtml ? ' for a web page' : ''}.`);
  const id = articleId(o.name ?? ref.filename);
  const taken = filesWithId(d.dir, id);
  if (taken.length > 0) throw new UserError(`an article named '${id}' is already in the corpus (${taken[0]}). Choose another name with name:, or /corpus remove it first.`);

  const bytes = await download(ref, limit, ctx);
  let text: string;
  try {
    text = decodeText(bytes);
  } catch (e) {
    throw new UserError(`the file cannot be read as text: ${(e as Error).message}${(e as ArticleError).line ? ` (line ${(e as ArticleError).line})` : ''}.`);
  }
  let fromHtml: Fields = {};
  if (isHtml) {
    if (!looksLikeHtml(text)) throw new UserError(`${userCode(ref.filename)} does not look like a web page (no HTML at its start).`);
    const page = htmlToArticle(text);
    if (!page.text.trim()) throw new UserError('no article text was found in that page.');
    fromHtml = {
      ...(page.title ? { title: page.title } : {}),
      ...(page.outlet ? { outlet: page.outlet } : {}),
      ...(page.published ? { published: page.published } : {}),
      ...(page.byline ? { byline: page.byline.replace(/^by\s+/i, '') } : {}),
    };
    text = page.text;
  }
  const finalText = compose(text, o.fields, fromHtml);
  if (Buffer.byteLength(finalText) > MAX_ARTICLE_BYTES) throw new UserError(`the article text is over ${mb(MAX_ARTICLE_BYTES)}, the limit.`);
  const path = join(d.dir, `${id}.md`);
  let article: Article;
  try {
    article = parseArticle(path, finalText);
  } catch (e) {
    const line = (e as ArticleError | FrontMatterError).line;
    throw new UserError(`the article cannot be used: ${(e as Error).message}${line ? ` (line ${line} of the file as it would be saved)` : ''}. Nothing was added.`);
  }
  if (article.sentences.length === 0) throw new UserError('no sentences were found in that file (only headings, links or page furniture?). Nothing was added.');
  const warnings: string[] = [];
  const all = [...d.articles, article];
  for (const pair of duplicatePairs(all)) {
    if (pair.b !== all.length - 1) continue;
    const other = all[pair.a]!;
    if (pair.same) throw new UserError(`that text is already in the corpus as '${other.id}'. Nothing was added.`);
    warnings.push(`it looks like a near-duplicate of '${other.id}' (${Math.round(pair.share * 100)}% of the shorter text's 5-word sequences are in both; a republished story?)`);
  }
  if (!article.meta.published) warnings.push('it has no publication date: give published: so its relative dates ("on Friday") can be dated');
  if (!article.meta.outlet) warnings.push('it has no outlet: give outlet: so citations name the publication');
  for (const w of article.warnings) warnings.push(w);
  let extraction;
  try {
    extraction = extract(article);
  } catch (e) {
    warnings.push(`extraction failed (${(e as Error).message}); it serves for /source only`);
    extraction = { article: article.id, dates: [], events: [], statements: [] };
  }
  writeNew(d.dir, path, finalText);
  ctx.corpusChanged?.();
  return {
    kind: 'added',
    id,
    file: `${id}.md`,
    title: article.meta.title,
    outlet: article.meta.outlet,
    published: article.meta.published,
    from: isHtml ? 'html' : 'text',
    sentences: article.sentences.length,
    dates: extraction.dates.length,
    events: extraction.events.length,
    statements: extraction.statements.length,
    speakers: [...new Set(extraction.statements.map((s) => s.speaker))].slice(0, 10),
    warnings,
  };
}

// ───────────────────────────── rendering ─────────────────────────────

function discord(a: CorpusAnswer, _opts?: RenderOptions): DiscordMessage {
  let embed: APIEmbed;
  if (a.kind === 'added') {
    const meta = [a.outlet ? escapeText(a.outlet) : 'no outlet', a.published ?? 'no date'].join(' · ');
    const lines = [
      `Saved as \`${a.file}\`${a.from === 'html' ? ' (text taken from the web page)' : ''} · ${meta}`,
      '',
      `**Extracted:** ${a.sentences} sentence${a.sentences === 1 ? '' : 's'}, ${a.dates} date${a.dates === 1 ? '' : 's'} (${a.events} dated event${a.events === 1 ? '' : 's'}), ${a.statements} statement${a.statements === 1 ? '' : 's'}${a.speakers.length ? ` by ${a.speakers.map((s) => escapeText(s)).join(', ')}` : ''}.`,
      'It answers /source, /timeline and /who-said within a few seconds.',
    ];
    if (a.warnings.length) lines.push('', '**Check:**', ...a.warnings.map((w) => `• ${escapeText(w)}`));
    embed = { title: cut(`Added: ${a.title}`, LIMITS.embedTitle), description: lines.join('\n'), color: COLOR };
    embed.title = escapeText(embed.title!);
  } else if (a.kind === 'removed') {
    embed = {
      title: cut(`Removed: ${a.title ?? a.id}`, LIMITS.embedTitle),
      description: `\`${a.id}\` no longer answers. A copy is kept in \`${a.trashed}\`; the operator can restore it by moving it back into the corpus folder.`,
      color: COLOR,
    };
    embed.title = escapeText(embed.title!);
  } else {
    const lines = a.items.map(
      (i) => `\`${i.id}\` — ${escapeText(cut(i.title.replace(/\s+/g, ' '), 90))}${i.outlet ? ` · ${escapeText(cut(i.outlet, 40))}` : ''}${i.published ? ` · ${i.published}` : ''}`,
    );
    if (a.total === 0) lines.push('The corpus is empty. Add an article with /corpus add.');
    const fields = a.failing.length
      ? [
          {
            name: `${a.failing.length} file${a.failing.length === 1 ? '' : 's'} not loading`,
            value: cut(a.failing.map((f) => `\`${f.file.replace(/`/g, "'")}\`: ${escapeText(cut(f.reason, 150))}`).join('\n'), LIMITS.fieldValue),
          },
        ]
      : undefined;
    embed = {
      title: `${a.total} article${a.total === 1 ? '' : 's'} in the corpus`,
      description: lines.join('\n'),
      color: COLOR,
      ...(fields ? { fields } : {}),
      ...(a.pages > 1 ? { footer: { text: `page ${a.page} of ${a.pages} · /corpus list page: ${Math.min(a.page + 1, a.pages)} for more` } } : {}),
    };
  }
  return fitMessage({ embeds: [embed], flags: EPHEMERAL, allowed_mentions: NO_MENTIONS });
}

function json(a: CorpusAnswer): unknown {
  return a;
}

// ───────────────────────────── the module ─────────────────────────────

const data = new SlashCommandBuilder()
  .setName('corpus')
  .setDescription('Add, list or remove the articles Dossier answers from (moderators)')
  .setDefaultMemberPermissions(CORPUS_PERMISSION)
  .setContexts(0) // InteractionContextType.Guild: not in DMs
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Add an article: attach a .txt, .md or .html file')
      .addAttachmentOption((o) => o.setName('file').setDescription('The article (.txt, .md or .html, up to 2 MB of text)').setRequired(true))
      .addStringOption((o) => o.setName('title').setDescription('Headline (else the file’s front matter or first line)').setMaxLength(300))
      .addStringOption((o) => o.setName('outlet').setDescription('Publication, e.g. Yonhap').setMaxLength(120))
      .addStringOption((o) => o.setName('published').setDescription('Publication date, YYYY-MM-DD or YYYY-MM').setMaxLength(10))
      .addStringOption((o) => o.setName('url').setDescription('Link to the original').setMaxLength(2000))
      .addStringOption((o) => o.setName('byline').setDescription('Author(s)').setMaxLength(200))
      .addStringOption((o) => o.setName('name').setDescription('File name to save it as (default: the upload’s name)').setMaxLength(80)),
  )
  .addSubcommand((s) =>
    s
      .setName('list')
      .setDescription('The articles in the corpus, and the files that fail to load')
      .addIntegerOption((o) => o.setName('page').setDescription('Page').setMinValue(1)),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Remove an article (a copy is kept in corpus/.trash)')
      .addStringOption((o) => o.setName('article').setDescription('The article’s name (see /corpus list)').setRequired(true).setAutocomplete(true)),
  )
  .toJSON();

const corpus: CommandModule<CorpusOptions, CorpusAnswer> = {
  name: 'corpus',
  data,
  options,
  run(o, ctx) {
    requirePermission(ctx);
    if (o.sub === 'list') return list(ctx.dossier, o.page);
    if (o.sub === 'remove') return remove(ctx.dossier, o.article, ctx);
    throw new UserError('adding an article waits for the upload: this caller cannot do that. Put the file in the corpus folder instead (it is watched).');
  },
  async runAsync(o, ctx) {
    requirePermission(ctx);
    if (o.sub === 'add') return add(o, ctx);
    return corpus.run(o, ctx);
  },
  render: {
    discord,
    text: (a) => messageToText(discord(a)),
    json,
  },
  autocomplete(option: string, value: string, ctx: CommandContext): APIApplicationCommandOptionChoice[] {
    if (option !== 'article' || !allowed(ctx)) return [];
    const q = value.toLowerCase().trim();
    return ctx.dossier.articles
      .filter((a) => !q || a.id.toLowerCase().includes(q) || a.meta.title.toLowerCase().includes(q))
      .slice(0, LIMITS.choices)
      .map((a) => ({ name: cut(`${a.id} — ${a.meta.title.replace(/\s+/g, ' ')}`, LIMITS.choiceName), value: a.id }));
  },
  help: {
    summary: `Moderators (${CORPUS_PERMISSION_NAME}): add an uploaded article, list the corpus, remove an article (kept in corpus/.trash).`,
    examples: ['/corpus list', '/corpus add file: <attach article.md> outlet: Yonhap published: 2023-10-14', '/corpus remove article: 003_18b8e9457b2e56d4'],
  },
};
export default corpus;
