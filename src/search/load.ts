// Reading MiniSearch's own serialisation back, fast.
//
// `MiniSearch.loadJS(JSON.parse(text))` first makes a JavaScript object of every posting list — an object
// keyed by document ids, which V8 keeps as a slow dictionary — then walks each one again with Object.keys
// (a string per posting) and parseInt to fill its Maps. At 10,000 articles (300,000 sentences, ~2.6
// million postings) that was most of a start-up.
//
// readMiniSearch() reads the same JSON text (the file stays exactly MiniSearch's toJSON()) in one pass,
// straight into the Maps loadJS would build — the same keys, values and orders: integer-keyed objects come
// out of JSON.parse in ascending key order, so each map here is filled in ascending key order too — and
// hands them to the MiniSearch loadJS makes. The maps of document ids and field lengths, which the bot's
// searches read only once (at the first query), are read from the same text when first used (LazyMap).
// Every string read is a copy, not a slice of the text (V8 keeps a slice's whole parent string alive: the
// index's text would never be freed). Anything it does not
// expect (another serialisation version, stored fields, a number that is not a plain integer where one is
// expected, bad JSON) makes it return null: the caller then uses JSON.parse and loadJS, which report the
// error as they do. The text must be one whose checksum was checked (the cache's): the lazily read parts
// are only matched for brackets and strings at first, and a malformed one would throw when first used.
// test/search-load.test.ts checks it against loadJS on built, edited and hand-made indexes.
import MiniSearch, { type Options } from 'minisearch';

class Unexpected extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
/** V8 makes a substring of at least this many characters a view of its parent string, not a copy. */
const SLICE_MIN = 13;
const NINE = 0x39;

/** A cursor over JSON text, for the shapes MiniSearch writes (no whitespace is assumed, any is skipped). */
class Reader {
  p: number;
  constructor(
    readonly s: string,
    start = 0,
  ) {
    this.p = start;
  }

  ws(): void {
    const s = this.s;
    let p = this.p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.p = p;
  }

  /** The next character's code (after any whitespace). */
  peek(): number {
    this.ws();
    return this.s.charCodeAt(this.p);
  }

  /** Consumes `c` (after any whitespace), or throws. */
  expect(c: number): void {
    this.ws();
    if (this.s.charCodeAt(this.p) !== c) throw new Unexpected(`expected '${String.fromCharCode(c)}' at ${this.p}`);
    this.p++;
  }

  /** Consumes `c` if it is next (after any whitespace). */
  eat(c: number): boolean {
    this.ws();
    if (this.s.charCodeAt(this.p) !== c) return false;
    this.p++;
    return true;
  }

  /** `,` then more, or `close` then done: true while the list goes on. */
  more(close: number): boolean {
    this.ws();
    const c = this.s.charCodeAt(this.p++);
    if (c === COMMA) return true;
    if (c === close) return false;
    throw new Unexpected(`expected ',' or '${String.fromCharCode(close)}' at ${this.p - 1}`);
  }

