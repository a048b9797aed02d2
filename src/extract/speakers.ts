// Speaker resolution for /who-said: who a noun phrase in an attribution means.
//
// Libraries do the parts they can: wink-nlp tags parts of speech, compromise knows people's first names
// and places. This file does what no library does: reads the noun phrase next to a speech verb ("White
// House national-security spokesman John Kirby", "a Kremlin spokesman", "he", "the official"), keeps a
// per-article register of the people it names (with the roles the article gives them) and resolves a
// pronoun or a description to the nearest fitting antecedent.
import { createRequire } from 'node:module';
import type nlpType from 'compromise';
import type { Article, Sentence, Span } from '../core/types.js';
import { paragraphText, readParagraph } from '../corpus/segment.js';

// ——— Word lists (general English, nothing about any one article) ———

/** Titles and roles that stand before a name or head a description of a person. */
export const PERSON_ROLES = new Set(
  (
    'spokesman spokeswoman spokesperson spokespeople official officials minister ministers president vice-president premier chancellor leader leaders ' +
    'chief chiefs head director secretary secretary-general ambassador envoy diplomat diplomats representative businessman businesswoman ' +
    'general commander officer officers adviser advisor aide analyst analysts expert experts source sources coordinator counselor counsellor ' +
    'senator lawmaker lawmakers governor mayor king queen prince emperor pope founder owner ceo chairman chairwoman chair member members ' +
    'researcher researchers professor scientist journalist correspondent reporter witness witnesses resident residents prosecutor judge ' +
    'attorney lawyer negotiator deputy mercenary mercenaries soldier soldiers colonel lieutenant sergeant captain admiral marshal dictator ' +
    'strongman monarch candidate politician activist campaigner economist observer observers officialdom administrator manager executive ' +
    'boss tycoon oligarch billionaire entrepreneur financier banker nominee speaker cleric ayatollah imam bishop patriarch inspector ' +
    'investigator commissioner ombudsman legislator congressman congresswoman councillor councilor delegate staffer official’s man woman'
  ).split(/\s+/),
);
/** Plural or collective person heads: a description that is a group, not one person. */
const PLURAL_PERSON = new Set(
  'officials ministers leaders chiefs diplomats analysts experts sources officers observers members researchers witnesses residents lawmakers soldiers mercenaries spokespeople'.split(' '),
);
/** Title words that may stand capitalised before a name. */
const TITLE_WORDS = new Set(
  (
    'mr mr. mrs mrs. ms ms. dr dr. gen gen. lt lt. col col. sen sen. rep rep. gov gov. prof prof. sgt sgt. adm adm. capt capt. president premier prime minister ' +
    'chancellor secretary spokesman spokeswoman spokesperson leader chief coordinator ambassador envoy general commander director king queen prince ' +
    'pope chairman chairwoman governor mayor senator representative counselor counsellor deputy head founder ceo colonel lieutenant captain admiral marshal ' +
    'judge justice sheikh ayatollah cardinal bishop emir sultan tsar czar businessman'
  ).split(/\s+/),
);
/** Words that make a capitalised name an organisation, a place or a thing rather than a person. */
const ORG_WORDS = new Set(
  (
    'house council ministry department agency office government administration party army navy forces force group center centre institute studies ' +
    'university college committee commission union nations states republic kingdom federation news times post press service services bank fund ' +
    'company corporation corp inc ltd llc command staff security intelligence foundation association organization organisation alliance coalition ' +
    'court parliament congress senate assembly duma cabinet kremlin pentagon embassy mission police guard guards military navy corps brigade regiment ' +
    'division battalion network television tv radio journal herald telegraph tribune gazette daily weekly review report initiative project program ' +
    'programme facility spaceport port station airport base district region province city county island islands sea ocean river mountains street ' +
    'square bridge war operation summit forum conference treaty agreement accord act law fleet navy media club church academy school hospital'
  ).split(/\s+/),
);
/** Nouns that head a document or a finding, which speaks for whoever issued it ("a think tank's report"). */
const DOCUMENT_HEADS = new Set('report statement study analysis assessment communique communiqué announcement readout briefing memo survey paper'.split(' '));
/** Nouns that head an organisation described in lower case ("the ministry", "a think tank"). */
const ORG_HEADS = new Set(
  'government ministry administration agency office embassy council committee commission army military navy command kremlin spokesperson’s tank think-tank group company firm party parliament court team campaign regime authorities'.split(
    ' ',
  ),
);
/** News outlets and wires: "according to Reuters" names where the report came from, not who spoke. */
const MEDIA_WORDS = new Set(
  (
    'reuters ap afp tass ria interfax yonhap xinhua kyodo kcna cnn bbc cnbc nbc cbs abc fox bloomberg al-jazeera aljazeera jazeera nhk kbs ' +
    'news times post press agency media outlet outlets newspaper newspapers daily journal herald telegraph tribune gazette guardian wire tv television ' +
    'radio channel broadcaster magazine website'
  ).split(/\s+/),
);
/** Adjectives and nouns of nationality used to tell two presidents apart. */
const NATIONALITY = /^(?:american|u\.?s\.?|russian|russia|ukrainian|ukraine|chinese|china|north|south|korean|korea|japanese|japan|british|uk|french|france|german|germany|iranian|iran|israeli|israel|turkish|turkey|indian|india|polish|poland|belarusian|belarus|syrian|syria|european|eu|nato|palestinian|saudi|egyptian|canadian|australian|italian|spanish|dutch|swedish|finnish|norwegian|hungarian|czech|georgian|kazakh|pakistani|afghan|iraqi|lebanese|jordanian|qatari|emirati|yemeni|libyan|sudanese|ethiopian|nigerian|kenyan|brazilian|mexican|venezuelan|cuban|taiwanese|vietnamese|filipino|indonesian|malaysian|thai)$/;
const MONTHS_DAYS =
  /^(?:jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday)\.?$/i;
