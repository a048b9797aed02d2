// The timeline picture: a PNG of the right size, not blank, readable on both themes, events drawn by their
// precision, and labels that never overlap — on the seed corpus, on crowded timelines and on random ones.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import timelineCommand from '../commands/timeline.js';
import type { TimelineAnswer, TimelineEvent } from '../src/answers/timeline.js';
import { answerTimeline } from '../src/answers/timeline.js';
import { parseOptions } from '../src/core/command.js';
import { buildDossier } from '../src/core/dossier.js';
import { filesOf } from '../src/render/export.js';
import { type Box, THEMES, type TimelineLayout, layoutTimeline, renderTimelineImage, shortLabel } from '../src/render/timelineImage.js';
import { CORPUS } from './helpers.js';

const require = createRequire(import.meta.url);
const { createCanvas, loadImage } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');

const seeds = buildDossier(CORPUS, { cache: false });

/** Width and height from the PNG header. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function pixels(png: Buffer): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return { data: g.getImageData(0, 0, img.width, img.height).data, width: img.width, height: img.height };
}

function luminanceVariance(data: Uint8ClampedArray): number {
  let sum = 0;
  let sq = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const l = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
    sum += l;
    sq += l * l;
  }
  return sq / n - (sum / n) ** 2;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function expectNoOverlap(L: TimelineLayout): void {
  const labels = L.events.map((e) => e.label);
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!;
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.x + a.w).toBeLessThanOrEqual(L.width);
    expect(a.y + a.h).toBeLessThanOrEqual(L.height);
    for (let j = i + 1; j < labels.length; j++) expect(overlap(a, labels[j]!), `labels ${i} and ${j} overlap`).toBe(false);
    // Nor does a label cover another event's marker.
    L.events.forEach((e, j) => {
      if (j !== i) expect(overlap(a, e.marker), `label ${i} covers marker ${j}`).toBe(false);
    });
  }
}

/** A rough text measure for layout-only tests: 7 px a character. */
const measure = (s: string) => s.length * 7;

function event(date: string, end: string | null, precision: TimelineEvent['precision'], text: string, sources = 1): TimelineEvent {
  const c = { article: `a${sources}`, title: 'T', outlet: null, published: null, url: null, quote: text };
  return { date, end, precision, text, expected: false, caption: false, citations: Array.from({ length: sources }, (_, i) => ({ ...c, article: `a${i}` })), sources };
}

function answer(events: TimelineEvent[], topic: string | null = null): TimelineAnswer {
  return { events, topic, from: null, to: null, source: null, searched: 3 };
}

const oneLineOf = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the timeline PNG of the seed corpus', () => {
  const a = answerTimeline(seeds);

  it('is a PNG of the size its layout says, wide enough for Discord and tall enough for every event', () => {
    const img = renderTimelineImage(a);
    expect(pngSize(img.png)).toEqual({ width: 1200, height: img.height });
    expect(img.height).toBeGreaterThan(25 * 20);
    expect(img.layout.events).toHaveLength(a.events.length);
  });

  it('is not blank, in either theme, and its background is opaque', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const { data } = await pixels(renderTimelineImage(a, { theme }).png);
      expect(luminanceVariance(data)).toBeGreaterThan(100);
      for (let i = 3; i < data.length; i += 4 * 97) expect(data[i]).toBe(255);
    }
  });

  it('text stands out from the background in both themes (contrast ≥ 7:1) so it reads in Discord dark and light', () => {
    const lum = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const contrast = (x: string, y: string) => {
      const [hi, lo] = [lum(x), lum(y)].sort((p, q) => q - p);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    for (const t of Object.values(THEMES)) {
      expect(contrast(t.text, t.bg)).toBeGreaterThanOrEqual(7);
      expect(contrast(t.muted, t.bg)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.badgeText, t.badge)).toBeGreaterThanOrEqual(3);
    }
  });

  it('labels do not overlap each other or other events, with the real font', () => {
    expectNoOverlap(renderTimelineImage(a).layout);
    expectNoOverlap(renderTimelineImage(answerTimeline(seeds, { topic: 'containers' })).layout);
  });

  it('draws a day as a dot, a span as a bar and a month or a year as a band, at their dates in order', () => {
    const L = renderTimelineImage(a).layout;
    const by = (date: string, end: string | null) => L.events.find((e) => e.event.date === date && e.event.end === end)!;
    expect(by('2023-09-07', '2023-10-01').shape).toBe('bar');
    expect(by('2022-02', null).shape).toBe('band');
    expect(by('2022', null).shape).toBe('band');
    expect(by('2023-10-05', null).shape).toBe('dot');
    // A month band is as wide as its month; a span bar reaches from its first to its last day.
    const sep = by('2023-09', null).marker;
    const span = by('2023-09-07', '2023-10-01').marker;
    expect(span.x).toBeGreaterThan(sep.x);
    expect(span.x).toBeLessThan(sep.x + sep.w);
    expect(span.x + span.w).toBeGreaterThan(sep.x + sep.w);
    // Later events sit further right.
    expect(by('2023-10-17', null).marker.x).toBeGreaterThan(by('2023-10-05', null).marker.x);
    expect(by('2023-10-05', null).marker.x).toBeGreaterThan(by('2022-02', null).marker.x);
  });

  it('labels are short, and carry the date and the source count', () => {
    const L = renderTimelineImage(a).layout;
    for (const e of L.events) expect(e.text.length).toBeLessThanOrEqual(80);
    expect(L.events.find((e) => e.event.sources === 4)).toBeTruthy();
    expect(shortLabel('Washington, D.C., October 13, 2023 – The United States has accused North Korea of facilitating the transfer.')).toBe('The United States has accused North Korea of…');
    // A label is a verbatim stretch of the sentence: not even the case of a letter changes.
    const sentence = 'On 17 October, a Kremlin spokesman denied these accusations.';
    expect(shortLabel(sentence)).toBe('a Kremlin spokesman denied these accusations');
    for (const e of L.events) expect(oneLineOf(e.event.text)).toContain(e.text.slice(e.text.indexOf(' · ') + 3).replace(/…$/, ''));
  });

  it('an empty timeline is still a picture that says so', () => {
    const img = renderTimelineImage(answer([]));
    expect(pngSize(img.png).width).toBe(1200);
    expect(img.layout.footer).toMatch(/No dated events/);
  });
});

