// /timeline as a picture: a dated axis, each event drawn at its dates — a dot for a day, a bar for a span,
// a band for a month or a year — with a short label and the number of sources, on an opaque card that reads
// the same in Discord's dark and light themes. Drawn with @napi-rs/canvas (Skia; a prebuilt binary from npm)
// in the Inter font shipped by @fontsource/inter, so the picture does not depend on the machine's fonts.
//
// The layout is computed first, as plain boxes (tests check that no two labels overlap), then painted.
// Long quiet stretches of time are cut out of the axis (marked with a break) so clustered events stay legible.
import { createRequire } from 'node:module';
import type { TimelineAnswer, TimelineEvent } from '../answers/timeline.js';
import { periodOf } from '../extract/events.js';
import { type Attachment, type ExportMeta, exportFileName } from './export.js';
import { formatSpan, oneLine } from './format.js';

// Loaded at run time (not bundled): the canvas is a native module, and only pictures need it.
const require = createRequire(import.meta.url);
type CanvasModule = typeof import('@napi-rs/canvas');
let canvasModule: CanvasModule | null = null;
const FONT = 'DossierInter';
function canvas(): CanvasModule {
  if (canvasModule) return canvasModule;
  const mod = require('@napi-rs/canvas') as CanvasModule;
  for (const file of ['inter-latin-400-normal.woff2', 'inter-latin-ext-400-normal.woff2', 'inter-latin-600-normal.woff2', 'inter-latin-ext-600-normal.woff2']) {
    try {
      mod.GlobalFonts.registerFromPath(require.resolve(`@fontsource/inter/files/${file}`), FONT);
    } catch {
      /* the system's sans-serif is used instead */
    }
  }
  canvasModule = mod;
  return mod;
}

export type Theme = 'dark' | 'light';