const DETERMINERS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'his', 'her', 'its', 'their', 'our', 'one', 'another', 'some', 'two', 'three', 'several', 'many']);
const NP_PREPOSITIONS = new Set(['of', 'for', 'from', 'at', 'to', 'in', 'on']);
const ABBREVIATIONS = new Set('mr mrs ms dr gen lt col sen rep gov prof sgt adm capt st jr sr no vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '));
const MALE = /^(?:mr\.?|he|him|his|spokesman|businessman|chairman|congressman|king|prince|emperor|sultan|tsar|czar|sheikh|father|son|brother|man)$/i;
const FEMALE = /^(?:mrs\.?|ms\.?|miss|she|her|spokeswoman|businesswoman|chairwoman|congresswoman|queen|princess|empress|mother|daughter|sister|woman)$/i;

// ——— Tokens ———

export interface Tok {
  text: string;
  lower: string;
  start: number;
  end: number;
  /** Universal part of speech from wink-nlp (PROPN, NOUN, VERB, ADJ, …); 'PUNCT' for marks. */
  pos: string;
  /** Starts with a capital letter. */
  cap: boolean;
  /** Inside a quotation: never part of an attribution. */
  quoted: boolean;
}

const TOKEN = /[\p{L}\p{N}]+(?:[-.'’&][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;
const CAPITAL = /^\p{Lu}/u;
// Patterns of the functions below (esbuild compiles a literal with some \p{…} escapes to `new RegExp(…)`: made here once, not at every call).
const ONE_CAPITAL = /^\p{Lu}$/u;
const MARKS = /\p{M}/gu;
const ACRONYM = /^\p{Lu}+\.?$/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * Tokens of body[span] with offsets into the body and wink-nlp's parts of speech. A sentence's span gives
 * its paragraph (`para`): the tags are then those of the paragraph's one wink reading, which parsing has
 * just made (src/corpus/segment.ts), rather than a second reading of the sentence alone; any other span
 * (a heading read as a sentence) is read on its own.
 */
export function tokenize(body: string, span: Span, quoted: (at: number) => boolean = () => false, para?: Span): Tok[] {
  const text = body.slice(span.start, span.end);
  const posAt = para ? paragraphPos(body, span, para) : readParagraph(text).pos;
  const out: Tok[] = [];
  const push = (p: string, o: number) => {
    const start = span.start + o;
    const cap = CAPITAL.test(p);
    out.push({
      text: p,
      lower: p.toLowerCase(),
      start,
      end: start + p.length,
      pos: !WORDLIKE.test(p) ? 'PUNCT' : p === "'s" || p === '’s' ? 'PART' : (posAt.get(o) ?? (cap ? 'PROPN' : 'NOUN')),
      cap,
      quoted: quoted(start),
    });
  };
  const re = new RegExp(TOKEN.source, 'gu');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let t = m[0];
    const at = m.index;
    // An abbreviation keeps its full stop ("U.S.", "Sept.", "Mr."); a sentence's last word does not.
    if (text[at + t.length] === '.' && (/\.[\p{L}]$/u.test(t) || ABBREVIATIONS.has(t.toLowerCase()) || ONE_CAPITAL.test(t))) {
      t += '.';
      re.lastIndex = at + t.length;
    }
    // A possessive is its own token: "Korea’s" → "Korea" "’s".
    const n = t.length;
    if (n > 2 && t[n - 1] === 's' && (t[n - 2] === "'" || t[n - 2] === '’')) {
      push(t.slice(0, n - 2), at);
      push(t.slice(n - 2), at + n - 2);
    } else push(t, at);
  }
  return out;
}

/** Offset in body[span] → part of speech, from the reading of the paragraph that holds the span. */
function paragraphPos(body: string, span: Span, para: Span): { get(at: number): string | undefined } {
  const { from, inner } = paragraphText(body, para);
  const pos = readParagraph(inner).pos;
  const shift = span.start - from;
  return { get: (at) => pos.get(at + shift) };
}

// ——— Names ———

/** "Kim Jong-un" and "Kim Jong Un" are one key; so are "Zelenskyy" spelt with different dashes. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[-‐–—.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const NAME_WORD = /^\p{Lu}[\p{L}’'-]*\.?$/u;
const isNameWord = (t: Tok) => t.cap && NAME_WORD.test(t.text) && !MONTHS_DAYS.test(t.text);
const FUNCTION_POS = new Set(['DET', 'ADP', 'PRON', 'CCONJ', 'SCONJ', 'AUX', 'PART', 'PUNCT', 'NUM']);
/** A capitalised word that can be part of a name: taggers call some names verbs ("Sung Kim"). */
export const isCapName = (t: Tok, first: boolean) => isNameWord(t) && !FUNCTION_POS.has(t.pos) && (!first || t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ' || t.pos === 'X');

const MAX_COMPROMISE_CHARS = 4000;

interface Known {
  people: Set<string>;
  places: Set<string>;
}

type Compromise = typeof nlpType;
interface CompromiseWorld {
  methods: { one: { tokenize: { splitSentences(text: string, world: CompromiseWorld): string[] } } };
}
let compromise: Compromise | null = null;
/**
 * compromise, loaded on first use: building its lexicon takes ~0.2 s, which a process answering from
 * the persisted cache (no extraction) should never pay.
 */
function getCompromise(): Compromise {
  if (!compromise) {
    compromise = createRequire(import.meta.url)('compromise') as Compromise;
    // People and places are read from the tags alone: the noun/verb chunker that runs after tagging
    // (an eighth of the time compromise takes) sets no tag, so it is left out.
    const world = compromise.world() as unknown as { hooks: string[] };
    world.hooks = world.hooks.filter((h) => h !== 'chunks');
  }
  return compromise;
}

/**
 * The words of the people and places compromise finds in a text, lower-cased, letters and hyphens only.
 * `quick`: from its lexicon and word-shape tagger only, without the contextual corrections that follow
 * (two thirds of its time). Those corrections take names away far more often than they add them: on
 * every untitled name in the seeds and in 500 bench articles, a name the quick tagging reads as a person
 * (and not a place) was one for the full tagging too, so only the other names need the full tagging.
 */
function compromiseTag(text: string, quick = false): { people: string[]; places: string[] } {
  const doc = compromiseDoc(text, quick);
  const words = (list: string[]) => list.flatMap((p) => p.split(/\s+/).map(nameWord));
  return (
    wordsFromTags((doc as unknown as { docs: CompromiseTerm[][] }).docs) ?? {
      people: words(doc.people().out('array') as string[]),
      places: words(doc.places().out('array') as string[]),
    }
  );
}

/** A word of a name as compared here: lower case, letters and hyphens only. */
const nameWord = (w: string) => w.replace(/[^\p{L}-]/gu, '').toLowerCase();

/** compromise's reading of `text` (`quick`: see compromiseTag). */
export function compromiseDoc(text: string, quick = false): ReturnType<Compromise> {
  const nlp = getCompromise();
  let doc;
  if (quick) {
    const world = nlp.world() as unknown as { hooks: string[] };
    const hooks = world.hooks;
    world.hooks = hooks.filter((h) => h !== 'postTagger');
    try {
      doc = nlp(text);
    } finally {
      world.hooks = hooks;
    }
  } else doc = nlp(text);
  return doc;
}

export interface CompromiseTerm {
  pre: string;
  text: string;
  post: string;
  tags: Set<string>;
}

/**
 * The words of `doc.people()` and `doc.places()` read straight off the tags, without their match
 * patterns (a quarter of compromise's time here). people() is every run of "#Honorific+? #Person+" (an
 * honorific is itself tagged Person in compromise's tag set), split after commas and possessives;
 * places() every run of "(#Place|#Address)+", split after some commas. Their texts are the terms' pre +
 * text + post, and only the words those split into at whitespace are kept. So the words are those of
 * the runs of such terms, joined the same way — except where a split could fall between two terms with no
 * space between them ("Kim's-Putin": a possessive, then a dash): there the run would make one word of
 * what the matches keep apart, and null sends the text back to compromise's own methods.
 * (test/compromise-tags.test.ts holds the two to the same words.)
 */
export function wordsFromTags(docs: CompromiseTerm[][]): { people: string[]; places: string[] } | null {
  const people: string[] = [];
  const places: string[] = [];
  for (const terms of docs) {
    if (!collect(terms, (i) => terms[i]!.tags.has('Person'), people, true)) return null;
    if (!collect(terms, (i) => terms[i]!.tags.has('Place') || terms[i]!.tags.has('Address'), places, false)) return null;
  }
  return { people, places };
}

/** Adds the words of each run of selected terms to `out`; false where a split may fall inside a word. */
function collect(terms: CompromiseTerm[], selected: (i: number) => boolean, out: string[], possessiveSplits: boolean): boolean {
  let run = '';
  let open = false;
  for (let i = 0; i <= terms.length; i++) {
    if (i < terms.length && selected(i)) {
      const t = terms[i]!;
      if (open) {
        const prev = terms[i - 1]!;
        const joined = prev.post + t.pre;
        if (!/\s/.test(joined) && (/,/.test(joined) || (possessiveSplits && prev.tags.has('Possessive')))) return false;
      }
      run += t.pre + t.text + t.post;
      open = true;
    } else if (open) {
      const trimmed = run.trim();
      if (trimmed) for (const w of trimmed.split(/\s+/)) out.push(nameWord(w));
      run = '';
      open = false;
    }
  }
  return true;
}

/** A key for "may this word occur in this text": lower case, letters and hyphens only, one sigma. */
const foldForSearch = (s: string) => s.toLowerCase().replace(/[^\p{L}-]/gu, '').replace(/ς/g, 'σ');

const taggedSentences = new Map<string, { people: string[]; places: string[] }>();
const quickTaggedSentences = new Map<string, { people: string[]; places: string[] }>();

/**
 * What compromise knows about the people and places of one paragraph, asked word by word.
 *
 * compromise tags each of its sentences on its own (its taggers and match patterns never look past a
 * sentence), so the people and places of a paragraph are the union of those of its sentences, and a
 * word can only be known from a sentence that contains it. A paragraph is therefore split with
 * compromise's own sentence splitter and only the sentences that contain a word asked about are tagged
 * (each once, and a sentence seen in an earlier article is not tagged again): the answers are those of
 * tagging the whole paragraph, at a fraction of the cost. When a sentence would not stay one sentence
 * on its own, the whole paragraph is tagged as before.
 */
class ParagraphNames {
  private readonly known: Known = { people: new Set(), places: new Set() };
  private pending: { text: string; folded: string }[] | null = null;
  private whole = false;

  constructor(
    private readonly text: string,
    private readonly quick = false,
  ) {}

  /** People and places of the paragraph, exact for `words` (each lower-cased, letters and hyphens only). */
  about(words: string[]): Known {
    if (this.whole) return this.known;
    if (!this.pending) {
      const nlp = getCompromise();
      const world = nlp.world() as unknown as CompromiseWorld;
      const split = world.methods.one.tokenize.splitSentences;
      const sentences = split(this.text, world);
      if (sentences.some((s) => split(s, world).length !== 1)) {
        this.whole = true;
        this.add(compromiseTag(this.text, this.quick));
        return this.known;
      }
      this.pending = sentences.map((text) => ({ text, folded: foldForSearch(text) }));
    }
    const keys = words.map((w) => w.replace(/ς/g, 'σ'));
    this.pending = this.pending.filter((s) => {
      if (!keys.some((k) => s.folded.includes(k))) return true;
      const cache = this.quick ? quickTaggedSentences : taggedSentences;
      let tagged = cache.get(s.text);
      if (!tagged) {
        tagged = compromiseTag(s.text, this.quick);
        if (cache.size >= 5000) cache.clear();
        cache.set(s.text, tagged);
      }
      this.add(tagged);
      return false;
    });
    return this.known;
  }

  private add(t: { people: string[]; places: string[] }) {
    for (const w of t.people) this.known.people.add(w);
    for (const w of t.places) this.known.places.add(w);
  }
}

/** People compromise recognises in a paragraph, found as names need them. */
function compromisePeople(text: string, quick = false): ParagraphNames {
  // compromise's matching grows faster than the text: a paragraph of tens of thousands of words (a hostile
  // file with no sentence punctuation) took minutes. No real paragraph is this long; past it, names are
  // still found by the rules below, only not with compromise's help.
  return new ParagraphNames(text.length > MAX_COMPROMISE_CHARS ? text.slice(0, MAX_COMPROMISE_CHARS) : text, quick);
}

export type Gender = 'm' | 'f' | null;

/** A person or organisation an article names. */
export interface Entity {
  key: string;
  name: string;
  kind: 'person' | 'org';
  role: string | null;
  /** Lower-case words of every role and description the article gives it. */
  descriptors: Set<string>;
  gender: Gender;
}

export interface Mention {
  at: number;
  entity: Entity;
  sentence: number;
  caption: boolean;
}

/** What an attribution's noun phrase turned out to mean. */
export interface Resolved {
  speaker: string;
  role: string | null;
  kind: 'person' | 'org' | 'description';
  entity: Entity | null;
}

// ——— The per-article register of people ———

export class ArticleSpeakers {
  readonly entities = new Map<string, Entity>();
  readonly mentions: Mention[] = [];
  private readonly body: string;
  /** Each sentence's tokens, made once for the register and for the frames. */
  private readonly toks = new Map<Sentence, Tok[]>();

  constructor(
    readonly article: Article,
    readonly quoted: (at: number) => boolean,
  ) {
    this.body = article.body;
    this.scan();
  }

  /** The tokens of one of the article's sentences (with `quoted` as given to the register). */
  tokensOf(s: Sentence): Tok[] {
    let t = this.toks.get(s);
    if (!t) {
      t = tokenize(this.body, s, this.quoted, this.article.paragraphs[s.paragraph]);
      this.toks.set(s, t);
    }
    return t;
  }

  /** Registers the people each sentence names (outside quotes), with the roles given next to them. */
  private scan() {
    const a = this.article;
    const byPara = new Map<string, ParagraphNames>();
    for (const s of a.sentences) {
      const para = a.paragraphs[s.paragraph];
      if (!para) continue;
      // compromise is the costly part of extraction: it runs only for a paragraph that holds a name it
      // must confirm (an untitled run of two or more capitalised words), once per paragraph.
      const known = (words: string[], quick = false): Known => {
        const key = `${s.paragraph}${quick ? 'q' : ''}`;
        let k = byPara.get(key);
        if (!k) {
          k = compromisePeople(this.body.slice(para.start, para.end), quick);
          byPara.set(key, k);
        }
        return k.about(words);
      };
      const toks = this.tokensOf(s);
      for (const run of nameRuns(toks)) {
        const parsed = this.personInRun(toks, run, known);
        if (!parsed) continue;
        const { name, role, gender } = parsed;
        const ent = this.personEntity(name, role, gender, s.index);
        if (ent) this.mentions.push({ at: toks[run[0]]!.start, entity: ent, sentence: s.index, caption: s.caption });
      }
    }
    this.mentions.sort((x, y) => x.at - y.at);
  }

  /** Whether a run of capitalised tokens names a person; its name and the role given with it. */
  private personInRun(toks: Tok[], run: [number, number], known: (words: string[], quick?: boolean) => Known) {
    let [i, j] = run;
    // Titles and roles before the name are not the name: "Coordinator John Kirby", "President Vladimir Putin".
    let lastTitle = -1;
    for (let k = i; k < j; k++) if (TITLE_WORDS.has(toks[k]!.lower)) lastTitle = k;
    const titled = lastTitle >= 0 || (i > 0 && PERSON_ROLES.has(toks[i - 1]!.lower) && !toks[i - 1]!.quoted);
    if (lastTitle >= 0) i = lastTitle + 1;
    if (i >= j) return null;
    const words = toks.slice(i, j);
    if (words.some((w) => ORG_WORDS.has(w.lower) || NATIONALITY.test(w.lower))) return null;
    if (words.length > 4) return null;
    const prev = toks[i - 1];
    if (prev && !titled && /^(?:in|at|from|to|near|via|into|across|across|toward|towards)$/.test(prev.lower)) return null;
    const lowers = words.map((w) => nameWord(w.text));
    const single = words.length === 1;
    const apposRole = this.appositionRole(toks, i, j);
    if (single) {
      // One word is a person only when it is the surname (or family name) of someone already named.
      const ent = this.bySurname(words[0]!.text);
      if (ent) return { name: ent.name, role: null, gender: null as Gender };
      if (!titled) return null;
    } else if (!titled && !this.entities.has(nameKey(words.map((w) => w.text).join(' ')))) {
      // Untitled: a person when compromise knows one of the words as a person's (or an apposition gives
      // a role), and not when compromise reads every word as a place. A name the article has already
      // given a person (titled, or confirmed so earlier) is that person again without asking.
      const says = (k: Known) => (lowers.some((w) => k.people.has(w)) || !!apposRole) && !lowers.every((w) => k.places.has(w));
      if (!says(known(lowers, true)) && !says(known(lowers))) return null;
    }
    const name = words.map((w) => w.text).join(' ').replace(/\s+-\s+/g, '-');
    const prefix = lastTitle >= 0 ? roleBefore(toks, run[0], lastTitle + 1) : i > 0 ? roleBefore(toks, i, i) : null;
    const role = apposRole ?? prefix;
    let gender: Gender = null;
    for (const w of [toks[i - 1]?.lower ?? '', ...(role ?? '').toLowerCase().split(/\s+/)]) {
      if (MALE.test(w)) gender = 'm';
      if (FEMALE.test(w)) gender = 'f';
    }
    return { name, role, gender };
  }

  /** "John Kirby, a spokesperson for the NSC," → that role; also "The US envoy, Sung Kim," → "US envoy". */
  private appositionRole(toks: Tok[], i: number, j: number): string | null {
    const after = toks[j];
    if (after?.text === ',') {
      let k = j + 1;
      const startTok = toks[k];
      while (k < toks.length && toks[k]!.text !== ',' && !toks[k]!.quoted && k - j < 20) k++;
      if (startTok && toks[k]?.text === ',') {
        const phrase = toks.slice(j + 1, k);
        if (phrase.length && hasPersonHead(phrase) && !phrase.some((t) => t.pos === 'VERB' && !/ing$|ed$/.test(t.lower) && t.lower !== 'security'))
          return cleanRole(this.body.slice(phrase[0]!.start, phrase[phrase.length - 1]!.end));
      }
    }
    const before = toks[i - 1];
    if (before?.text === ',' && toks[j]?.text === ',') {
      let k = i - 2;
      while (k >= 0 && toks[k]!.text !== ',' && !toks[k]!.quoted && i - k < 20) k--;
      const phrase = toks.slice(k + 1, i - 1);
      if (phrase.length && hasPersonHead(phrase) && !phrase.some((t) => t.pos === 'VERB' || t.pos === 'AUX'))
        return cleanRole(this.body.slice(phrase[0]!.start, phrase[phrase.length - 1]!.end));
    }
    return null;
  }

  private personEntity(name: string, role: string | null, gender: Gender, _sentence: number): Entity | null {
    const parts = name.split(/\s+/);
    let ent: Entity | undefined;
    if (parts.length === 1) ent = this.bySurname(name) ?? undefined;
    else {
      ent = this.entities.get(nameKey(name));
      // "Jean-Pierre" after "Karine Jean-Pierre", or a longer form of a known name.
      if (!ent) for (const e of this.entities.values()) if (e.kind === 'person' && nameKey(e.name).endsWith(` ${nameKey(name)}`)) ent = e;
    }
    if (!ent) {
      if (parts.length === 1) return null;
      ent = { key: nameKey(name), name, kind: 'person', role: null, descriptors: new Set(), gender: null };
      this.entities.set(ent.key, ent);
    }
    if (role) {
      ent.role ??= role;
      for (const w of role.toLowerCase().split(/[^\p{L}-]+/u)) if (w) ent.descriptors.add(w);
    }
    ent.gender ??= gender;
    return ent;
  }

  /**
   * The person a one-word name means: the one whose last name it is (nearest before `at` when several),
   * else — for names written family name first ("Kim" for "Kim Jong Un") — one whose first word it is.
   */
  bySurname(word: string, at = Infinity): Entity | null {
    // An acronym ("UN", "US") or a two-letter word is never a surname.
    if (word.length < 3 || ACRONYM.test(word)) return null;
    const k = nameKey(word).replace(/ /g, '-');
    const last: Entity[] = [];
    const first: Entity[] = [];
    for (const e of this.entities.values()) {
      if (e.kind !== 'person') continue;
      const parts = e.name.split(/\s+/).map((w) => nameKey(w).replace(/ /g, '-'));
      if (parts.length < 2) continue;
      if (parts[parts.length - 1] === k) last.push(e);
      else if (parts[0] === k && (parts.length >= 3 || /-/.test(e.name))) first.push(e);
    }
    const pick = (list: Entity[]) => {
      if (list.length <= 1) return list[0] ?? null;
      const near = [...this.mentions].reverse().find((m) => m.at < at && list.includes(m.entity));
      return near?.entity ?? list[0]!;
    };
    return pick(last) ?? pick(first);
  }

  /** The person "he"/"she" at `at` means: the nearest person named before it in the story (not in a caption). */
  resolvePronoun(at: number, pronoun: string, inCaption: boolean): Entity | null {
    const g: Gender = /^(?:she|her)$/i.test(pronoun) ? 'f' : 'm';
    for (let i = this.mentions.length - 1; i >= 0; i--) {
      const m = this.mentions[i]!;
      if (m.at >= at) continue;
      if (m.caption && !inCaption) continue;
      if (m.entity.kind !== 'person') continue;
      if (m.entity.gender && m.entity.gender !== g) continue;
      return m.entity;
    }
    return null;
  }

  /**
   * The person a definite description ("the official", "the Russian president") means: the nearest person
   * before it whose roles fit its head noun and do not contradict its nationality; for a generic head
   * ("the official", "the spokesman"), the nearest person the article gave a role. Null when none fits.
   */
  resolveDescription(at: number, words: string[], inCaption: boolean): Entity | null {
    const head = words[words.length - 1]!;
    const mods = words.slice(0, -1);
    const nat = mods.filter((w) => NATIONALITY.test(w));
    const seen = new Set<Entity>();
    const ordered: Entity[] = [];
    for (let i = this.mentions.length - 1; i >= 0; i--) {
      const m = this.mentions[i]!;
      if (m.at >= at || (m.caption && !inCaption) || m.entity.kind !== 'person' || seen.has(m.entity)) continue;
      seen.add(m.entity);
      ordered.push(m.entity);
    }
    const g: Gender = MALE.test(head) ? 'm' : FEMALE.test(head) ? 'f' : null;
    const fits = (e: Entity) => {
      if (g && e.gender && e.gender !== g) return false;
      const eNat = [...e.descriptors].filter((w) => NATIONALITY.test(w));
      if (nat.length && eNat.length && !nat.some((n) => eNat.some((x) => x.slice(0, 4) === n.slice(0, 4)))) return false;
      return true;
    };
    const byRole = ordered.find((e) => headMatches(e.descriptors, head) && fits(e));
    if (byRole) return byRole;
    if (GENERIC_HEADS.has(head) && mods.length === 0) return ordered.find((e) => e.role !== null && fits(e)) ?? null;
    return null;
  }

  /** Records that `entity` is mentioned at `at` (a resolved pronoun or description), for later pronouns. */
  note(at: number, entity: Entity, sentence: number, caption: boolean) {
    this.mentions.push({ at, entity, sentence, caption });
    this.mentions.sort((x, y) => x.at - y.at);
  }
}

const GENERIC_HEADS = new Set(['official', 'spokesman', 'spokeswoman', 'spokesperson', 'diplomat', 'envoy']);

function headMatches(desc: Set<string>, head: string): boolean {
  if (desc.has(head)) return true;
  // "spokesperson" fits "spokesman"; "leader" fits "leader"; "president" fits "vice-president" not.
  if (/^spokes/.test(head)) return [...desc].some((d) => /^spokes/.test(d));
  return false;
}

function hasPersonHead(phrase: Tok[]): boolean {
  // The head is the last noun before a preposition: "a spokesperson for the US National Security Council".
  let end = phrase.length;
  for (let k = 0; k < phrase.length; k++) if (NP_PREPOSITIONS.has(phrase[k]!.lower) && k > 0) { end = k; break; }
  const head = phrase[end - 1];
  if (!head) return false;
  return PERSON_ROLES.has(head.lower) || TITLE_WORDS.has(head.lower) || /(?:man|woman|person|er|or|ist|ant|ent)$/.test(head.lower) && head.pos === 'NOUN' && !head.cap;
}

/** The words before a name that describe it: "US Security Council spokesman" in "US Security Council spokesman John Kirby". */
function roleBefore(toks: Tok[], runStart: number, nameStart: number): string | null {
  // Walk back over lower-case role words and capitalised modifiers that belong to the same noun phrase.
  let k = nameStart - 1;
  let first = nameStart;
  while (k >= 0) {
    const t = toks[k]!;
    if (t.quoted) break;
    if (k >= runStart || t.pos === 'ADJ' || t.pos === 'NOUN' || t.pos === 'PROPN' || t.pos === 'PART' || (t.text === '-' && k > 0)) {
      if (t.pos === 'VERB' || t.pos === 'AUX') break;
      first = k;
      k--;
      continue;
    }
    break;
  }
  if (first >= nameStart) return null;
  const words = toks.slice(first, nameStart);
  if (!words.some((w) => PERSON_ROLES.has(w.lower) || TITLE_WORDS.has(w.lower))) return null;
  return cleanRole(toks[0] ? sliceTokens(words) : '');
}

function sliceTokens(words: Tok[]): string {
  let s = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const prev = words[i - 1];
    s += prev && prev.end < w.start ? ` ${w.text}` : w.text;
  }
  return s;
}

export function cleanRole(r: string): string | null {
  const s = r
    .replace(/\s+/g, ' ')
    .replace(/^(?:the|a|an)\s+/i, '')
    .replace(/[,;:\s]+$/, '')
    .trim();
  return s.length >= 3 ? s : null;
}

/** Maximal runs [i, j) of capitalised name words outside quotes (sentence-initial function words excluded). */
export function nameRuns(toks: Tok[]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    if (!t.quoted && isCapName(t, i === 0) && (t.pos !== 'VERB' || isCapName(toks[i + 1] ?? t, false) && toks[i + 1] !== undefined)) {
      let j = i + 1;
      while (j < toks.length) {
        const u = toks[j]!;
        if (u.quoted) break;
        if (isCapName(u, false) && u.pos !== 'VERB') j++;
        // "Jean-Pierre" split by the tokenizer, "Jong-un": a hyphen joined on both sides.
        else if (u.text === '-' && toks[j + 1] && u.start === toks[j - 1]!.end && toks[j + 1]!.start === u.end && /^[\p{L}]/u.test(toks[j + 1]!.text)) j += 2;
        else break;
      }
      out.push([i, j]);
      i = j;
    } else i++;
  }
  return out;
}

