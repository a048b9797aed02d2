// The cache writes paragraphs and extraction results packed (src/core/stored.ts): read back, they must be
// exactly what the extractor made — every field, in the same key order (answers are serialised to JSON),
// quotes and dates' words still the body's own characters — and a packed value that is not what the cache
// writes must be refused (the cache is then rebuilt), never read as something else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCorpus } from '../bench/corpus.js';
import { packExtraction, packParagraphs, readExtraction, unpackExtraction, unpackParagraphs } from '../src/core/stored.js';
import { extract } from '../src/extract/index.js';
import type { Extraction } from '../src/extract/types.js';
import { articlesIn } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'dossier-stored-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Through JSON, as the cache file is. */
const roundTrip = (x: Extraction, body: string) => unpackExtraction(JSON.parse(JSON.stringify(packExtraction(x, body))), body);

describe('packed extraction results', () => {
  writeCorpus(join(tmp, 'bench'), 120, 3);
  const all = [...articlesIn(), ...articlesIn(join(tmp, 'bench'))];

  it('read back exactly as extracted, every one packed (none left as a plain object)', () => {
    let items = 0;
    for (const a of all) {
      const x = extract(a);
      const packed = packExtraction(x, a.body) as { d: unknown[]; e: unknown[]; s: unknown[] };
      // Every item packed: each list one flat array of values, no item left as an object.
      for (const list of [packed.d, packed.e, packed.s]) for (const v of list) expect(v === null || typeof v !== 'object', `${a.id}: ${JSON.stringify(v)}`).toBe(true);
      items += packed.d.length + packed.e.length + packed.s.length;
      expect(JSON.stringify(roundTrip(x, a.body))).toBe(JSON.stringify(x));
      // As a start-up reads it: the same extraction, made when first read.
      expect(JSON.stringify(readExtraction(JSON.parse(JSON.stringify(packed)), a.body))).toBe(JSON.stringify(x));
      const ps = unpackParagraphs(JSON.parse(JSON.stringify(packParagraphs(a.paragraphs))), a.body.length);
      expect(JSON.stringify(ps)).toBe(JSON.stringify(a.paragraphs));
    }
    expect(items).toBeGreaterThan(1000);
  });

  it('keeps what it cannot pack as it is: a custom extractor\'s fields, a quote that is not the body\'s slice', () => {
    const a = articlesIn()[0]!;
    const x = extract(a);
    const custom: Extraction = {
      ...x,
      statements: [{ ...x.statements[0]!, quote: 'words not in the body' }, { ...x.statements[1]!, note: 'extra' } as never],
      events: x.events.slice(0, 1).map((e) => ({ ...e, article: 'another' })),
    };
    expect(JSON.stringify(roundTrip(custom, a.body))).toBe(JSON.stringify(custom));
    const odd = { article: a.id, dates: [], events: [], statements: [], extra: 1 } as unknown as Extraction;
    expect(roundTrip(odd, a.body)).toEqual(odd);
  });

  it('refuses a packed value that is not what the cache writes', () => {
    const a = articlesIn()[0]!;
    const packed = JSON.parse(JSON.stringify(packExtraction(extract(a), a.body)));
    // Both readers: unpackExtraction, and a start-up's readExtraction, which refuses each at once, not when
    // the lists are first read.
    for (const reader of [unpackExtraction, readExtraction]) {
      const bad = (mutate: (p: { d: unknown[]; e: unknown[]; s: unknown[] }) => void) => {
        const p = structuredClone(packed);
        mutate(p);
        return () => reader(p, a.body);
      };
      // The lists are flat: [statement 0's 8 values, statement 1's …], [event 0's 9 values, …], [date 0's 9 …].
      expect(bad((p) => (p.s[4] = a.body.length + 10))).toThrow(/statement/);
      expect(bad((p) => (p.s[2] = 7))).toThrow(/statement/);
      expect(bad((p) => (p.e[2] = 'day'))).toThrow(/event/);
      expect(bad((p) => (p.d[0] = -1))).toThrow(/date/);
      expect(bad((p) => p.e.pop())).toThrow(/event list/);
      expect(() => reader({ article: a.id, d: [], e: 3, s: [] }, a.body)).toThrow(/event list/);
    }
    expect(() => unpackParagraphs([0, 5, 99, null], a.body.length)).toThrow(/paragraph/);
    expect(() => unpackParagraphs([0, 5, 0], a.body.length)).toThrow(/paragraph list/);
  });

  it('a start-up reads extractions without making their lists: written back as read, made once when read', () => {
    const a = articlesIn()[0]!;
    const x = extract(a);
    const packed = JSON.parse(JSON.stringify(packExtraction(x, a.body)));
    // Never looked at (a corpus saved again after one file changed): written back as it was read, unmade.
    const unread = readExtraction(packed, a.body);
    expect(packExtraction(unread, a.body)).toBe(packed);
    // Looked at: made once, the same lists every time, and packed again to the same values.
    const seen = readExtraction(packed, a.body);
    const statements = seen.statements;
    expect(statements.length).toBeGreaterThan(3);
    expect(seen.statements).toBe(statements);
    expect(JSON.stringify(packExtraction(seen, a.body))).toBe(JSON.stringify(packed));
    // Its lists can be set, as any extraction's, and are then what is written.
    const set = readExtraction(packed, a.body);
    set.events = [];
    expect(set.events).toEqual([]);
    expect(unpackExtraction(JSON.parse(JSON.stringify(packExtraction(set, a.body))), a.body)).toEqual({ ...x, events: [] });
    // A copy or a message to a worker thread carries the lists, as any extraction's.
    expect(structuredClone(readExtraction(packed, a.body))).toEqual(x);
    expect({ ...readExtraction(packed, a.body) }).toEqual(x);
  });
});