export interface TimelineImageOptions {
  theme?: Theme;
  /** Width in pixels (default 1200). */
  width?: number;
  /** Most events drawn (default 40); the rest are counted in the footer. */
  maxEvents?: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedEvent {
  event: TimelineEvent;
  /** How it is drawn: a dot (a day), a bar (a span of days), a band (a month or a year). */
  shape: 'dot' | 'bar' | 'band';
  /** The marker (dot, bar or band) and the label (text and source badge). */
  marker: Box;
  label: Box;
  text: string;
  lane: number;
}

export interface AxisTick {
  x: number;
  label: string | null;
  major: boolean;
}

export interface TimelineLayout {
  width: number;
  height: number;
  title: string;
  subtitle: string;
  /** Horizontal stretches of the axis, each a linear scale of [from, to) (UTC ms); breaks lie between them. */
  segments: { x0: number; x1: number; from: number; to: number }[];
  ticks: AxisTick[];
  axisY: number;
  events: PlacedEvent[];
  /** Events left out (over `maxEvents`, or undated). */
  omitted: number;
  footer: string;
}

export const THEMES: Record<Theme, { bg: string; text: string; muted: string; axis: string; grid: string; accent: string; band: string; badge: string; badgeText: string; expected: string }> = {
  dark: { bg: '#1e1f22', text: '#f2f3f5', muted: '#b5bac1', axis: '#6d6f78', grid: '#2e3035', accent: '#5d9cec', band: 'rgba(93,156,236,0.28)', badge: '#f0b232', badgeText: '#1e1f22', expected: '#b5bac1' },
  light: { bg: '#ffffff', text: '#060607', muted: '#4e5058', axis: '#80848e', grid: '#ebedef', accent: '#1f6fd1', band: 'rgba(31,111,209,0.22)', badge: '#b3620b', badgeText: '#ffffff', expected: '#6d6f78' },
};

const PAD = 28;
const TITLE_H = 64;
const AXIS_H = 40;
const ROW_H = 30;
const LABEL_GAP = 8;
const LANE_GAP = 10;
const BREAK_W = 26;
const LABEL_SIZE = 14;
const BADGE_R = 9;
const FOOTER_H = 34;
const DAY = 86_400_000;

/**
 * A short label for an event: a verbatim stretch of its sentence (a leading dateline or date clause left
 * out, the case of its letters kept), cut at a word with an ellipsis.
 */
export function shortLabel(text: string, max = 46): string {
  let s = oneLine(text);
  // A dateline: "Washington, D.C., October 13, 2023 – …", "SEOUL, Oct. 14 (Yonhap) -- …".
  s = s.replace(/^[^–—]{0,70}\d[^–—]{0,20}\s(?:–|—|--)\s+/, '');
  // A leading date or attribution clause: "On 17 October, …", "In September 2023, …", "According to X, …".
  for (let i = 0; i < 2; i++) s = s.replace(/^(?:on|in|by|between|since|from|until|earlier|later|according to|at)\b[^,]{0,45},\s+/i, '');
  s = s.replace(/[.;:,]+$/, '');
  if (s.length <= max) return s;
  let cut = s.lastIndexOf(' ', max - 1);
  if (cut < max * 0.5) cut = max - 1;
  return `${s.slice(0, cut).replace(/[,;:–—-]+$/, '').trimEnd()}…`;
}

type Measure = (text: string, bold?: boolean) => number;

/** The axis: events' periods in clusters; long empty stretches between clusters become breaks. */
function segmentsOf(periods: [number, number][], x0: number, x1: number): TimelineLayout['segments'] {
  const sorted = [...periods].sort((a, b) => a[0] - b[0]);
  // Pad each cluster out to whole months.
  const monthStart = (t: number) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  const monthAfter = (t: number) => {
    const d = new Date(t - 1);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const span = Math.max(DAY, sorted[sorted.length - 1]![1] - sorted[0]![0]);
  // A gap longer than this (and than four months) is cut out of the axis.
  const cutGap = Math.max(120 * DAY, span * 0.15);
  const clusters: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = clusters[clusters.length - 1];
    if (last && a - last[1] <= cutGap) last[1] = Math.max(last[1], b);
    else clusters.push([a, b]);
  }
  const padded = clusters.map(([a, b]) => [monthStart(a), monthAfter(b)] as [number, number]);
  // Each cluster's width grows with its length, but slowly: a week of many events needs room too.
  const weights = padded.map(([a, b]) => Math.sqrt((b - a) / DAY + 20));
  const room = x1 - x0 - BREAK_W * (padded.length - 1);
  const total = weights.reduce((n, w) => n + w, 0);
  const out: TimelineLayout['segments'] = [];
  let x = x0;
  padded.forEach(([a, b], i) => {
    const w = (room * weights[i]!) / total;
    out.push({ x0: x, x1: x + w, from: a, to: b });
    x += w + BREAK_W;
  });
  return out;
}

function xOf(t: number, segments: TimelineLayout['segments']): number {
  for (const s of segments) if (t >= s.from && t <= s.to) return s.x0 + ((t - s.from) / (s.to - s.from)) * (s.x1 - s.x0);
  // Outside every segment (cannot happen for an event's own dates): clamp to the nearest end.
  const last = segments[segments.length - 1]!;
  return t < segments[0]!.from ? segments[0]!.x0 : last.x1;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function ticksOf(segments: TimelineLayout['segments'], measure: Measure): AxisTick[] {
  const ticks: AxisTick[] = [];
  let lastLabelEnd = -Infinity;
  for (const s of segments) {
    const months: number[] = [];
    const d = new Date(s.from);
    // The segment's end is the next segment's business when a break follows.
    const last = s === segments[segments.length - 1];
    for (let t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1); last ? t <= s.to : t < s.to; ) {
      months.push(t);
      const m = new Date(t);
      t = Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1);
    }
    const pxPerMonth = (s.x1 - s.x0) / Math.max(1, (s.to - s.from) / (30.44 * DAY));
    for (const t of months) {
      const m = new Date(t);
      const yearStart = m.getUTCMonth() === 0;
      const x = xOf(t, [s]);
      const label = pxPerMonth >= 34 || yearStart || t === months[0] ? `${MONTHS[m.getUTCMonth()]}${yearStart || t === months[0] ? ` ${m.getUTCFullYear()}` : ''}` : null;
      let shown = label;
      if (label) {
        const w = measure(label);
        if (x + 3 < lastLabelEnd + 8 || x + 3 + w > segments[segments.length - 1]!.x1 + PAD - 4) shown = null;
        else lastLabelEnd = x + 3 + w;
      }
      ticks.push({ x, label: shown, major: yearStart || t === months[0]! });
      // Days within a short stretch: a light tick each week.
      if (pxPerMonth >= 160) {
        for (const day of [8, 15, 22]) {
          const td = Date.UTC(m.getUTCFullYear(), m.getUTCMonth(), day);
          if (td < s.to) {
            const xd = xOf(td, [s]);
            const l = `${day}`;
            const ok = xd + 3 > lastLabelEnd + 6;
            if (ok) lastLabelEnd = xd + 3 + measure(l);
            ticks.push({ x: xd, label: ok ? l : null, major: false });
          }
        }
      }
    }
  }
  return ticks;
}