  string(): string {
    this.expect(QUOTE);
    const s = this.s;
    const start = this.p;
    let p = start;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
        continue;
      }
      if (Number.isNaN(c)) throw new Unexpected('unterminated string');
      p++;
    }
    this.p = p + 1;
    // JSON.parse decodes escapes (and rejects what JSON does not allow), and makes a string of its own.
    return escaped || p - start >= SLICE_MIN ? (JSON.parse(s.slice(start - 1, p + 1)) as string) : s.slice(start, p);
  }

  /** A non-negative integer written as plain digits (how MiniSearch's ids and counts are written). */
  int(): number {
    this.ws();
    const s = this.s;
    let p = this.p;
    let n = 0;
    const start = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      n = n * 10 + (c - ZERO);
      p++;
    }
    if (p === start || (s.charCodeAt(start) === ZERO && p - start > 1) || p - start > 15) throw new Unexpected(`expected an integer at ${start}`);
    const next = s.charCodeAt(p);
    if (next === 0x2e || next === 0x65 || next === 0x45) throw new Unexpected(`not an integer at ${start}`);
    this.p = p;
    return n;
  }

  /** An object key that is an integer ("123"), as a number. */
  intKey(): number {
    this.expect(QUOTE);
    const n = this.int();
    // Larger keys are not array indices: JSON.parse would keep them in file order, not ascending.
    if (n > 4294967294) throw new Unexpected(`key ${n} is not an array index`);
    if (this.s.charCodeAt(this.p) !== QUOTE) throw new Unexpected(`expected an integer key at ${this.p}`);
    this.p++;
    this.expect(COLON);
    return n;
  }

  /** Any JSON value, by finding where it ends and handing that slice to JSON.parse. */
  value(): unknown {
    const start = this.skip();
    return JSON.parse(this.s.slice(start, this.p));
  }

  /** Moves past a JSON value (its strings and brackets matched, not checked further); where it started. */
  skip(): number {
    this.ws();
    const s = this.s;
    const start = this.p;
    let p = start;
    let depth = 0;
    for (;;) {
      const c = s.charCodeAt(p);
      if (Number.isNaN(c)) throw new Unexpected('unterminated value');
      if (c === QUOTE) {
        p++;
        for (;;) {
          const d = s.charCodeAt(p);
          if (Number.isNaN(d)) throw new Unexpected('unterminated string');
          if (d === BACKSLASH) p += 2;
          else if (d === QUOTE) break;
          else p++;
        }
        p++;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        p++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) break;
        depth--;
        p++;
      } else if (c === COMMA && depth === 0) break;
      else p++;
      if (depth === 0 && (c === QUOTE || c === CLOSE_BRACE || c === CLOSE_BRACKET)) break;
    }
    this.p = p;
    return start;
  }
}

/** Adds entries to a Map that must end up in ascending key order (as loadJS's would be). */
class Ascending<V> {
  readonly map = new Map<number, V>();
  private last = -1;
  private sorted = true;
  set(k: number, v: V): void {
    if (k <= this.last) {
      // JSON.parse would keep the last of a key written twice: leave that to loadJS.
      if (this.map.has(k)) throw new Unexpected(`key ${k} twice`);
      this.sorted = false;
    }
    this.last = k;
    this.map.set(k, v);
  }
  done(): Map<number, V> {
    if (this.sorted) return this.map;
    return new Map([...this.map].sort((a, b) => a[0] - b[0]));
  }
}

/** `{"<int>": V, …}` into a Map in ascending key order. */
function intKeyed<V>(r: Reader, value: (r: Reader) => V): Map<number, V> {
  const out = new Ascending<V>();
  r.expect(OPEN_BRACE);
  if (r.eat(CLOSE_BRACE)) return out.map;
  do {
    const k = r.intKey();
    out.set(k, value(r));
  } while (r.more(CLOSE_BRACE));
  return out.done();
}

/**
 * One field's postings, `{"<docId>":<tf>,…}`, into a Map in ascending key order: the bulk of an index,
 * so read in one loop over the characters (MiniSearch writes them with no whitespace; any other shape is
 * read by intKeyed).
 */
function postings(r: Reader): Map<number, number> {
  const s = r.s;
  let p = r.p;
  if (s.charCodeAt(p) !== OPEN_BRACE) return intKeyed(r, (rr) => rr.int());
  const map = new Map<number, number>();
  p++;
  if (s.charCodeAt(p) === CLOSE_BRACE) {
    r.p = p + 1;
    return map;
  }
  let last = -1;
  for (;;) {
    if (s.charCodeAt(p) !== QUOTE) break;
    p++;
    let k = 0;
    let c = s.charCodeAt(p);
    const k0 = p;
    while (c >= ZERO && c <= NINE) {
      k = k * 10 + (c - ZERO);
      c = s.charCodeAt(++p);
    }
    // Plain, ascending, array-index keys without leading zeros; anything else: the general reader.
    if (p === k0 || p - k0 > 9 || (s.charCodeAt(k0) === ZERO && p - k0 > 1) || k <= last || c !== QUOTE || s.charCodeAt(p + 1) !== COLON) break;
    p += 2;
    let v = 0;
    c = s.charCodeAt(p);
    const v0 = p;
    while (c >= ZERO && c <= NINE) {
      v = v * 10 + (c - ZERO);
      c = s.charCodeAt(++p);
    }
    if (p === v0 || p - v0 > 9 || (s.charCodeAt(v0) === ZERO && p - v0 > 1)) break;
    map.set(k, v);
    last = k;
    p++;
    if (c === COMMA) continue;
    if (c === CLOSE_BRACE) {
      r.p = p;
      return map;
    }
    break;
  }
  // Not the plain shape: read this object again, the general way.
  return intKeyed(r, (rr) => rr.int());
}