// ——— Noun phrases of attributions ———

/** The noun phrase that ends just before token `end` (exclusive): [start, end) or null. */
export function npBefore(toks: Tok[], end: number): [number, number] | null {
  let k = end - 1;
  // Skip adverbs and auxiliaries between subject and verb: "Kirby also voiced", "Seoul and Washington have said".
  while (k >= 0 && !toks[k]!.quoted && (toks[k]!.pos === 'ADV' || toks[k]!.pos === 'AUX' || /^(?:also|later|again|then|publicly|previously|reportedly|repeatedly|further|has|have|had|was|is|will|would)$/.test(toks[k]!.lower)) && !/^(?:not|never)$/.test(toks[k]!.lower))
    k--;
  const last = k;
  let first = k + 1;
  while (k >= 0) {
    const t = toks[k]!;
    if (t.quoted) break;
    if (/^(?:he|she|they|it|who|which|we|i)$/.test(t.lower) && k === last) {
      first = k;
      break;
    }
    if (t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ' || t.pos === 'NUM' || t.pos === 'PART' || isCapName(t, k === 0)) {
      if (/^(?:that|who|which|while|when|after|before|as|because|if|and|but|or)$/.test(t.lower)) break;
      first = k;
      k--;
      continue;
    }
    if (t.pos === 'DET' || DETERMINERS.has(t.lower)) {
      if (/^(?:that|this|these|those)$/.test(t.lower) && k === last) break;
      first = k;
      // "a spokesperson for the US National Security Council": the phrase goes on before the preposition.
      const p = toks[k - 1];
      const n = toks[k - 2];
      if (p && n && /^(?:of|for|from|at)$/.test(p.lower) && !n.quoted && (n.pos === 'NOUN' || n.pos === 'PROPN' || n.cap)) {
        k--;
        continue;
      }
      break;
    }
    if (t.text === '-' && k > 0 && toks[k - 1]!.end === t.start) {
      first = k;
      k--;
      continue;
    }
    // "of", "for", "from", "at" inside a noun phrase: "a senior official from South Korea’s Joint Chiefs of Staff".
    if (NP_PREPOSITIONS.has(t.lower) && k < last && k > 0) {
      const before = toks[k - 1]!;
      if ((before.pos === 'NOUN' || before.pos === 'PROPN' || before.cap) && !before.quoted) {
        first = k;
        k--;
        continue;
      }
    }
    // "Seoul and Washington", "Center for Strategic and International Studies".
    if (t.lower === 'and' && k > 0 && toks[k - 1]!.cap && toks[k + 1]?.cap) {
      first = k;
      k--;
      continue;
    }
    break;
  }
  if (first > last) return null;
  // A phrase cannot start with a preposition.
  while (first <= last && (NP_PREPOSITIONS.has(toks[first]!.lower) || toks[first]!.lower === 'and')) first++;
  if (first > last) return null;
  return [first, last + 1];
}