const intersects = (a: Box, b: Box, gap = 0) => a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h && b.y < a.y + a.h;

/** Where everything goes. Pure given `measure` (text width in pixels at the label size). */
export function layoutTimeline(a: TimelineAnswer, measure: Measure, opts: TimelineImageOptions = {}): TimelineLayout {
  const width = opts.width ?? 1200;
  const maxEvents = opts.maxEvents ?? 40;
  const dated = a.events.map((e) => ({ e, p: periodOf(e.date, e.end) })).filter((x): x is { e: TimelineEvent; p: [number, number] } => !!x.p);
  const drawn = dated.slice(0, maxEvents);
  const omitted = a.events.length - drawn.length;
  const title = `Timeline${a.topic ? ` — ${oneLine(a.topic)}` : ''}${a.source ? ` — ${oneLine(a.source.title)}` : ''}`;
  const articles = new Set(a.events.flatMap((e) => e.citations.map((c) => c.article))).size;
  const range = drawn.length ? `${formatSpan(drawn[0]!.e.date, null)} – ${formatSpan(drawn[drawn.length - 1]!.e.end ?? drawn[drawn.length - 1]!.e.date, null)}` : '';
  const subtitle = `${a.events.length} event${a.events.length === 1 ? '' : 's'} from ${articles} article${articles === 1 ? '' : 's'}${range ? ` · ${range}` : ''}`;
  const x0 = PAD;
  const x1 = width - PAD;
  const axisY = TITLE_H + AXIS_H - 8;
  if (drawn.length === 0) {
    return { width, height: TITLE_H + AXIS_H + ROW_H + FOOTER_H, title, subtitle, segments: [], ticks: [], axisY, events: [], omitted, footer: 'No dated events to draw.' };
  }
  const segments = segmentsOf(
    drawn.map((d) => d.p),
    x0 + 4,
    x1 - 4,
  );
  const ticks = ticksOf(segments, measure);
  // Lanes: each event goes in the first lane where its marker and label collide with nothing placed there.
  const lanes: Box[][] = [];
  const top = axisY + 16;
  const events: PlacedEvent[] = [];
  for (const { e, p } of drawn) {
    const shape: PlacedEvent['shape'] = e.precision !== 'day' ? 'band' : e.end && e.end !== e.date ? 'bar' : 'dot';
    let mx0 = xOf(p[0], segments);
    let mx1 = xOf(p[1], segments);
    if (shape === 'dot') {
      const c = (mx0 + mx1) / 2;
      mx0 = c - 6;
      mx1 = c + 6;
    } else if (mx1 - mx0 < 6) {
      const c = (mx0 + mx1) / 2;
      mx0 = c - 3;
      mx1 = c + 3;
    }
    const text = `${formatSpan(e.date, e.end)} · ${shortLabel(e.text)}`;
    const labelW = measure(text) + LABEL_GAP + BADGE_R * 2 + 2;
    // The label goes right of the marker when it fits, else left of it.
    const right = mx1 + LABEL_GAP;
    const lx = right + labelW <= x1 ? right : Math.max(x0, mx0 - LABEL_GAP - labelW);
    let lane = 0;
    for (; ; lane++) {
      const y = top + lane * ROW_H;
      const marker: Box = { x: mx0, y: y + 4, w: mx1 - mx0, h: ROW_H - 8 };
      const label: Box = { x: lx, y: y + 4, w: labelW, h: ROW_H - 8 };
      const placed = lanes[lane] ?? [];
      if (!placed.some((b) => intersects(b, marker, LANE_GAP) || intersects(b, label, LANE_GAP))) {
        placed.push(marker, label);
        lanes[lane] = placed;
        events.push({ event: e, shape, marker, label, text, lane });
        break;
      }
    }
  }
  const height = top + lanes.length * ROW_H + 12 + FOOTER_H;
  const footer = `${omitted ? `${omitted} more event${omitted === 1 ? '' : 's'} not drawn · ` : ''}circled number: articles reporting it · made by Dossier from the quoted articles`;
  return { width, height, title, subtitle, segments, ticks, axisY, events, omitted, footer };
}