/**
 * `[n, n, …]` of integers (a document's field lengths); `null` where a document had no such field (JSON's
 * way of writing the hole MiniSearch leaves in its array), kept as loadJS keeps it.
 */
function intArray(r: Reader): number[] {
  const out: (number | null)[] = [];
  r.expect(OPEN_BRACKET);
  if (r.eat(CLOSE_BRACKET)) return out as number[];
  do out.push(r.peek() === 0x6e /* n */ && r.s.startsWith('null', r.p) ? ((r.p += 4), null) : r.int());
  while (r.more(CLOSE_BRACKET));
  return out as number[];
}

type FieldPostings = Map<number, Map<number, number>>;

/** MiniSearch's `index`: `[[term, {"<fieldId>": {"<docId>": tf}}], …]`, in file order. */
function terms(r: Reader, each: (term: string, data: FieldPostings) => void): void {
  r.expect(OPEN_BRACKET);
  if (r.eat(CLOSE_BRACKET)) return;
  do {
    r.expect(OPEN_BRACKET);
    const term = r.string();
    r.expect(COMMA);
    const data = intKeyed(r, postings);
    r.expect(CLOSE_BRACKET);
    each(term, data);
  } while (r.more(CLOSE_BRACKET));
}

/**
 * A Map read from the index's text the first time it is used (`fill`, called by every method of the
 * subclasses): `load` makes its entries. When that fails, `reset` empties what it made (never half a
 * map) and a clear error is thrown; the reader is kept until one succeeds, so every later use reads
 * again and fails the same way.
 */
abstract class ReadOnFirstUse<K, V> extends Map<K, V> {
  private make: (() => Iterable<readonly [K, V]>) | null;
  constructor(make: () => Iterable<readonly [K, V]>) {
    super();
    this.make = make;
  }
  protected abstract load(make: () => Iterable<readonly [K, V]>): void;
  protected abstract reset(): void;
  protected fill(): void {
    const make = this.make;
    if (!make) return;
    try {
      this.load(make);
    } catch (e) {
      this.reset();
      throw new Error(`the search index could not be read (${(e as Error).message}); delete the cache folder to rebuild it`);
    }
    this.make = null;
  }
  /** Drops the reader: the map is what it holds now (cleared, say). */
  protected forget(): void {
    this.make = null;
  }
}

/**
 * A Map whose entries are made the first time any of its methods is used. At start-up, MiniSearch's maps
 * of document ids (short id → id, id → short id) and field lengths hold ~300,000 entries each at 10,000
 * articles, and the bot's searches read them once, at the first query (src/search/exact.ts copies them
 * into its own arrays; MiniSearch's own search, the fallback, reads them per posting): they are read from
 * the index's text when first needed.
 */
export class LazyMap<K, V> extends ReadOnFirstUse<K, V> {
  protected load(make: () => Iterable<readonly [K, V]>): void {
    for (const [k, v] of make()) super.set(k, v);
  }
  protected reset(): void {
    super.clear();
  }
  override get size(): number {
    this.fill();
    return super.size;
  }
  override get(key: K): V | undefined {
    this.fill();
    return super.get(key);
  }
  override has(key: K): boolean {
    this.fill();
    return super.has(key);
  }
  override set(key: K, value: V): this {
    this.fill();
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.fill();
    return super.delete(key);
  }
  override clear(): void {
    this.forget();
    this.reset();
  }
  override forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.fill();
    super.forEach(fn, thisArg);
  }
  override entries(): MapIterator<[K, V]> {
    this.fill();
    return super.entries();
  }
  override keys(): MapIterator<K> {
    this.fill();
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.fill();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[K, V]> {
    this.fill();
    return super[Symbol.iterator]();
  }
}

