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

interface Prepared {
  statements: (Statement & { canonical: string; canonicalRole: string | null })[];
  speakers: Map<string, KnownSpeaker>;
  /** Any alias key → canonical name. */
  aliasOf: Map<string, string>;
  search: MiniSearch | null;
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
  const display = (k: string) => [...fullNames.get(k)!.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
  const aliasTable = new Map<string, string>();
  for (const group of d.aliases) for (const n of group) aliasTable.set(nameKey(strip(n)), group[0]!);
  const canonicalOf = (s: Statement): string => {
    const k = nameKey(s.speaker);
    const oneWord = !/\s/.test(k) && /^\p{Lu}\p{Ll}/u.test(s.speaker) && !aliasTable.has(k);
    if (s.speakerKind === 'person' || oneWord) {
      if (fullNames.has(k)) return display(k);
      if (!/\s/.test(k)) {
        const last = [...fullNames.keys()].filter((f) => f.split(' ').pop() === k);
        if (last.length === 1) return display(last[0]!);
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
  const aliasOf = new Map<string, string>();
  for (const sp of speakers.values()) {
    for (const n of [sp.name, ...sp.aliases]) {
      aliasOf.set(nameKey(strip(n)), sp.name);
      // A person is also found by their surname ("Kirby").
      const parts = nameKey(strip(n)).split(' ');
      if (parts.length > 1 && statements.some((s) => s.canonical === sp.name && s.speakerKind === 'person')) {
        const last = parts[parts.length - 1]!;
        if (!aliasOf.has(last)) aliasOf.set(last, sp.name);
      }
    }
  }
  const p: Prepared = { statements, speakers, aliasOf, search: null };
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
  return [...prepare(d).speakers.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** The canonical speaker a typed name means (a canonical name, an alias or a surname), or null. */
export function findSpeaker(d: Dossier, typed: string): string | null {
  const p = prepare(d);
  const k = nameKey(strip(typed));
  if (!k) return null;
  const exact = p.aliasOf.get(k);
  if (exact) return exact;
  // A unique partial match: "kirby spokesman" no, "jong un" yes.
  const partial = [...p.speakers.keys()].filter((n) => ` ${nameKey(n)} `.includes(` ${k} `));
  return partial.length === 1 ? partial[0]! : null;
}

const tokensOf = (s: string) => (nameKey(s).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2 || /\d/.test(w));

export function answerWhoSaid(d: Dossier, opts: WhoSaidOptions): WhoSaidAnswer {
  const p = prepare(d);
  const speakerQ = opts.speaker?.trim() || null;
  const wordsQ = opts.words?.trim() || null;
  const topicQ = opts.topic?.trim() || null;
  let pool = p.statements.map((s, id) => ({ s, id, score: 1 }));
  const suggestions: string[] = [];
  if (speakerQ) {
    const who = findSpeaker(d, speakerQ);
    if (!who) {
      const k = tokensOf(speakerQ);
      suggestions.push(
        ...knownSpeakers(d)
          .filter((sp) => k.some((w) => nameKey(sp.name).includes(w.slice(0, 4))))
          .slice(0, 5)
          .map((sp) => sp.name),
      );
      pool = [];
    } else pool = pool.filter((x) => x.s.canonical === who);
  }
  if (wordsQ) {
    const hits = searchOf(p).search(wordsQ, { combineWith: 'OR' });
    const q = tokensOf(wordsQ);
    const best = hits[0]?.score ?? 0;
    const score = new Map<number, number>();
    for (const h of hits) {
      // Keep matches that share most of the words asked for (a misremembered word or two is fine).
      const have = new Set(tokensOf(p.statements[h.id as number]!.quote));
      const shared = q.filter((w) => have.has(w) || [...have].some((x) => x.length > 4 && (x.startsWith(w.slice(0, 5)) || w.startsWith(x.slice(0, 5))))).length;
      const cover = q.length ? shared / q.length : 0;
      if (cover >= 0.5 || h.score >= best * 0.6 && cover >= 0.34) score.set(h.id as number, Math.round((h.score / best) * cover * 100) / 100);
    }
    pool = pool.filter((x) => score.has(x.id)).map((x) => ({ ...x, score: score.get(x.id)! }));
    pool.sort((a, b) => b.score - a.score || a.id - b.id);
  }
  if (topicQ) {
    const t = tokensOf(topicQ);
    pool = pool.filter((x) => {
      const a = d.byId.get(x.s.article);
      const text = nameKey(a ? a.body.slice(x.s.passage.start, x.s.passage.end) + ' ' + x.s.quote : x.s.quote);
      return t.some((w) => text.includes(w));
    });
  }
  const statements: WhoSaidStatement[] = [];
  for (const { s, score } of pool) {
    const a = d.byId.get(s.article);
    if (!a) continue;
    statements.push({ speaker: s.canonical, role: s.role ?? s.canonicalRole, kind: s.kind, quote: s.quote, citation: citationOf(a, s.passage), score });
  }
  return { speaker: speakerQ, words: wordsQ, topic: topicQ, statements, suggestions, searched: d.articles.length };
}
