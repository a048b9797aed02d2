// /who-said: the statements of the corpus, with one name per speaker across articles; by speaker, by words
// (a fuzzy match, so a slightly misremembered quote still finds it) and by topic.
import MiniSearch from 'minisearch';
import type { Dossier } from '../core/dossier.js';
import { scoreAll } from '../search/exact.js';
import { type Citation, citationOf } from '../core/types.js';
import { nameKey } from '../extract/speakers.js';
import type { Statement, StatementKind } from '../extract/types.js';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface WhoSaidStatement {
  /** Canonical speaker: one name for a person across the corpus ("John Kirby"). */
  speaker: string;
  role: string | null;
  kind: StatementKind;
  /** The words said, verbatim. */
  quote: string;
  /** The sentence(s) that contain them, cited. */
  citation: Citation;
  /** How well it matched `words` (1 when no words were given). */
  score: number;
}

export interface WhoSaidAnswer {
  speaker: string | null;
  words: string | null;
  topic: string | null;
  statements: WhoSaidStatement[];
  /** When a speaker was asked for and not found: the known speakers nearest to it. */
  suggestions: string[];
  /** Number of articles searched. */
  searched: number;
}

export interface WhoSaidOptions {
  speaker?: string;
  words?: string;
  topic?: string;
}

export interface KnownSpeaker {
  name: string;
  role: string | null;
  count: number;
  aliases: string[];
}

interface Prepared {
  /** The corpus's statements, as extracted (not copied: 188,000 at 10,000 articles). */
  statements: Statement[];
  /** By statement id: its canonical speaker, and that speaker's most frequent role. */
  canonical: string[];
  canonicalRole: (string | null)[];
  speakers: Map<string, KnownSpeaker>;
  /** Any alias key → canonical name. */
  aliasOf: Map<string, string>;
  search: MiniSearch | null;
  /** Made when words are first asked for: by statement id, its short id in `search` (-1: none). */
  shortIds: Int32Array | null;
  /** Canonical name → its statements' ids, in corpus order. */
  byCanonical: Map<string, number[]>;
  /** Every known speaker, most statements first (what knownSpeakers returns). */
  ranked: KnownSpeaker[];
  /** nameKey of each ranked speaker's name (for suggestions), and of its name and aliases joined by "\n" (for autocomplete). */
  rankedKey: string[];
  rankedKeys: string[];
  /** Each canonical name with its nameKey padded with spaces (for a partial speaker match). */
  paddedKeys: [string, string][];
  /** Per statement, made when first needed: the words of its quote (tokensOf), and those over four letters. */
  quoteTokens: ({ all: Set<string>; long: string[] } | undefined)[];
  /** Made when words are first asked for: which statements' quotes hold each word (see quoteWordsOf). */
  quoteWords: QuoteWords | null;
  /** Per statement, made when first shown: what an answer shows of it but its score (the same every time). */
  shown: (Omit<WhoSaidStatement, 'score'> | null | undefined)[];
  /** Whether `shown` has been made for every statement. */
  shownAll: boolean;
  /** Made when a topic is asked of many statements: word of the passage and quote → statement ids. */
  topicIndex: Map<string, number[]> | null;
  /** Autocomplete answers by what was typed (most recent kept). */
  choices: Map<string, KnownSpeaker[]>;
  /** Whether the settling searches (settleSearches) have run, are running or were cut short (never twice). */
  settled: boolean;
  /** How many of them ran. */
  settlingRun: number;
}

const prepared = new WeakMap<Dossier, Prepared>();

/** Institutions that speak for themselves: not folded into their country by the alias table. */
const INSTITUTION = /\b(?:kremlin|white house|pentagon|state department|downing street|élysée|elysee|blue house|foreign ministry|defen[cs]e ministry)\b/i;

const strip = (s: string) => s.replace(/^(?:the|a|an)\s+/i, '').trim();