describe('crowded and random timelines', () => {
  it('twenty events on one day stack in lanes without overlapping', () => {
    const events = Array.from({ length: 20 }, (_, i) => event('2023-10-13', null, 'day', `Event number ${i} happened in the harbour of the city`));
    const L = layoutTimeline(answer(events), measure);
    expectNoOverlap(L);
    expect(new Set(L.events.map((e) => e.lane)).size).toBe(20);
  });

  it('long gaps are cut out of the axis so clustered events keep their room', () => {
    const L = layoutTimeline(answer([event('1990-01', null, 'month', 'Old'), event('2023-10-01', null, 'day', 'New a'), event('2023-10-20', null, 'day', 'New b')]), measure);
    expect(L.segments.length).toBe(2);
    const [a, b] = [L.events[1]!.marker, L.events[2]!.marker];
    expect(b.x - a.x).toBeGreaterThan(100);
  });

  it('no two labels ever overlap (property)', () => {
    const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });
    const ev = fc.record({ d: day, len: fc.integer({ min: 0, max: 90 }), precision: fc.constantFrom('day', 'month', 'year'), words: fc.integer({ min: 1, max: 30 }), sources: fc.integer({ min: 1, max: 12 }) });
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 45 }), (list) => {
        const events = list
          .map(({ d, len, precision, words, sources }) => {
            const iso = d.toISOString().slice(0, 10);
            const date = precision === 'day' ? iso : precision === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
            const end = precision === 'day' && len > 0 ? new Date(d.getTime() + len * 86_400_000).toISOString().slice(0, 10) : null;
            return event(date, end, precision as TimelineEvent['precision'], 'word '.repeat(words).trim(), sources);
          })
          .sort((x, y) => x.date.localeCompare(y.date));
        const L = layoutTimeline(answer(events), measure, { maxEvents: 40 });
        expectNoOverlap(L);
        expect(L.events.length + L.omitted).toBe(events.length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('/timeline image:true', () => {
  it('attaches a PNG named after the corpus and the time', () => {
    const a = timelineCommand.run(parseOptions(timelineCommand, { topic: 'containers', image: true }), { dossier: seeds });
    const files = filesOf(timelineCommand, a);
    expect(files).toHaveLength(1);
    expect(files[0]!.contentType).toBe('image/png');
    expect(files[0]!.name).toMatch(/^dossier-timeline-corpus-\d{8}T\d{6}Z\.png$/);
    expect(pngSize(files[0]!.data).width).toBe(1200);
    // The message itself is the usual page; the console says a picture goes with it.
    expect(timelineCommand.render.discord(a).embeds![0]!.title).toContain('containers');
    expect(timelineCommand.render.text(a)).toMatch(/PNG picture/);
  });

  it('takes "true"/"false" typed in the console and the CLI, and refuses anything else', () => {
    expect(parseOptions(timelineCommand, { image: 'yes' }).image).toBe(true);
    expect(parseOptions(timelineCommand, { image: 'false' }).image).toBe(false);
    expect(() => parseOptions(timelineCommand, { image: 'maybe' })).toThrow(/true or false/);
    const plain = timelineCommand.run(parseOptions(timelineCommand, {}), { dossier: seeds });
    expect(filesOf(timelineCommand, plain)).toEqual([]);
  });
});
