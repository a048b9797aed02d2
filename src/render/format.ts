// Small formatting helpers shared by every renderer.
import type { Citation, IsoDate } from '../core/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2023-10-13" → "13 Oct 2023", "2023-10" → "Oct 2023", "2023" → "2023": the date at its precision. */
export function formatDate(iso: IsoDate | null | undefined): string {
  if (!iso) return 'undated';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (!mo) return y!;
  const month = MONTHS[Number(mo) - 1] ?? mo;
  return d ? `${Number(d)} ${month} ${y}` : `${month} ${y}`;
}

/** "7 Sep – 1 Oct 2023": a span, without repeating the year (or month) both ends share. */
export function formatSpan(start: IsoDate, end: IsoDate | null | undefined): string {
  if (!end || end === start) return formatDate(start);
  const a = formatDate(start).split(' ');
  const b = formatDate(end).split(' ');
  if (a.length === 3 && b.length === 3 && a[2] === b[2]) {
    if (a[1] === b[1]) return `${a[0]}–${b[0]} ${b[1]} ${b[2]}`;
    return `${a[0]} ${a[1]} – ${b.join(' ')}`;
  }
  if (a.length === 2 && b.length === 2 && a[1] === b[1]) return `${a[0]} – ${b.join(' ')}`;
  return `${a.join(' ')} – ${b.join(' ')}`;
}

/** "Title — Outlet, 14 Oct 2023": how a source is named in a list of sources. */
export function sourceLine(c: Pick<Citation, 'title' | 'outlet' | 'published'>): string {
  const parts = [c.outlet, c.published ? formatDate(c.published) : null].filter(Boolean);
  return parts.length ? `${c.title} — ${parts.join(', ')}` : c.title;
}

export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