export interface TimelineImage {
  png: Buffer;
  width: number;
  height: number;
  layout: TimelineLayout;
}

/** The timeline as a PNG. */
export function renderTimelineImage(a: TimelineAnswer, opts: TimelineImageOptions = {}): TimelineImage {
  const { createCanvas } = canvas();
  const theme = THEMES[opts.theme ?? 'dark'];
  const fontOf = (size: number, bold = false) => `${bold ? '600 ' : ''}${size}px ${FONT}, "DejaVu Sans", sans-serif`;
  const probe = createCanvas(8, 8).getContext('2d');
  const measure: Measure = (text, bold = false) => {
    probe.font = fontOf(LABEL_SIZE, bold);
    return probe.measureText(text).width;
  };
  const L = layoutTimeline(a, measure, opts);
  const c = createCanvas(L.width, L.height);
  const g = c.getContext('2d');
  g.fillStyle = theme.bg;
  g.fillRect(0, 0, L.width, L.height);
  // Title and subtitle.
  g.fillStyle = theme.text;
  g.font = fontOf(22, true);
  g.textBaseline = 'alphabetic';
  g.fillText(fit(g, L.title, L.width - PAD * 2), PAD, 34);
  g.fillStyle = theme.muted;
  g.font = fontOf(13);
  g.fillText(L.subtitle, PAD, 54);
  // Axis: segments, breaks, month ticks and grid lines.
  g.strokeStyle = theme.axis;
  g.lineWidth = 2;
  for (const s of L.segments) {
    g.beginPath();
    g.moveTo(s.x0, L.axisY);
    g.lineTo(s.x1, L.axisY);
    g.stroke();
  }
  for (let i = 1; i < L.segments.length; i++) {
    const x = (L.segments[i - 1]!.x1 + L.segments[i]!.x0) / 2;
    g.beginPath();
    g.moveTo(x - 7, L.axisY + 6);
    g.lineTo(x - 1, L.axisY - 6);
    g.moveTo(x + 1, L.axisY + 6);
    g.lineTo(x + 7, L.axisY - 6);
    g.stroke();
  }
  const bottom = L.height - FOOTER_H;
  g.font = fontOf(12);
  for (const t of L.ticks) {
    g.strokeStyle = t.major ? theme.axis : theme.grid;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(Math.round(t.x) + 0.5, L.axisY - (t.major ? 8 : 5));
    g.lineTo(Math.round(t.x) + 0.5, L.axisY);
    g.stroke();
    g.strokeStyle = theme.grid;
    g.beginPath();
    g.moveTo(Math.round(t.x) + 0.5, L.axisY + 4);
    g.lineTo(Math.round(t.x) + 0.5, bottom);
    g.stroke();
    if (t.label) {
      g.fillStyle = theme.muted;
      g.fillText(t.label, t.x + 3, L.axisY - 12);
    }
  }
  // Events.
  for (const p of L.events) {
    const m = p.marker;
    const cy = m.y + m.h / 2;
    g.setLineDash(p.event.expected ? [4, 3] : []);
    if (p.shape === 'band') {
      g.fillStyle = theme.band;
      g.fillRect(m.x, m.y, m.w, m.h);
      g.strokeStyle = theme.accent;
      g.lineWidth = 1;
      g.strokeRect(m.x + 0.5, m.y + 0.5, m.w - 1, m.h - 1);
    } else if (p.shape === 'bar') {
      g.fillStyle = p.event.expected ? theme.band : theme.accent;
      roundRect(g, m.x, cy - 5, m.w, 10, 5);
      g.fill();
      if (p.event.expected) {
        g.strokeStyle = theme.accent;
        g.stroke();
      }
    } else {
      g.beginPath();
      g.arc(m.x + m.w / 2, cy, 6, 0, Math.PI * 2);
      g.fillStyle = p.event.expected ? theme.bg : theme.accent;
      g.fill();
      g.strokeStyle = theme.accent;
      g.lineWidth = 2;
      g.stroke();
    }
    g.setLineDash([]);
    // Label and source badge.
    const l = p.label;
    g.font = fontOf(LABEL_SIZE);
    g.fillStyle = p.event.expected ? theme.expected : theme.text;
    g.textBaseline = 'middle';
    g.fillText(p.text, l.x, cy + 1);
    const bx = l.x + l.w - BADGE_R - 1;
    g.beginPath();
    g.arc(bx, cy, BADGE_R, 0, Math.PI * 2);
    g.fillStyle = theme.badge;
    g.fill();
    g.fillStyle = theme.badgeText;
    g.font = fontOf(11, true);
    g.textAlign = 'center';
    g.fillText(String(p.event.sources), bx, cy + 1);
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
  }
  g.fillStyle = theme.muted;
  g.font = fontOf(12);
  g.fillText(fit(g, L.footer, L.width - PAD * 2), PAD, L.height - 13);
  return { png: c.toBuffer('image/png'), width: L.width, height: L.height, layout: L };
}