/** The noun phrase that starts at token `start`: [start, end) or null ("John Kirby" in "said John Kirby, …"). */
export function npAfter(toks: Tok[], start: number): [number, number] | null {
  let k = start;
  if (k < toks.length && DETERMINERS.has(toks[k]!.lower)) k++;
  while (k < toks.length) {
    const t = toks[k]!;
    if (t.quoted) break;
    if (MONTHS_DAYS.test(t.text)) break;
    if (t.pos === 'PROPN' || t.pos === 'NOUN' || t.pos === 'ADJ' || t.pos === 'PART' || isCapName(t, false)) {
      k++;
      continue;
    }
    if (t.text === '-' && k > start && toks[k - 1]!.end === t.start) {
      k++;
      continue;
    }
    if ((t.lower === 'of' || t.lower === 'for' || t.lower === 'at') && toks[k + 1] && (toks[k + 1]!.cap || DETERMINERS.has(toks[k + 1]!.lower)) && k > start) {
      k++;
      if (DETERMINERS.has(toks[k]!.lower)) k++;
      continue;
    }
    if (t.lower === 'and' && toks[k + 1]?.cap && toks[k - 1]?.cap) {
      k++;
      continue;
    }
    break;
  }
  return k > start ? [start, k] : null;
}

/** True when an "according to" / "per" phrase names a news outlet or wire, which reported rather than spoke. */
export function isMediaSource(words: Tok[], article: Article): boolean {
  const outlet = article.meta.outlet ? nameKey(article.meta.outlet) : null;
  const text = nameKey(words.map((w) => w.text).join(' '));
  if (outlet && text.includes(outlet)) return true;
  return words.some((w) => MEDIA_WORDS.has(w.lower.replace(/[’'].*$/, '')));
}

/**
 * What an attribution's noun phrase means. `np` are its tokens (outside quotes). Returns null when it is
 * not a speaker one can name without guessing (a document with no issuer, "it", an unresolved "the businessman").
 */
export function resolveNP(reg: ArticleSpeakers, np: Tok[], at: number, inCaption: boolean): Resolved | null {
  if (np.length === 0) return null;
  const body = reg.article.body;
  const first = np[0]!;
  if (np.length === 1 && /^(?:he|she)$/.test(first.lower)) {
    const e = reg.resolvePronoun(at, first.lower, inCaption);
    return e ? { speaker: e.name, role: e.role, kind: 'person', entity: e } : null;
  }
  if (np.some((t) => /^(?:it|they|we|i|who|which|this|that)$/.test(t.lower) && np.length === 1)) return null;
  // Appositions were cut away by the caller; here: [determiner] [modifiers] [role] [Name].
  // 1. A person's name at the end: "US Security Council spokesman John Kirby", "Kirby".
  const runs = nameRuns(np.map((t) => ({ ...t, quoted: false })));
  const lastRun = runs[runs.length - 1];
  if (lastRun && lastRun[1] === np.length) {
    const words = np.slice(lastRun[0], lastRun[1]);
    // Titles inside the run go to the role.
    let cut = 0;
    for (let k = 0; k < words.length; k++) if (TITLE_WORDS.has(words[k]!.lower)) cut = k + 1;
    const nameWords = words.slice(cut);
    if (nameWords.length && !nameWords.some((w) => ORG_WORDS.has(w.lower) || NATIONALITY.test(w.lower))) {
      const text = nameWords.map((w) => w.text).join(' ').replace(/\s+-\s+/g, '-');
      let ent: Entity | null = null;
      if (nameWords.length === 1) ent = reg.bySurname(text, at);
      else ent = reg.entities.get(nameKey(text)) ?? [...reg.entities.values()].find((e) => e.kind === 'person' && nameKey(e.name).endsWith(` ${nameKey(text)}`)) ?? null;
      const roleWords = np.slice(0, lastRun[0] + cut);
      const role = roleWords.length ? cleanRole(sliceText(body, roleWords)) : null;
      if (ent) return { speaker: ent.name, role: ent.role ?? role, kind: 'person', entity: ent };
      const isPerson = nameWords.length >= 2 && nameWords.length <= 4 && (cut > 0 || (roleWords.length > 0 && roleWords.some((w) => PERSON_ROLES.has(w.lower))));
      if (isPerson) return { speaker: text, role, kind: 'person', entity: null };
    }
  }
  // 2. A description: "a Kremlin spokesman", "the official", "South Korea’s senior presidential official".
  let headIdx = np.length - 1;
  for (let k = 1; k < np.length; k++)
    if (NP_PREPOSITIONS.has(np[k]!.lower)) {
      headIdx = k - 1;
      break;
    }
  const head = np[headIdx]!;
  const det = DETERMINERS.has(first.lower) ? first.lower : null;
  const descText = cleanRole(sliceText(body, det ? np.slice(1) : np));
  if (PERSON_ROLES.has(head.lower) || PERSON_ROLES.has(head.lower.replace(/s$/, ''))) {
    const plural = PLURAL_PERSON.has(head.lower);
    if (det === 'the' && !plural) {
      const words = np.slice(1, headIdx + 1).map((t) => t.lower);
      const e = reg.resolveDescription(at, words, inCaption);
      if (e) return { speaker: e.name, role: e.role, kind: 'person', entity: e };
      // "the Ukrainian military intelligence chief": specific enough to stand as the speaker.
      const specific = headIdx >= 2 || np.length > headIdx + 1;
      if (!specific) return null;
    }
    if (det && /^(?:his|her|its|their|this|that|these|those)$/.test(det)) return null;
    return descText ? { speaker: descText, role: null, kind: 'description', entity: null } : null;
  }
  // 3. A document speaks for its issuer: "a CSIS report", "a report by the Institute for the Study of War".
  if (DOCUMENT_HEADS.has(head.lower)) {
    const issuer = np.filter((t, k) => k !== headIdx && t.cap && !DETERMINERS.has(t.lower));
    if (issuer.length === 0) return null;
    return { speaker: cleanRole(sliceText(body, issuer)) ?? issuer.map((t) => t.text).join(' '), role: null, kind: 'org', entity: null };
  }
  // 4. An organisation or a country: "the White House", "the Kremlin", "Iran", "the North Korean government".
  const capWords = np.filter((t) => t.cap && !DETERMINERS.has(t.lower));
  if (capWords.length > 0) {
    // "Satellite imagery", "the timeline provided"; a bare "the ministry" is not named either.
    if (head.pos === 'NOUN' && !head.cap && !ORG_HEADS.has(head.lower)) return null;
    if (np.some((t) => MONTHS_DAYS.test(t.text))) return null;
    if (det && /^(?:his|her|its|their|this|these|those|one|another|some|two|three|several|many)$/.test(det)) return null;
    const name = sliceText(body, det ? np.slice(1) : np).replace(/[,;:\s]+$/, '').trim();
    return name.length >= 2 ? { speaker: name, role: null, kind: 'org', entity: null } : null;
  }
  return null;
}

export function sliceText(body: string, toks: Tok[]): string {
  if (toks.length === 0) return '';
  return body.slice(toks[0]!.start, toks[toks.length - 1]!.end).replace(/\s+/g, ' ');
}

export { PLURAL_PERSON, MEDIA_WORDS };
