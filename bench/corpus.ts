// Deterministic synthetic news corpora for the benchmark: articles built from templates with a seeded
// PRNG — varied names, outlets, dates in every form the extractor handles, direct quotes and reported
// speech, captions and page furniture. The same seed always gives the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, good enough for templates. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export const FIRST = ['John', 'Maria', 'Sung', 'Olena', 'Ahmed', 'Li', 'Anna', 'Pierre', 'Kofi', 'Yuki', 'Ned', 'Karine', 'Dmitry', 'Hana', 'Carlos', 'Fatima', 'Jens', 'Priya', 'Tomás', 'Grace', 'Igor', 'Min-jun', 'Sarah', 'Omar', 'Elena', 'Marcus', 'Ingrid', 'Rahul', 'Lucia', 'Viktor', 'Amara', 'Daniel', 'Ji-woo', 'Sophie', 'Mikhail', 'Nadia', 'Oliver', 'Aisha', 'Kenji', 'Laura'];
export const LAST = ['Kirby', 'Price', 'Kim', 'Petrova', 'Haddad', 'Wei', 'Schmidt', 'Dubois', 'Mensah', 'Tanaka', 'Jean-Pierre', 'Volkov', 'Park', 'Garcia', 'Rahman', 'Stoltenberg', 'Sharma', 'Ortega', 'Okafor', 'Ivanov', 'Lee', 'Novak', 'Hassan', 'Rossi', 'Fischer', 'Lindqvist', 'Patel', 'Moreau', 'Kovalenko', 'Adeyemi', 'Brennan', 'Choi', 'Laurent', 'Sokolov', 'Nair', 'Walsh', 'Yilmaz', 'Sato', 'Bergström', 'Quinn'];
export const ROLES = [
  'a spokesperson for the National Security Council',
  'the State Department spokesperson',
  'a senior defence official',
  'the foreign minister',
  'a military analyst at the Institute for Security Studies',
  'the head of military intelligence',
  'a Kremlin spokesman',
  'the deputy prime minister',
  'a researcher at the Center for Strategic Studies',
  'the ambassador to the United Nations',
  'a senior presidential official',
  'the defence minister',
  'a professor of international relations',
  'the navy chief of staff',
  'a trade ministry official',
];
export const OUTLETS = ['Yonhap', 'Reuters', 'The Korea Herald', 'Euromaidan Press', 'Kyiv Independent', 'The Diplomat', 'NK News', 'Al Jazeera', 'Deutsche Welle', 'The Guardian', 'Associated Press', 'Nikkei Asia', 'Radio Free Asia', 'Politico Europe', 'The Moscow Times', 'Daily NK', 'Asia Times', 'Defense News', 'France 24', 'BBC News'];
export const PLACES = ['North Korea', 'DPRK', 'Pyongyang', 'Russia', 'Moscow', 'the Kremlin', 'Ukraine', 'Kyiv', 'South Korea', 'Seoul', 'the United States', 'Washington', 'the U.S.', 'China', 'Beijing', 'Japan', 'Tokyo', 'Iran', 'Tehran', 'Belarus', 'the European Union', 'the UK', 'Vladivostok', 'Rason', 'Crimea', 'Donetsk', 'Kharkiv', 'Odesa', 'Sakhalin', 'Najin'];
export const TOPICS: { noun: string; things: string[]; verbs: string[] }[] = [
  { noun: 'artillery shells', things: ['152mm shells', 'artillery rounds', 'howitzer ammunition'], verbs: ['shipped', 'delivered', 'supplied'] },
  { noun: 'ballistic missiles', things: ['KN-23 missiles', 'short-range missiles', 'missile launchers'], verbs: ['transferred', 'sent', 'provided'] },
  { noun: 'containers', things: ['shipping containers', 'containers of munitions', 'sealed containers'], verbs: ['loaded', 'moved', 'unloaded'] },
  { noun: 'rail traffic', things: ['freight trains', 'rail cars', 'cargo wagons'], verbs: ['crossed', 'carried', 'moved'] },
  { noun: 'sanctions', things: ['export controls', 'new sanctions', 'asset freezes'], verbs: ['imposed', 'announced', 'extended'] },
  { noun: 'summit', things: ['a summit', 'talks', 'a state visit'], verbs: ['held', 'hosted', 'attended'] },
  { noun: 'satellite imagery', things: ['satellite images', 'commercial imagery', 'radar images'], verbs: ['showed', 'revealed', 'captured'] },
  { noun: 'drones', things: ['Shahed drones', 'attack drones', 'reconnaissance drones'], verbs: ['launched', 'supplied', 'assembled'] },
  { noun: 'grain exports', things: ['grain shipments', 'wheat cargoes', 'grain corridors'], verbs: ['blocked', 'resumed', 'insured'] },
  { noun: 'energy prices', things: ['gas prices', 'oil exports', 'power tariffs'], verbs: ['rose', 'fell', 'capped'] },
  { noun: 'cyber attacks', things: ['ransomware attacks', 'phishing campaigns', 'crypto thefts'], verbs: ['traced', 'reported', 'attributed'] },
  { noun: 'naval exercises', things: ['joint drills', 'naval manoeuvres', 'carrier patrols'], verbs: ['staged', 'conducted', 'cancelled'] },
  { noun: 'nuclear tests', things: ['a nuclear test', 'uranium enrichment', 'a test site'], verbs: ['prepared', 'detected', 'condemned'] },
  { noun: 'humanitarian aid', things: ['food aid', 'medical supplies', 'aid convoys'], verbs: ['delivered', 'pledged', 'halted'] },
  { noun: 'port activity', things: ['cargo ships', 'port cranes', 'vessel movements'], verbs: ['observed', 'tracked', 'increased'] },
  { noun: 'weapons factories', things: ['munitions plants', 'production lines', 'arms factories'], verbs: ['expanded', 'reopened', 'struck'] },
  { noun: 'prisoner exchanges', things: ['prisoners of war', 'detainees', 'captured soldiers'], verbs: ['exchanged', 'released', 'returned'] },
  { noun: 'air defence', things: ['air defence systems', 'Patriot batteries', 'interceptor missiles'], verbs: ['deployed', 'requested', 'pledged'] },
  { noun: 'military aid', things: ['aid packages', 'armoured vehicles', 'tank deliveries'], verbs: ['approved', 'announced', 'delayed'] },
  { noun: 'border crossings', things: ['checkpoints', 'the border bridge', 'crossing points'], verbs: ['closed', 'reopened', 'monitored'] },
];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MON = ['Jan.', 'Feb.', 'March', 'April', 'May', 'June', 'July', 'Aug.', 'Sept.', 'Oct.', 'Nov.', 'Dec.'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SAID = ['said', 'told reporters', 'added', 'noted', 'warned', 'stressed'];
const REPORT = ['said', 'claimed', 'told reporters', 'stated', 'confirmed', 'denied'];
const FURNITURE = [
  'Subscribe to our newsletter to get the latest news in your inbox.',
  'Read also: Five things to know about the war this week',
  'Support our journalism. Become a member today.',
  '© {year} {outlet}. All rights reserved.',
  'Your email address will not be published. Required fields are marked *',
  'Follow us on Telegram and X for breaking news.',
  'Please disable your ad blocker to keep reading.',
  'Share this article',
];

interface Day {
  y: number;
  m: number; // 0-based
  d: number;
}

function dayOf(r: Rng): Day {
  return { y: r.int(2019, 2024), m: r.int(0, 11), d: r.int(1, 28) };
}
const pad = (n: number) => String(n).padStart(2, '0');
const isoOf = (x: Day) => `${x.y}-${pad(x.m + 1)}-${pad(x.d)}`;

/** A date phrase, in one of the many forms articles use, relative to the publication day. */
function datePhrase(r: Rng, pub: Day): string {
  const m = r.int(0, 11);
  const d = r.int(1, 28);
  const y = pub.y - r.int(0, 2);
  switch (r.int(0, 17)) {
    case 0: return `on ${MONTHS[m]} ${d}, ${y}`;
    case 1: return `on ${d} ${MONTHS[m]} ${y}`;
    case 2: return `on ${MON[m]} ${d}`;
    case 3: return `in ${MONTHS[m]} ${y}`;
    case 4: return `on ${DAYS[r.int(0, 6)]}`;
    case 5: return 'last month';
    case 6: return 'last week';
    case 7: return `between ${MON[m]} ${d} and ${MON[(m + 1) % 12]} ${r.int(1, 28)}`;
    case 8: return `on ${MON[m]} ${d}-${d + 1}`;
    case 9: return `in ${y}`;
    case 10: return 'earlier this month';
    case 11: return `in the ${['first', 'second', 'third', 'fourth'][r.int(0, 3)]} quarter of ${y}`;
    case 12: return `in the summer of ${y}`;
    case 13: return `${r.int(2, 5)} years ago`;
    case 14: return `on ${y}-${pad(m + 1)}-${pad(d)}`;
    case 15: return `in early ${MONTHS[m]}`;
    case 16: return 'yesterday';
    default: return `on the ${d}${d === 1 || d === 21 ? 'st' : d === 2 || d === 22 ? 'nd' : d === 3 || d === 23 ? 'rd' : 'th'}`;
  }
}

interface Person {
  name: string;
  last: string;
  role: string;
}

function person(r: Rng): Person {
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  return { name: `${first} ${last}`, last, role: r.pick(ROLES) };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sentence(r: Rng, pub: Day, topic: (typeof TOPICS)[number], people: Person[], introduced: Set<string>): string {
  const p = r.pick(people);
  const who = () => {
    if (introduced.has(p.name)) return r.chance(0.5) ? p.last : p.name;
    introduced.add(p.name);
    return `${p.name}, ${p.role},`;
  };
  const a = r.pick(PLACES);
  let b = r.pick(PLACES);
  if (b === a) b = 'Belarus';
  const thing = r.pick(topic.things);
  const verb = r.pick(topic.verbs);
  const n = r.pick(['1,000', '300', 'more than 2,500', 'about 40', 'dozens of', 'hundreds of', '12', '7,000']);
  const when = datePhrase(r, pub);
  switch (r.int(0, 11)) {
    case 0: return `${cap(a)} ${verb} ${n} ${thing} to ${b} ${when}, officials said.`;
    case 1: {
      const w = who();
      return `“${cap(a)} has ${verb} ${thing} to ${b}, and we are watching it closely,” ${w.endsWith(',') ? w.slice(0, -1) : w} ${r.pick(SAID)}.`;
    }
    case 2: {
      const w = who();
      return `${w.endsWith(',') ? w : `${w}`} ${r.pick(REPORT)} that ${a} had ${verb} ${thing} ${when}.`.replace(',,', ',');
    }
    case 3: return `According to ${p.name}, the ${topic.noun} ${r.pick(['were', 'are', 'will be'])} ${verb} ${when}.`;
    case 4: return `${cap(when)}, ${a} and ${b} ${r.pick(['signed an agreement on', 'held talks about', 'exchanged accusations over'])} ${topic.noun}.`;
    case 5: {
      const w = who();
      return `${w.endsWith(',') ? w.slice(0, -1) : w} said: “The ${topic.noun} are a matter of grave concern for ${a}.”`;
    }
    case 6: return `Satellite images from ${when.replace(/^(on|in) /, '')} showed ${thing} near ${b}.`;
    case 7: return `The ${topic.noun} ${r.pick(['are expected to', 'will'])} ${r.pick(['resume', 'continue', 'be discussed'])} ${r.pick(['next month', 'in the coming weeks', `in ${MONTHS[r.int(0, 11)]}`])}, ${r.pick(['diplomats', 'analysts', 'officials'])} said.`;
    case 8: return `“We suspect that ${a} is ${verb.replace(/ed$/, 'ing')} ${thing},” ${p.last} added. “It is dangerous.”`;
    case 9: return `${cap(a)} denied the reports ${when}, calling them “${r.pick(['unsubstantiated', 'baseless', 'a provocation', 'fabricated'])}.”`;
    case 10: return `Trade between ${a} and ${b} in ${topic.noun} rose by ${r.int(3, 90)} percent ${when}, figures showed.`;
    default: return `The U.S. Dept. of State and Dr. ${p.last} of the institute reviewed ${n} ${thing} ${when}.`;
  }
}

export interface SyntheticArticle {
  name: string;
  text: string;
  topic: string;
  speakers: string[];
}

/** One article. Deterministic in (seed, i). */
export function article(seed: number, i: number): SyntheticArticle {
  const r = new Rng(seed * 1_000_003 + i);
  const pub = dayOf(r);
  const topic = r.pick(TOPICS);
  const outlet = r.pick(OUTLETS);
  const people = Array.from({ length: r.int(2, 4) }, () => person(r));
  const introduced = new Set<string>();
  const title = `${cap(r.pick(PLACES))} ${r.pick(topic.verbs)} ${topic.noun}, ${r.pick(['officials say', 'report says', 'analysts warn', 'sources claim'])}`;
  const out: string[] = [];
  const style = r.int(0, 9);
  if (style < 7) {
    out.push('---', `title: "${title}"`, `outlet: ${outlet}`, `published: ${r.chance(0.5) ? `"${isoOf(pub)}"` : isoOf(pub)}`);
    if (r.chance(0.6)) out.push(`url: https://example.org/${pub.y}/${pad(pub.m + 1)}/article-${i}`);
    if (r.chance(0.2)) out.push(`byline: ${person(r).name}`);
    out.push('---', title, '');
  } else if (style < 9) {
    out.push(title, '', `${r.pick(['Seoul', 'Kyiv', 'Washington, D.C.', 'Tokyo', 'Brussels'])}, ${MONTHS[pub.m]} ${pub.d}, ${pub.y} – ${cap(r.pick(PLACES))} ${r.pick(topic.verbs)} ${r.pick(topic.things)}, ${outlet} reported.`, '');
  } else {
    out.push(title, '', `Published : ${MON[pub.m]} ${pub.d}, ${pub.y} - ${pad(r.int(0, 23))}:${pad(r.int(0, 59))}`, '', `By ${person(r).name}`, '');
  }
  const paragraphs = r.int(8, 16);
  for (let p = 0; p < paragraphs; p++) {
    if (r.chance(0.08)) {
      out.push(r.pick(FURNITURE).replace('{year}', String(pub.y)).replace('{outlet}', outlet), '');
      continue;
    }
    if (r.chance(0.06)) {
      out.push(`${cap(r.pick(topic.things))} near ${r.pick(PLACES)} ${datePhrase(r, pub)}. Photo: ${outlet}/AP`, '');
      continue;
    }
    if (r.chance(0.07)) {
      for (let k = 0; k < r.int(2, 4); k++) out.push(`  • ${sentence(r, pub, topic, people, introduced)}`);
      out.push('');
      continue;
    }
    const n = r.int(1, 4);
    out.push(Array.from({ length: n }, () => sentence(r, pub, topic, people, introduced)).join(' '), '');
  }
  if (r.chance(0.5)) out.push(r.pick(FURNITURE).replace('{year}', String(pub.y)).replace('{outlet}', outlet), '');
  return { name: `a${String(i).padStart(6, '0')}.md`, text: `${out.join('\n')}\n`, topic: topic.noun, speakers: people.map((x) => x.name) };
}

/** Writes n articles into dir (created). Returns the bytes written. */
export function writeCorpus(dir: string, n: number, seed = 42): number {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const a = article(seed, i);
    writeFileSync(join(dir, a.name), a.text);
    bytes += Buffer.byteLength(a.text);
  }
  return bytes;
}

/** Varied queries for each command, deterministic in the seed. */
export function queries(seed: number, count: number) {
  const r = new Rng(seed ^ 0x5eed);
  const source: string[] = [];
  const topics: string[] = [];
  const speakers: string[] = [];
  const words: string[] = [];
  const prefixes: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = r.pick(TOPICS);
    const form = r.int(0, 5);
    source.push(
      form === 0 ? `${r.pick(t.things)} ${r.pick(PLACES)}`
      : form === 1 ? `did ${r.pick(PLACES)} send ${t.noun} to ${r.pick(PLACES)}`
      : form === 2 ? `${r.pick(['1,000', '300', '2,500', '7,000'])} ${r.pick(t.things)}`
      : form === 3 ? `${r.pick(LAST)} ${t.noun}`
      : form === 4 ? `${t.noun}`
      : `how many ${r.pick(t.things)} were ${r.pick(t.verbs)} ${r.pick(['last month', 'in 2023', 'by rail'])}`,
    );
    topics.push(r.chance(0.5) ? t.noun : r.pick([...PLACES, ...t.things]));
    speakers.push(r.chance(0.6) ? `${r.pick(FIRST)} ${r.pick(LAST)}` : r.pick(LAST));
    words.push(r.pick(['dangerous', 'grave concern', 'watching it closely', 'unsubstantiated', 'we suspect', 'baseless', t.noun, r.pick(t.things)]));
    const full = r.pick([...LAST, ...PLACES, ...t.things]);
    prefixes.push(full.slice(0, r.int(1, Math.min(6, full.length))));
  }
  return { source, topics, speakers, words, prefixes };
}