type Ctx = ReturnType<ReturnType<CanvasModule['createCanvas']>['getContext']>;

function roundRect(g: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  const rr = Math.min(r, w / 2, h / 2);
  g.beginPath();
  g.moveTo(x + rr, y);
  g.arcTo(x + w, y, x + w, y + h, rr);
  g.arcTo(x + w, y + h, x, y + h, rr);
  g.arcTo(x, y + h, x, y, rr);
  g.arcTo(x, y, x + w, y, rr);
  g.closePath();
}

/** `text` cut with an ellipsis to fit `max` pixels in the current font. */
function fit(g: Ctx, text: string, max: number): string {
  if (g.measureText(text).width <= max) return text;
  let s = text;
  while (s.length > 1 && g.measureText(`${s}…`).width > max) s = s.slice(0, -1);
  return `${s.trimEnd()}…`;
}

/** The picture as an attachment named after the corpus and the time (`dossier-timeline-corpus-….png`). */
export function timelineImageAttachment(a: TimelineAnswer, meta: ExportMeta, opts: TimelineImageOptions = {}): Attachment {
  const img = renderTimelineImage(a, opts);
  return {
    name: exportFileName(meta, 'png'),
    contentType: 'image/png',
    data: img.png,
    description: cut(`Timeline picture: ${img.layout.events.length} events${a.topic ? ` about ${oneLine(a.topic)}` : ''}, corpus ${meta.corpus}, made ${meta.generated}`, 1000),
  };
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