function prepare(d: Dossier): Prepared {
  const hit = prepared.get(d);
  if (hit) return hit;
  const all: Statement[] = [];
  for (const a of d.articles) all.push(...(d.extractions.get(a.id)?.statements ?? []));
  // Full names of people across the corpus, by key; a surname-only speaker joins the full name whose last
  // word it is, when there is exactly one such name.
  const fullNames = new Map<string, Map<string, number>>(); // key → spelling → count
  for (const s of all) {
    if (s.speakerKind !== 'person' || !/\s/.test(s.speaker)) continue;
    const k = nameKey(s.speaker);
    const m = fullNames.get(k) ?? new Map<string, number>();
    m.set(s.speaker, (m.get(s.speaker) ?? 0) + 1);
    fullNames.set(k, m);
  }
  const displayOf = new Map<string, string>();
  const display = (k: string) => {
    let name = displayOf.get(k);
    if (name === undefined) {
      name = [...fullNames.get(k)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      displayOf.set(k, name);
    }
    return name;
  };
  // Full names by their last word, in the order they were first seen.
  const byLastWord = new Map<string, string[]>();
  for (const f of fullNames.keys()) {
    const last = f.split(' ').pop()!;
    const list = byLastWord.get(last);
    if (list) list.push(f);
    else byLastWord.set(last, [f]);
  }
  const aliasTable = new Map<string, string>();
  for (const group of d.aliases) for (const n of group) aliasTable.set(nameKey(strip(n)), group[0]!);
  const canonicalOf = (s: Statement): string => {
    const k = nameKey(s.speaker);
    const oneWord = !/\s/.test(k) && /^\p{Lu}\p{Ll}/u.test(s.speaker) && !aliasTable.has(k);
    if (s.speakerKind === 'person' || oneWord) {
      if (fullNames.has(k)) return display(k);
      if (!/\s/.test(k)) {
        const last = byLastWord.get(k);
        if (last?.length === 1) return display(last[0]!);
      }
      return s.speaker;
    }
    if (s.speakerKind === 'org' && !INSTITUTION.test(s.speaker)) {
      const c = aliasTable.get(nameKey(strip(s.speaker)));
      if (c) return c;
    }
    return strip(s.speaker);
  };
  const statements = all;
  const canonical = all.map(canonicalOf);
  const speakers = new Map<string, KnownSpeaker>();
  const roles = new Map<string, Map<string, number>>();
  statements.forEach((s, id) => {
    const c = canonical[id]!;
    const sp = speakers.get(c) ?? { name: c, role: null, count: 0, aliases: [] };
    sp.count++;
    if (s.speaker !== c && !sp.aliases.includes(s.speaker)) sp.aliases.push(s.speaker);
    speakers.set(c, sp);
    if (s.role) {
      const r = roles.get(c) ?? new Map<string, number>();
      r.set(s.role, (r.get(s.role) ?? 0) + 1);
      roles.set(c, r);
    }
  });
  for (const [name, r] of roles) {
    const best = [...r.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)[0];
    speakers.get(name)!.role = best ? best[0] : null;
  }
  const canonicalRole = canonical.map((c) => speakers.get(c)?.role ?? null);
  const byCanonical = new Map<string, number[]>();
  const isPerson = new Set<string>();
  statements.forEach((s, id) => {
    const c = canonical[id]!;
    const list = byCanonical.get(c);
    if (list) list.push(id);
    else byCanonical.set(c, [id]);
    if (s.speakerKind === 'person') isPerson.add(c);
  });
  const aliasOf = new Map<string, string>();
  for (const sp of speakers.values()) {
    for (const n of [sp.name, ...sp.aliases]) {
      aliasOf.set(nameKey(strip(n)), sp.name);
      // A person is also found by their surname ("Kirby").
      const parts = nameKey(strip(n)).split(' ');
      if (parts.length > 1 && isPerson.has(sp.name)) {
        const last = parts[parts.length - 1]!;
        if (!aliasOf.has(last)) aliasOf.set(last, sp.name);
      }
    }
  }
  const ranked = [...speakers.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const p: Prepared = {
    statements,
    canonical,
    canonicalRole,
    speakers,
    aliasOf,
    search: null,
    shortIds: null,
    byCanonical,
    ranked,
    rankedKey: ranked.map((sp) => nameKey(sp.name)),
    rankedKeys: ranked.map((sp) => [sp.name, ...sp.aliases].map(nameKey).join('\n')),
    paddedKeys: [...speakers.keys()].map((n) => [n, ` ${nameKey(n)} `]),
    quoteTokens: [],
    quoteWords: null,
    // Filled out of order: made at full length so it stays a plain array, not a dictionary.
    shown: new Array<undefined>(statements.length),
    shownAll: false,
    topicIndex: null,
    choices: new Map(),
    settled: false,
    settlingRun: 0,
  };
  prepared.set(d, p);
  return p;
}

/** An empty index of the statements' quotes (one document per statement, its id the statement's). */
const newQuoteIndex = () => new MiniSearch({ fields: ['quote'], storeFields: [], searchOptions: { boost: { quote: 3 }, fuzzy: 0.2, prefix: true } });

function searchOf(p: Prepared): MiniSearch {
  if (p.search) return p.search;
  const ms = newQuoteIndex();
  ms.addAll(p.statements.map((s, id) => ({ id, quote: s.quote })));
  p.search = ms;
  return ms;
}

/** What an answer shows of statement `id` but its score: made once per Dossier; null when its article is gone. */
function shownOf(d: Dossier, p: Prepared, id: number): Omit<WhoSaidStatement, 'score'> | null {
  let shown = p.shown[id];
  if (shown === undefined) {
    const s = p.statements[id]!;
    const a = d.byId.get(s.article);
    shown = p.shown[id] = a ? { speaker: p.canonical[id]!, role: s.role ?? p.canonicalRole[id] ?? null, kind: s.kind, quote: s.quote, citation: citationOf(a, s.passage) } : null;
  }
  return shown;
}

function showAll(d: Dossier, p: Prepared): void {
  if (p.shownAll) return;
  for (let id = 0; id < p.statements.length; id++) shownOf(d, p, id);
  p.shownAll = true;
}

/** Every known speaker with how many statements each has, most first (for autocomplete). */
export function knownSpeakers(d: Dossier): KnownSpeaker[] {
  return prepare(d).ranked.slice();
}

/**
 * The known speakers whose name or an alias contains `typed` (compared by nameKey; every speaker when
 * it is empty), most statements first, at most `limit`. Autocomplete calls this on every keystroke: the
 * list and its keys are made once per Dossier and recent answers are kept.
 */
export function speakersMatching(d: Dossier, typed: string, limit: number): KnownSpeaker[] {
  const p = prepare(d);
  const k = nameKey(typed);
  const memo = `${limit}\n${k}`;
  const hit = p.choices.get(memo);
  if (hit) return hit.slice();
  const out: KnownSpeaker[] = [];
  for (let i = 0; i < p.ranked.length && out.length < limit; i++) if (!k || p.rankedKeys[i]!.includes(k)) out.push(p.ranked[i]!);
  if (p.choices.size >= 500) p.choices.clear();
  p.choices.set(memo, out);
  return out.slice();
}

/** The canonical speaker a typed name means (a canonical name, an alias or a surname), or null. */
export function findSpeaker(d: Dossier, typed: string): string | null {
  const p = prepare(d);
  const k = nameKey(strip(typed));
  if (!k) return null;
  const exact = p.aliasOf.get(k);
  if (exact) return exact;
  // A unique partial match: "kirby spokesman" no, "jong un" yes.
  const needle = ` ${k} `;
  let found: string | null = null;
  for (const [n, padded] of p.paddedKeys) {
    if (!padded.includes(needle)) continue;
    if (found !== null) return null;
    found = n;
  }
  return found;
}

const tokensOf = (s: string) => (nameKey(s).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2 || /\d/.test(w));

/** The words of statement `id`'s quote, made once. */
function quoteTokensOf(p: Prepared, id: number): { all: Set<string>; long: string[] } {
  let t = p.quoteTokens[id];
  if (!t) {
    const all = new Set(tokensOf(p.statements[id]!.quote));
    t = { all, long: [...all].filter((x) => x.length > 4) };
    p.quoteTokens[id] = t;
  }
  return t;
}

/** The text a topic is looked for in: the statement's passage and its words, by nameKey. */
function topicText(d: Dossier, s: Statement): string {
  const a = d.byId.get(s.article);
  return nameKey(a ? a.body.slice(s.passage.start, s.passage.end) + ' ' + s.quote : s.quote);
}

/** Statements whose topic text holds `w` (a run of letters and digits): looked up by the words that contain it. */
function topicIds(d: Dossier, p: Prepared, w: string): Set<number> {
  if (!p.topicIndex) {
    // A word asked for is letters and digits only, so it can only occur inside one run of letters and
    // digits of the text: the runs that contain it name every statement that does.
    const index = new Map<string, number[]>();
    p.statements.forEach((s, id) => {
      for (const run of new Set(topicText(d, s).match(/[\p{L}\p{N}]+/gu) ?? [])) {
        const list = index.get(run);
        if (list) list.push(id);
        else index.set(run, [id]);
      }
    });
    p.topicIndex = index;
  }
  const out = new Set<number>();
  for (const [run, ids] of p.topicIndex) if (run.includes(w)) for (const id of ids) out.add(id);
  return out;
}

/**
 * The statements matching `words`, with their scores: MiniSearch's fuzzy/prefix match over the quotes,
 * kept when the quote shares most of the words asked for (a misremembered word or two is fine), scored
 * by MiniSearch's score over the best one times the share of words found.
 */
/** The statements a words query keeps (unordered), and their scores by statement id. */
interface WordHits {
  ids: number[];
  score: Float64Array;
}

function wordScores(p: Prepared, wordsQ: string): WordHits {
  const q = tokensOf(wordsQ);
  const hits: WordHits = { ids: [], score: new Float64Array(p.statements.length) };
  const keep = (msScore: number, best: number, shared: number, id: number) => {
    const cover = q.length ? shared / q.length : 0;
    if (cover >= 0.5 || (msScore >= best * 0.6 && cover >= 0.34)) {
      hits.ids.push(id);
      hits.score[id] = Math.round((msScore / best) * cover * 100) / 100;
    }
  };
  // MiniSearch's scores without a result object per matching quote (src/search/exact.ts), and the words
  // each quote shares with the question counted from an index of quote words, not per quote.
  const fast = scoreAll(searchOf(p), wordsQ, { combineWith: 'OR' }, null, (s) => {
    let best = 0;
    for (let i = 0; i < s.count; i++) best = Math.max(best, s.score[s.ids[i]!]!);
    // Only a quote sharing at least one asked word can be kept: look at those, not at every match.
    const shared = sharedWords(p, q);
    // Short ids looked up in an array made once, not in MiniSearch's map for each of thousands of quotes.
    if (!p.shortIds) {
      const shortIds = new Int32Array(p.statements.length);
      for (let id = 0; id < shortIds.length; id++) shortIds[id] = s.shortOf(id) ?? -1;
      p.shortIds = shortIds;
    }
    const shortIds = p.shortIds;
    for (const id of shared.touched) {
      const short = shortIds[id]!;
      const msScore = short < 0 ? 0 : s.score[short]!;
      if (msScore > 0) keep(msScore, best, shared.count[id]!, id);
    }
    return hits;
  });
  if (fast) return fast;
  const found = searchOf(p).search(wordsQ, { combineWith: 'OR' });
  const best = found[0]?.score ?? 0;
  for (const h of found) {
    const have = quoteTokensOf(p, h.id as number);
    const shared = q.filter((w) => have.all.has(w) || have.long.some((x) => x.startsWith(w.slice(0, 5)) || w.startsWith(x.slice(0, 5)))).length;
    keep(h.score, best, shared, h.id as number);
  }
  return hits;
}

/**
 * The ids of `hits` (those in `within`, when given), best score first, then in corpus order. The scores
 * are hundredths from 0 to 1 (wordScores rounds them so): a counting sort over ids taken in ascending
 * order; anything else is sorted by comparison.
 */
function byScoreThenId(hits: WordHits, within: Set<number> | null, n: number): number[] {
  const kept = within ? hits.ids.filter((id) => within.has(id)) : hits.ids;
  // Ascending ids: sorted when few, else swept from a mark per statement.
  let ascending: ArrayLike<number>;
  if (kept.length * 16 < n) ascending = Int32Array.from(kept).sort();
  else {
    const mark = new Uint8Array(n);
    for (const id of kept) mark[id] = 1;
    const out = new Int32Array(kept.length);
    let j = 0;
    for (let id = 0; id < n; id++) if (mark[id]) out[j++] = id;
    ascending = out;
  }
  const slot = new Int32Array(102); // slot[101 - k]: how many ids score above k hundredths, then where the next goes
  for (let i = 0; i < ascending.length; i++) {
    const v = hits.score[ascending[i]!]!;
    const k = Math.round(v * 100);
    if (!(k >= 0 && k <= 100 && k / 100 === v)) return Array.from(ascending).sort((x, y) => hits.score[y]! - hits.score[x]! || x - y);
    slot[101 - k]!++;
  }
  for (let i = 1; i < 102; i++) slot[i]! += slot[i - 1]!;
  const out: number[] = new Array(ascending.length);
  for (let i = 0; i < ascending.length; i++) {
    const id = ascending[i]!;
    out[slot[100 - Math.round(hits.score[id]! * 100)]!++] = id;
  }
  return out;
}

/** Which statements' quotes hold each word, and each long word (over four letters) by its first five letters. */
interface QuoteWords {
  byWord: Map<string, number[]>;
  byLong5: Map<string, number[]>;
}

function quoteWordsOf(p: Prepared): QuoteWords {
  if (p.quoteWords) return p.quoteWords;
  const words: QuoteWords = { byWord: new Map(), byLong5: new Map() };
  p.statements.forEach((s, id) => addQuoteWords(words, s.quote, id));
  return (p.quoteWords = words);
}

/** Adds statement `id`'s quote to `words` (ids must come in ascending order). */
function addQuoteWords({ byWord, byLong5 }: QuoteWords, quote: string, id: number): void {
  const push = (m: Map<string, number[]>, k: string) => {
    const list = m.get(k);
    if (!list) m.set(k, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  for (const w of new Set(tokensOf(quote))) {
    push(byWord, w);
    if (w.length > 4) push(byLong5, w.slice(0, 5));
  }
}

/** What {@link warmWhoSaid} did. */
export interface WhoSaidWarmth {
  statements: number;
  /** Settling searches run (settleSearches). */
  settled: number;
  ms: number;
  /** Stopped early (a newer Dossier is serving). */
  stopped: boolean;
  /** Why it failed, when it did (the first query then does the rest, as without a warm-up). */
  error?: string;
}

/**
 * Makes what the first /who-said by words of a Dossier would otherwise pay for — the speaker lists, the
 * quote index, the quotes' word lists and what each statement shows (~5 s at 10,000 articles), then the
 * settling searches (settleSearches, ~0.3 s) — in slices of `sliceMs` (a settling search is one slice,
 * 5–75 ms) with a turn of the event loop between them, so that interactions keep being answered
 * meanwhile. The speaker lists are still one synchronous step, ~0.4 s at 10,000 articles. A query that
 * comes first makes what it needs itself, and the warm-up keeps that. Stops early when `stop()` says so.
 * Never rejects.
 */
export async function warmWhoSaid(d: Dossier, opts: { stop?: () => boolean; sliceMs?: number } = {}): Promise<WhoSaidWarmth> {
  const sliceMs = opts.sliceMs ?? 20;
  const t0 = performance.now();
  const out: WhoSaidWarmth = { statements: 0, settled: 0, ms: 0, stopped: false };
  let slice = 0;
  /** After a slice's time is up: a turn of the event loop, then whether to stop. */
  const pause = async (): Promise<boolean> => {
    await nextTurn();
    slice = performance.now();
    return !!opts.stop?.();
  };
  const due = () => performance.now() - slice >= sliceMs;
  const done = (stopped: boolean) => ({ ...out, stopped, ms: performance.now() - t0 });
  try {
    if (await pause()) return done(true);
    // The statements first, article by article: a Dossier read from the cache makes each article's list
    // when it is first read (src/core/stored.ts).
    if (!prepared.has(d))
      for (const a of d.articles) {
        void d.extractions.get(a.id)?.statements;
        if (due() && (await pause())) return done(true);
      }
    const p = prepare(d);
    const n = p.statements.length;
    out.statements = n;
    if (due() && (await pause())) return done(true);
    if (!p.search) {
      const ms = newQuoteIndex();
      for (let from = 0; from < n; from += 200) {
        const to = Math.min(n, from + 200);
        const docs: { id: number; quote: string }[] = [];
        for (let id = from; id < to; id++) docs.push({ id, quote: p.statements[id]!.quote });
        ms.addAll(docs);
        if (due() && (await pause())) return done(true);
        if (p.search) break; // a query made it meanwhile
      }
      p.search ??= ms;
    }
    if (!p.quoteWords) {
      const words: QuoteWords = { byWord: new Map(), byLong5: new Map() };
      for (let id = 0; id < n && !p.quoteWords; id++) {
        addQuoteWords(words, p.statements[id]!.quote, id);
        if (due() && (await pause())) return done(true);
      }
      p.quoteWords ??= words;
    }
    for (let id = 0; id < n && !p.shownAll; id++) {
      shownOf(d, p, id);
      if (due() && (await pause())) return done(true);
    }
    p.shownAll = true;
    if (!p.settled) {
      p.settled = true;
      for (const words of settlingWords(p)) {
        answerWhoSaid(d, { words });
        p.settlingRun++;
        out.settled++;
        if (due() && (await pause())) return done(true);
      }
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
  }
  return done(false);
}

/**
 * For each statement, how many of the words `q` asks for (counted with repeats, as asked) its quote has:
 * the word itself, or a long word (over four letters) that starts with the asked word's first five
 * letters or whose first five letters start the asked word. For a word of five letters or more both
 * mean "the same first five letters"; for a shorter one, "a long word starting with it".
 */
function sharedWords(p: Prepared, q: string[]): { count: Int32Array; touched: number[] } {
  const { byWord, byLong5 } = quoteWordsOf(p);
  const n = p.statements.length;
  const count = new Int32Array(n);
  const seen = new Int32Array(n); // the last asked word (1-based) that counted each statement
  const touched: number[] = [];
  q.forEach((w, j) => {
    const lists = [byWord.get(w)];
    if (w.length >= 5) lists.push(byLong5.get(w.slice(0, 5)));
    else for (const [k, list] of byLong5) if (k.startsWith(w)) lists.push(list);
    for (const list of lists)
      for (const id of list ?? []) {
        if (seen[id] === j + 1) continue;
        seen[id] = j + 1;
        if (count[id]!++ === 0) touched.push(id);
      }
  });
  return { count, touched };
}

/** Over this many statements, a topic is looked up in the index rather than read in each statement. */
const TOPIC_SCAN_MAX = 2000;

/**
 * One statement of an answer. A class and not an object literal for V8's sake: it tracks where each
 * literal is made, and the literal an answer by words makes tens of thousands of times, whose objects
 * were all alive when a young-generation collection came mid-answer, was judged long-lived ("allocation
 * site pretenuring"). From then on they were made straight in the old generation: ~1.5 MB per answer
 * that only a full collection frees, so a full collection (a 50–100 ms pause) came every few seconds of
 * queries. Made with `new`, the same 600 queries at 10,000 articles saw 1–2 full collections instead of
 * 2–4, as with `--no-allocation-site-pretenuring` (docs/performance.md). Its fields are a
 * WhoSaidStatement's, in the same order, so JSON is unchanged.
 */
class Said implements WhoSaidStatement {
  speaker: string;
  role: string | null;
  kind: StatementKind;
  quote: string;
  citation: Citation;
  score: number;
  constructor(shown: Omit<WhoSaidStatement, 'score'>, score: number) {
    this.speaker = shown.speaker;
    this.role = shown.role;
    this.kind = shown.kind;
    this.quote = shown.quote;
    this.citation = shown.citation;
    this.score = score;
  }
}

/** How many settling searches follow the first build of the words index (settleSearches). */
export const SETTLING_SEARCHES = 12;

/**
 * The words of the settling searches: the first one, two or three words of quotes spread evenly over the
 * corpus (any corpus has them; none when it has no statements).
 */
function settlingWords(p: Prepared): string[] {
  const n = p.statements.length;
  const out: string[] = [];
  for (let i = 0; i < SETTLING_SEARCHES && n > 0; i++) {
    const words = tokensOf(p.statements[Math.floor((i * n) / SETTLING_SEARCHES)]!.quote).slice(0, 1 + (i % 3));
    if (words.length) out.push(words.join(' '));
  }
  return out;
}

/**
 * Once the words index is built: a few searches by words, answers dropped. Right after the build the
 * first ~10 words questions took 20–75 ms instead of ~5 (10,000 articles): V8 had not yet compiled the search
 * code past its first tiers, and its next two young collections copied what the build had left in the
 * young generation (~20 ms each). These searches take that (~0.3 s) before a member asks: in the bot's
 * background warm-up (warmWhoSaid), or else in the first words question — usually the one that builds the
 * index, already seconds long; a one-shot CLI call pays it without gaining from it. They run once per
 * Dossier, and a search that fails only ends them: the question that started them is answered as usual.
 */
function settleSearches(d: Dossier, p: Prepared): void {
  p.settled = true;
  try {
    for (const words of settlingWords(p)) {
      answerWhoSaid(d, { words });
      p.settlingRun++;
    }
  } catch {
    /* the member's question goes on; nothing a settling search made is wrong, only unfinished */
  }
}

/** How many settling searches a Dossier's /who-said has run (what the tests check; the warm-up reports its own count). */
export function settlingSearchesRun(d: Dossier): number {
  return prepared.get(d)?.settlingRun ?? 0;
}

export function answerWhoSaid(d: Dossier, opts: WhoSaidOptions): WhoSaidAnswer {
  const p = prepare(d);
  const speakerQ = opts.speaker?.trim() || null;
  const wordsQ = opts.words?.trim() || null;
  const topicQ = opts.topic?.trim() || null;
  if (wordsQ && !p.settled) settleSearches(d, p);
  // The statements that may answer, by id in corpus order; null = all of them.
  let ids: number[] | null = null;
  let scores: Float64Array | null = null;
  const suggestions: string[] = [];
  if (speakerQ) {
    const who = findSpeaker(d, speakerQ);
    if (!who) {
      const k = tokensOf(speakerQ);
      for (let i = 0; i < p.ranked.length && suggestions.length < 5; i++) if (k.some((w) => p.rankedKey[i]!.includes(w.slice(0, 4)))) suggestions.push(p.ranked[i]!.name);
      ids = [];
    } else ids = p.byCanonical.get(who) ?? [];
  }
  if (wordsQ) {
    const hits = wordScores(p, wordsQ);
    ids = byScoreThenId(hits, ids ? new Set(ids) : null, p.statements.length);
    scores = hits.score;
  }
  if (topicQ) {
    const t = tokensOf(topicQ);
    if (ids && ids.length <= TOPIC_SCAN_MAX) {
      ids = ids.filter((id) => {
        const text = topicText(d, p.statements[id]!);
        return t.some((w) => text.includes(w));
      });
    } else {
      const found = new Set<number>();
      for (const w of t) for (const id of topicIds(d, p, w)) found.add(id);
      ids = ids ? ids.filter((id) => found.has(id)) : [...found].sort((a, b) => a - b);
    }
  }
  // Answers by words can hold tens of thousands of statements: what they show of each is made once per
  // Dossier (answers only read it), all of it in corpus order when words are first asked (reading the
  // statements and articles in order is several times quicker than meeting them in score order), and
  // each answer adds its score.
  if (wordsQ) showAll(d, p);
  const statements: WhoSaidStatement[] = [];
  const push = (id: number) => {
    const shown = shownOf(d, p, id);
    if (shown) statements.push(new Said(shown, scores ? scores[id]! : 1));
  };
  if (ids) for (const id of ids) push(id);
  else for (let id = 0; id < p.statements.length; id++) push(id);
  return { speaker: speakerQ, words: wordsQ, topic: topicQ, statements, suggestions, searched: d.articles.length };
}
