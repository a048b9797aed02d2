// Exports: the full result of /timeline or /who-said as a file to take elsewhere — Markdown to read, CSV for a
// spreadsheet (one row per quoted passage, RFC 4180 quoting by csv-stringify), JSON exactly as the CLI prints it
// with a `meta` block beside it. Every file names the corpus it was made from and when it was made: in its
// header (Markdown), in its columns (CSV), in `meta` (JSON), and in its file name.
//
// Renderers return attachments as plain data; the Discord runtime sends them (multipart `files[n]`).
import { basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { TimelineAnswer } from '../answers/timeline.js';
import type { WhoSaidAnswer } from '../answers/whoSaid.js';
import type { Citation } from '../core/types.js';
import { formatDate, formatSpan, oneLine } from './format.js';

export type ExportFormat = 'markdown' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['markdown', 'csv', 'json'];

/** A file to send with a message. Same shape as the Cite reply's files. */
export interface Attachment {
  name: string;
  contentType: string;
  data: Buffer;
  /** Alt text / description Discord shows for the file. */
  description?: string;
}

/** What a file says about where it comes from. */
export interface ExportMeta {
  /** The command ("timeline", "who-said") and the options it was asked with. */
  command: string;
  options: Record<string, unknown>;
  /** The corpus: its folder's name, and how many articles it had. */
  corpus: string;
  articles: number;
  /** When the file was made (ISO 8601, UTC). */
  generated: string;
}

/** The corpus's name for a file: the last part of its folder's path. */
export function corpusName(dir: string): string {
  return basename(dir.replace(/[\\/]+$/, '')) || 'corpus';
}

export function exportMeta(command: string, options: Record<string, unknown>, dossier: { dir: string; articles: unknown[] }, now: Date = new Date()): ExportMeta {
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && v !== null && v !== '') opts[k] = v;
  return { command, options: opts, corpus: corpusName(dossier.dir), articles: dossier.articles.length, generated: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 40) || 'corpus';

/** "dossier-timeline-corpus-20231014T102600Z.csv": the command, the corpus and the time, safe on every file system. */
export function exportFileName(meta: Pick<ExportMeta, 'command' | 'corpus' | 'generated'>, ext: string): string {
  const stamp = meta.generated.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `dossier-${slug(meta.command)}-${slug(meta.corpus)}-${stamp}.${ext}`;
}

const EXT: Record<ExportFormat, [string, string]> = {
  markdown: ['md', 'text/markdown; charset=utf-8'],
  csv: ['csv', 'text/csv; charset=utf-8'],
  json: ['json', 'application/json; charset=utf-8'],
};

function attachment(meta: ExportMeta, format: ExportFormat, text: string): Attachment {
  const [ext, contentType] = EXT[format];
  return {
    name: exportFileName(meta, ext),
    contentType,
    data: Buffer.from(text, 'utf8'),
    description: `Dossier /${meta.command} export (${format}) of corpus ${meta.corpus}, made ${meta.generated}`,
  };
}

/** RFC 4180: CRLF between records, every text field quoted, quotation marks doubled. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows], {
    record_delimiter: 'windows',
    quoted_string: true,
    cast: { boolean: (b) => (b ? 'true' : 'false'), number: (n) => String(n) },
  });
}

/** Markdown text: characters that would format (or link) are escaped; the words stay as written. */
export function mdEscape(s: string): string {
  return oneLine(s).replace(/([\\`*_{}[\]<>#|~])/g, '\\$1');
}

function mdHeader(title: string, meta: ExportMeta): string[] {
  const opts = Object.entries(meta.options)
    .map(([k, v]) => `${k}: ${mdEscape(String(v))}`)
    .join(' · ');
  return [
    `# ${mdEscape(title)}`,
    '',
    `- **Corpus:** ${mdEscape(meta.corpus)} (${meta.articles} article${meta.articles === 1 ? '' : 's'})`,
    `- **Made:** ${meta.generated} by Dossier /${meta.command}${opts ? ` (${opts})` : ''}`,
    '- Quotes are verbatim passages of the articles.',
    '',
  ];
}

function mdCitation(c: Citation): string {
  const title = mdEscape(oneLine(c.title));
  const linked = c.url ? `[${title}](<${c.url}>)` : `*${title}*`;
  const rest = [c.outlet ? mdEscape(c.outlet) : null, c.published ? formatDate(c.published) : null, c.article ? `\`${c.article}\`` : null].filter(Boolean).join(', ');
  return `${linked}${rest ? ` — ${rest}` : ''}`;
}

// ───────────────────────────── /timeline ─────────────────────────────

/** The timeline's CLI JSON with `meta` beside it. */
export function timelineExport(a: TimelineAnswer, format: ExportFormat, meta: ExportMeta, json: (a: TimelineAnswer) => unknown): Attachment {
  if (format === 'json') return attachment(meta, format, `${JSON.stringify({ meta, ...(json(a) as object) }, null, 2)}\n`);
  if (format === 'csv') {
    const header = ['corpus', 'generated', 'event', 'date', 'end', 'precision', 'expected', 'sources', 'independent', 'figures', 'article', 'title', 'outlet', 'published', 'url', 'quote'];
    const rows: unknown[][] = [];
    a.events.forEach((e, i) => {
      const figures = (e.notes ?? []).filter((n) => n.kind !== 'agree').map((n) => n.summary).join(' | ');
      for (const c of e.citations) {
        rows.push([meta.corpus, meta.generated, i + 1, e.date, e.end ?? '', e.precision, e.expected, e.sources, e.independent ?? e.sources, figures, c.article, c.title, c.outlet ?? '', c.published ?? '', c.url ?? '', oneLine(c.quote)]);
      }
    });
    return attachment(meta, format, toCsv(header, rows));
  }
  const title = `Timeline${a.topic ? ` — ${a.topic}` : ''}${a.source ? ` — ${a.source.title}` : ''}`;
  const lines = mdHeader(title, meta);
  lines.push(`${a.events.length} event${a.events.length === 1 ? '' : 's'}.`, '');
  for (const e of a.events) {
    const counts = e.sources > 1 ? ` · ${e.sources} sources${e.independent !== undefined && e.independent < e.sources ? ` (${e.independent} independent)` : ''}` : '';
    const flags = [e.expected ? 'expected' : null, e.caption ? 'photo caption' : null].filter(Boolean).join(', ');
    lines.push(`## ${formatSpan(e.date, e.end)}${flags ? ` (${flags})` : ''}${counts}`, '');
    for (const c of e.citations) lines.push(`> ${mdEscape(c.quote)}`, '>', `> — ${mdCitation(c)}`, '');
    for (const n of e.notes ?? []) if (n.kind !== 'agree') lines.push(`**${n.kind === 'differ' ? 'Figures differ' : 'Figures qualified differently'}:** ${mdEscape(n.summary.replace(/^Sources differ: /, ''))}`, '');
  }
  return attachment(meta, format, `${lines.join('\n').trimEnd()}\n`);
}

// ───────────────────────────── /who-said ─────────────────────────────

export function whoSaidExport(a: WhoSaidAnswer, format: ExportFormat, meta: ExportMeta, json: (a: WhoSaidAnswer) => unknown): Attachment {
  if (format === 'json') return attachment(meta, format, `${JSON.stringify({ meta, ...(json(a) as object) }, null, 2)}\n`);
  if (format === 'csv') {
    const header = ['corpus', 'generated', 'speaker', 'role', 'kind', 'quote', 'article', 'title', 'outlet', 'published', 'url', 'passage'];
    const rows = a.statements.map((s) => [meta.corpus, meta.generated, s.speaker, s.role ?? '', s.kind, oneLine(s.quote), s.citation.article, s.citation.title, s.citation.outlet ?? '', s.citation.published ?? '', s.citation.url ?? '', oneLine(s.citation.quote)]);
    return attachment(meta, format, toCsv(header, rows));
  }
  const what = [a.speaker ? `by ${a.speaker}` : null, a.words ? `“${a.words}”` : null, a.topic ? `on ${a.topic}` : null].filter(Boolean).join(' ');
  const lines = mdHeader(`Who said what${what ? ` — ${what}` : ''}`, meta);
  lines.push(`${a.statements.length} statement${a.statements.length === 1 ? '' : 's'}.`, '');
  let speaker: string | null = null;
  for (const s of a.statements) {
    if (s.speaker !== speaker) {
      speaker = s.speaker;
      lines.push(`## ${mdEscape(s.speaker)}${s.role ? ` — ${mdEscape(s.role)}` : ''}`, '');
    }
    lines.push(`> ${s.kind === 'direct' ? `“${mdEscape(s.quote)}”` : mdEscape(s.quote)}`, '>', `> — ${s.kind === 'direct' ? 'quoted' : 'reported'} in ${mdCitation(s.citation)}`, '');
  }
  return attachment(meta, format, `${lines.join('\n').trimEnd()}\n`);
}

// ───────────────────────────── for the Discord runtime ─────────────────────────────

/** A command module that attaches files to some answers (an export, a picture). */
export interface WithFiles<A> {
  /** The files to send with the answer's first message (none for most answers). */
  files(answer: A): Attachment[];
}

/** The files a command's answer comes with: what the router sends as multipart `files[n]`. */
export function filesOf(mod: unknown, answer: unknown): Attachment[] {
  const f = (mod as Partial<WithFiles<unknown>>)?.files;
  return typeof f === 'function' ? f.call(mod, answer) : [];
}

/** What to attach, as the command records it in its answer: decided when it runs, so the time is the run's. */
export interface AttachRequest {
  format?: ExportFormat;
  image?: boolean;
  meta: ExportMeta;
}
