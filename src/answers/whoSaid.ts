// /who-said: the statements of the corpus, with one name per speaker across articles; by speaker, by words
// (a fuzzy match, so a slightly misremembered quote still finds it) and by topic.
import MiniSearch from 'minisearch';
import type { Dossier } from '../core/dossier.js';
import { type Citation, citationOf } from '../core/types.js';
import { nameKey } from '../extract/speakers.js';
import type { Statement, StatementKind } from '../extract/types.js';

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

type Canonical = Statement & { canonical: string; canonicalRole: string | null };

interface Prepared {
  statements: Canonical[];
  speakers: Map<string, KnownSpeaker>;
  /** Any alias key → canonical name. */
  aliasOf: Map<string, string>;
  search: MiniSearch | null;
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
  /** Made when a topic is asked of many statements: word of the passage and quote → statement ids. */
  topicIndex: Map<string, number[]> | null;
  /** Autocomplete answers by what was typed (most recent kept). */
  choices: Map<string, KnownSpeaker[]>;
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
  const statements = all.map((s) => ({ ...s, canonical: canonicalOf(s), canonicalRole: null as string | null }));
  const speakers = new Map<string, KnownSpeaker>();
  const roles = new Map<string, Map<string, number>>();
  for (const s of statements) {
    const sp = speakers.get(s.canonical) ?? { name: s.canonical, role: null, count: 0, aliases: [] };
    sp.count++;
    if (s.speaker !== s.canonical && !sp.aliases.includes(s.speaker)) sp.aliases.push(s.speaker);
    speakers.set(s.canonical, sp);
    if (s.role) {
      const r = roles.get(s.canonical) ?? new Map<string, number>();
      r.set(s.role, (r.get(s.role) ?? 0) + 1);
      roles.set(s.canonical, r);
    }
  }
  for (const [name, r] of roles) {
    const best = [...r.entries()].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)[0];
    speakers.get(name)!.role = best ? best[0] : null;
  }
  for (const s of statements) s.canonicalRole = speakers.get(s.canonical)?.role ?? null;
  const byCanonical = new Map<string, number[]>();
  const isPerson = new Set<string>();
  statements.forEach((s, id) => {
    const list = byCanonical.get(s.canonical);
    if (list) list.push(id);
    else byCanonical.set(s.canonical, [id]);
    if (s.speakerKind === 'person') isPerson.add(s.canonical);
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
    speakers,
    aliasOf,
    search: null,
    byCanonical,
    ranked,
    rankedKey: ranked.map((sp) => nameKey(sp.name)),
    rankedKeys: ranked.map((sp) => [sp.name, ...sp.aliases].map(nameKey).join('\n')),
    paddedKeys: [...speakers.keys()].map((n) => [n, ` ${nameKey(n)} `]),
    quoteTokens: [],
    topicIndex: null,
    choices: new Map(),
  };
  prepared.set(d, p);
  return p;
}

function searchOf(p: Prepared): MiniSearch {
  if (p.search) return p.search;
  const ms = new MiniSearch({ fields: ['quote', 'passage'], storeFields: [], searchOptions: { boost: { quote: 3 }, fuzzy: 0.2, prefix: true } });
  ms.addAll(p.statements.map((s, id) => ({ id, quote: s.quote, passage: s.passage ? '' : '' })));
  p.search = ms;
  return ms;
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

/** Over this many statements, a topic is looked up in the index rather than read in each statement. */
const TOPIC_SCAN_MAX = 2000;

export function answerWhoSaid(d: Dossier, opts: WhoSaidOptions): WhoSaidAnswer {
  const p = prepare(d);
  const speakerQ = opts.speaker?.trim() || null;
  const wordsQ = opts.words?.trim() || null;
  const topicQ = opts.topic?.trim() || null;
  // The statements that may answer, by id in corpus order; null = all of them.
  let ids: number[] | null = null;
  let scores: Map<number, number> | null = null;
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
    const hits = searchOf(p).search(wordsQ, { combineWith: 'OR' });
    const q = tokensOf(wordsQ);
    const best = hits[0]?.score ?? 0;
    const score = new Map<number, number>();
    for (const h of hits) {
      // Keep matches that share most of the words asked for (a misremembered word or two is fine).
      const have = quoteTokensOf(p, h.id as number);
      const shared = q.filter((w) => have.all.has(w) || have.long.some((x) => x.startsWith(w.slice(0, 5)) || w.startsWith(x.slice(0, 5)))).length;
      const cover = q.length ? shared / q.length : 0;
      if (cover >= 0.5 || h.score >= best * 0.6 && cover >= 0.34) score.set(h.id as number, Math.round((h.score / best) * cover * 100) / 100);
    }
    const within = ids ? new Set(ids) : null;
    ids = [...score.keys()].filter((id) => !within || within.has(id));
    ids.sort((a, b) => score.get(b)! - score.get(a)! || a - b);
    scores = score;
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
  const statements: WhoSaidStatement[] = [];
  const push = (id: number) => {
    const s = p.statements[id]!;
    const a = d.byId.get(s.article);
    if (!a) return;
    statements.push({ speaker: s.canonical, role: s.role ?? s.canonicalRole, kind: s.kind, quote: s.quote, citation: citationOf(a, s.passage), score: scores?.get(id) ?? 1 });
  };
  if (ids) for (const id of ids) push(id);
  else for (let id = 0; id < p.statements.length; id++) push(id);
  return { speaker: speakerQ, words: wordsQ, topic: topicQ, statements, suggestions, searched: d.articles.length };
}