/**
 * MiniSearch's field lengths (short id → the length of each field) as one Uint32Array rather than an array
 * per document: at 10,000 articles (300,000 sentences) 68 MB of small arrays become 2.4 MB. Read from the
 * index's text when first used, like LazyMap. `get` hands out a new array each time (MiniSearch only reads
 * them, and fills in arrays it adds itself, which are kept as they are), which makes MiniSearch's own
 * search, which asks for one per posting, slower than over its own maps (the bot's searches read
 * src/search/exact.ts's copy). Entries added later are kept as ordinary entries, after the packed ones; so
 * is an entry set again (where a Map would keep its place), and every entry when they do not pack (a
 * missing field, a length that is not a 32-bit count, ids far sparser than the entries).
 */
export class PackedLengths extends ReadOnFirstUse<number, number[]> {
  /** Fields per document in `packed`. */
  private width = 0;
  /** [shortId * width + fieldId]. */
  private packed = new Uint32Array(0);
  private present = new Uint8Array(0);
  private count = 0;

  protected reset(): void {
    super.clear();
    this.packed = new Uint32Array(0);
    this.present = new Uint8Array(0);
    this.count = 0;
  }

  protected load(make: () => Iterable<readonly [number, number[]]>): void {
    const keys: number[] = [];
    const values: number[] = [];
    let width = -1;
    let fits = true;
    let top = -1;
    for (const [k, ls] of make()) {
      keys.push(k);
      if (width < 0) width = ls.length;
      if (ls.length !== width || !Number.isInteger(k) || k < 0 || k > 0x7fffffff) fits = false;
      for (let f = 0; f < ls.length && fits; f++) {
        const v = ls[f];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) fits = false;
        values.push(v as number);
      }
      if (!fits) break;
      if (k > top) top = k;
    }
    // Ids far sparser than the entries (many documents removed before the index was saved) would make a
    // large array for few lengths: those are kept as ordinary entries too.
    if (!fits || width <= 0 || top + 1 > 4 * keys.length + 1024) {
      for (const [key, v] of make()) super.set(key, v);
      return;
    }
    this.width = width;
    this.packed = new Uint32Array((top + 1) * width);
    this.present = new Uint8Array(top + 1);
    keys.forEach((k, i) => {
      if (!this.present[k]) this.count++;
      this.present[k] = 1;
      for (let f = 0; f < width; f++) this.packed[k * width + f] = values[i * width + f]!;
    });
  }

  private isPacked(k: number): boolean {
    return typeof k === 'number' && k >= 0 && k < this.present.length && this.present[k] === 1;
  }

  private unpacked(k: number): number[] {
    const at = k * this.width;
    return Array.from(this.packed.subarray(at, at + this.width));
  }

  override get size(): number {
    this.fill();
    return this.count + super.size;
  }
  override get(k: number): number[] | undefined {
    this.fill();
    return this.isPacked(k) ? this.unpacked(k) : super.get(k);
  }
  override has(k: number): boolean {
    this.fill();
    return this.isPacked(k) || super.has(k);
  }
  /** Takes `k` out of the packed lengths; whether it was there. */
  private unpack(k: number): boolean {
    if (!this.isPacked(k)) return false;
    this.present[k] = 0;
    this.count--;
    return true;
  }
  override set(k: number, v: number[]): this {
    this.fill();
    this.unpack(k);
    return super.set(k, v);
  }
  override delete(k: number): boolean {
    this.fill();
    return this.unpack(k) || super.delete(k);
  }
  override clear(): void {
    this.forget();
    this.reset();
  }
  override *entries(): MapIterator<[number, number[]]> {
    this.fill();
    for (let k = 0; k < this.present.length; k++) if (this.present[k] === 1) yield [k, this.unpacked(k)];
    yield* super.entries();
  }
  override *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }
  override *values(): MapIterator<number[]> {
    for (const [, v] of this.entries()) yield v;
  }
  override [Symbol.iterator](): MapIterator<[number, number[]]> {
    return this.entries();
  }
  override forEach(fn: (value: number[], key: number, map: Map<number, number[]>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}

/**
 * Packs a MiniSearch's field lengths (see PackedLengths) when it holds them as MiniSearch's own Map, as
 * one built or loaded by MiniSearch does: they are packed the next time they are used.
 */
export function packFieldLengths(mini: MiniSearch<any>): void {
  const m = mini as unknown as { _fieldLength?: unknown };
  const plain = m._fieldLength;
  if (plain instanceof Map && !(plain instanceof ReadOnFirstUse)) m._fieldLength = new PackedLengths(() => plain as Map<number, number[]>);
}

interface Internals {
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _storedFields: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _index: { set(term: string, data: FieldPostings): unknown };
}

/**
 * The MiniSearch whose toJSON() is the JSON object starting at `start` in `text` (and where it ends), as
 * `MiniSearch.loadJS(JSON.parse(…), options)` would give it; null when the text is not what this reader
 * expects (then use JSON.parse and loadJS).
 */
export function readMiniSearch<T>(text: string, options: Options<T>, start = 0): { mini: MiniSearch<T>; end: number } | null {
  try {
    const r = new Reader(text, start);
    const scalars: Record<string, unknown> = {};
    // Where documentIds and fieldLength are in the text: read when first used (see LazyMap).
    let documentIds: number | null = null;
    let fieldLength: number | null = null;
    let storedFields: Map<number, unknown> | null = null;
    // Terms are read before the MiniSearch can be made when `index` comes before `serializationVersion`.
    const termList: [string, FieldPostings][] = [];
    r.expect(OPEN_BRACE);
    if (!r.eat(CLOSE_BRACE)) {
      do {
        const key = r.string();
        r.expect(COLON);
        if (key in scalars || (key === 'documentIds' && documentIds !== null) || (key === 'fieldLength' && fieldLength !== null) || (key === 'storedFields' && storedFields)) throw new Unexpected(`${key} twice`);
        if (key === 'documentIds') documentIds = r.skip();
        else if (key === 'fieldLength') fieldLength = r.skip();
        else if (key === 'storedFields') {
          storedFields = intKeyed(r, (rr) => rr.value());
          if (storedFields.size > 0) throw new Unexpected('stored fields'); // objects, as loadJS keeps them: not worth a reader
        } else if (key === 'index') {
          if ('index' in scalars) throw new Unexpected('index twice');
          scalars.index = true;
          terms(r, (term, data) => termList.push([term, data]));
        } else scalars[key] = r.value();
      } while (r.more(CLOSE_BRACE));
    }
    if (scalars.serializationVersion !== 2 || documentIds === null || fieldLength === null || !storedFields || scalars.index !== true) return null;
    const mini = MiniSearch.loadJS<T>({ ...(scalars as object), documentIds: {}, fieldLength: {}, storedFields: {}, index: [] } as unknown as Parameters<typeof MiniSearch.loadJS>[0], options);
    const m = mini as unknown as Internals;
    if (!(m._documentIds instanceof Map) || !(m._idToShortId instanceof Map) || typeof m._index?.set !== 'function') return null;
    // Read later from the same text, which is MiniSearch's own JSON (its checksum checked by the caller):
    // the general reader takes any shape JSON.parse would.
    const idsAt = documentIds;
    const lengthsAt = fieldLength;
    const ids = new LazyMap<number, unknown>(() => intKeyed(new Reader(text, idsAt), (rr) => (rr.peek() === QUOTE ? rr.string() : rr.value())));
    m._documentIds = ids;
    m._fieldLength = new PackedLengths(() => intKeyed(new Reader(text, lengthsAt), intArray));
    m._storedFields = storedFields;
    m._idToShortId = new LazyMap<unknown, number>(function* () {
      for (const [shortId, id] of ids) yield [id, shortId] as const;
    });
    for (const [term, data] of termList) m._index.set(term, data);
    return { mini, end: r.p };
  } catch (e) {
    if (e instanceof Unexpected || e instanceof SyntaxError) return null;
    throw e;
  }
}

// ---- writing ----------------------------------------------------------------------------------------

interface WriteInternals {
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _storedFields: Map<number, unknown>;
  _dirtCount: number;
  _index: Iterable<[string, Map<number, Map<number, number>>]>;
}

/** The keys of MiniSearch 7's toJSON(), in its order (serialisation version 2). */
const TOJSON_KEYS = 'documentCount,nextId,documentIds,fieldIds,fieldLength,averageFieldLength,storedFields,dirtCount,index,serializationVersion';
let shapeKnown: boolean | null = null;
/** Whether this MiniSearch's toJSON() is the one writeMiniSearch writes (checked once, on an empty index). */
function toJsonShapeKnown(): boolean {
  if (shapeKnown === null) {
    const j = new MiniSearch({ fields: ['x'] }).toJSON();
    shapeKnown = Object.keys(j).join() === TOJSON_KEYS && j.serializationVersion === 2;
  }
  return shapeKnown;
}

/** Pieces are handed on at about this many characters. */
const PIECE = 1 << 16;

/** An array index (what V8 orders first, ascending, when it writes an object's keys). */
const isIndexKey = (k: number) => Number.isInteger(k) && k >= 0 && k < 4294967295;

/**
 * Puts `JSON.stringify(Object.fromEntries(map))` for a map with number keys: array-index keys come out in
 * ascending order, as V8 writes them. Puts nothing and returns false when some key is not an array index.
 */
function putIntKeyed<V>(map: Map<number, V>, value: (v: V) => string, put: (s: string) => void): boolean {
  let sorted = true;
  let last = -1;
  for (const k of map.keys()) {
    if (!isIndexKey(k)) return false;
    if (k <= last) sorted = false;
    last = k;
  }
  let sep = '{';
  for (const k of sorted ? map.keys() : [...map.keys()].sort((a, b) => a - b)) {
    put(`${sep}"${k}":${value(map.get(k)!)}`);
    sep = ',';
  }
  put(sep === '{' ? '{}' : '}');
  return true;
}

/** putIntKeyed's text as a string (`JSON.stringify(Object.fromEntries(map))` for any keys). */
function intKeyedJson<V>(map: Map<number, V>, value: (v: V) => string): string {
  let s = '';
  return putIntKeyed(map, value, (p) => (s += p)) ? s : JSON.stringify(Object.fromEntries([...map].map(([k, v]) => [k, JSON.parse(value(v))])));
}

const numberJson = (n: number) => (Number.isInteger(n) ? String(n) : JSON.stringify(n));

/**
 * Writes `JSON.stringify(mini.toJSON())` through `emit`, in pieces of about PIECE characters: the same
 * text, without first making toJSON()'s object of every posting list (160 MB at 10,000 articles, held
 * while the cache was written, the peak of a cold start). A MiniSearch whose internals are not the ones
 * expected is written through toJSON(). test/search-load.test.ts compares the two on built and edited indexes.
 */
export function writeMiniSearch(mini: MiniSearch<any>, emit: (piece: string) => void): void {
  const m = mini as unknown as Partial<WriteInternals>;
  const ok =
    typeof m._documentCount === 'number' &&
    typeof m._nextId === 'number' &&
    typeof m._dirtCount === 'number' &&
    m._documentIds instanceof Map &&
    m._fieldLength instanceof Map &&
    m._storedFields instanceof Map &&
    Array.isArray(m._avgFieldLength) &&
    typeof m._fieldIds === 'object' &&
    m._index !== undefined &&
    typeof (m._index as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function' &&
    toJsonShapeKnown();
  if (!ok) return emit(JSON.stringify(mini.toJSON()));
  const w = m as WriteInternals;
  let buffered = '';
  const put = (s: string) => {
    buffered += s;
    if (buffered.length >= PIECE) {
      emit(buffered);
      buffered = '';
    }
  };
  const json = (v: unknown) => JSON.stringify(v);
  const intKeyed = <V>(map: Map<number, V>, value: (v: V) => string) => {
    if (!putIntKeyed(map, value, put)) put(intKeyedJson(map, value));
  };
  put(`{"documentCount":${json(w._documentCount)},"nextId":${json(w._nextId)},"documentIds":`);
  intKeyed(w._documentIds, json);
  put(`,"fieldIds":${json(w._fieldIds)},"fieldLength":`);
  intKeyed(w._fieldLength, json);
  put(`,"averageFieldLength":${json(w._avgFieldLength)},"storedFields":`);
  intKeyed(w._storedFields, json);
  put(`,"dirtCount":${json(w._dirtCount)},"index":[`);
  let sep = '';
  for (const [term, fields] of w._index) {
    put(`${sep}[${json(term)},${intKeyedJson(fields, (freqs) => intKeyedJson(freqs, numberJson))}]`);
    sep = ',';
  }
  put('],"serializationVersion":2}');
  emit(buffered);
}
