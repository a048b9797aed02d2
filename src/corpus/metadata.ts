// Front matter of an article file: a small YAML block validated with zod.
import { parseDocument } from 'yaml';
import { z } from 'zod';

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoMonth = /^(\d{4})-(\d{2})$/;

/** True for a real calendar day or month in ISO form ("2023-02-30" is not). */
export function isIsoDate(s: string): boolean {
  const d = isoDay.exec(s);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const t = new Date(Date.UTC(y, m - 1, day));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }
  const mo = isoMonth.exec(s);
  return !!mo && Number(mo[2]) >= 1 && Number(mo[2]) <= 12;
}

const text = z.string().trim().min(1);

/** `published` may be written quoted or not; YAML reads an unquoted 2023-10-13 as a Date. */
const published = z.preprocess(
  (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
  z
    .string()
    .trim()
    .refine(isIsoDate, { message: 'is not a date in the form YYYY-MM-DD or YYYY-MM' }),
);

export const FrontMatter = z.object({
  title: text.nullish(),
  outlet: text.nullish(),
  published: published.nullish(),
  url: z.url().nullish(),
  byline: text.nullish(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;
export const KNOWN_KEYS = new Set(Object.keys(FrontMatter.shape));

export interface FrontMatterResult {
  /** Parsed and validated fields. */
  data: FrontMatter;
  /** Keys Dossier does not know, kept. */
  extra: Record<string, unknown>;
  /** Length of the front matter block in characters (body starts there). */
  length: number;
  /** Number of lines the block takes (body starts on line lines + 1). */
  lines: number;
}

export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

const FENCE = /^---[ \t]*\n([\s\S]*?\n)?---[ \t]*(?:\n|$)/;

/**
 * Reads the front matter at the top of `text` (already \n-normalised). Returns null when the file has
 * none; throws FrontMatterError (with the file line) when it is there but broken.
 */
export function readFrontMatter(text: string): FrontMatterResult | null {
  const m = FENCE.exec(text);
  if (!m) {
    if (/^---[ \t]*\n/.test(text) && text.indexOf('\n---', 3) < 0)
      throw new FrontMatterError('front matter opened with --- is never closed', 1);
    return null;
  }
  const yamlText = m[1] ?? '';
  const lines = m[0].split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  // Small limits keep a hostile file (alias bombs, huge blocks) from costing much.
  if (yamlText.length > 64 * 1024) throw new FrontMatterError('front matter is larger than 64 KB', 1);
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // e.pos is an offset into the YAML block; the block starts on the file's line 2.
    const line = yamlText.slice(0, Math.min(e.pos[0], yamlText.trimEnd().length)).split('\n').length;
    throw new FrontMatterError(`front matter is not valid YAML: ${e.message.split('\n')[0]}`, line + 1);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 20 });
  } catch (e) {
    throw new FrontMatterError(`front matter could not be read: ${(e as Error).message}`, 2);
  }
  if (raw === null || raw === undefined) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FrontMatterError('front matter is not a set of key: value lines', 2);
  const obj = raw as Record<string, unknown>;
  const parsed = FrontMatter.safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const at = lineOfKey(yamlText, key);
    const value = key in obj ? ` (${JSON.stringify(obj[key])?.slice(0, 60)})` : '';
    throw new FrontMatterError(`front matter field '${key}'${value} ${issue.message}`, at === null ? null : at + 1);
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!KNOWN_KEYS.has(k)) extra[k] = v;
  return { data: parsed.data, extra, length: m[0].length, lines };
}

/** 1-based line of `key:` inside the YAML block, or null. */
export function lineOfKey(yamlText: string, key: string): number | null {
  const lines = yamlText.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`));
  return i < 0 ? null : i + 1;
}
