// Statements and their speakers, one case of the /who-said issue per test, on short texts written here.
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../src/corpus/load.js';
import { extractStatements } from '../src/extract/statements.js';
import type { Statement } from '../src/extract/types.js';

function statementsOf(text: string, title = 'A test headline'): Statement[] {
  const a = parseArticle('t.md', `---\ntitle: "${title}"\n---\n${text}\n`);
  const out = extractStatements(a);
  // Every statement is verbatim and lies inside its passage.
  for (const s of out) {
    expect(a.body.slice(s.at[0], s.at[1])).toBe(s.quote);
    expect(s.passage.start).toBeLessThanOrEqual(s.at[0]);
    expect(s.passage.end).toBeGreaterThanOrEqual(s.at[1]);
  }
  return out;
}
const said = (out: Statement[]) => out.map((s) => [s.kind, s.speaker, s.quote]);

describe('direct quotes in every style', () => {
  it('curly double quotes with the speaker after, and the role from the apposition', () => {
    const out = statementsOf('“We condemn the attack on civilians,” John Kirby, the White House national security spokesman, said on Friday.');
    expect(said(out)).toEqual([['direct', 'John Kirby', 'We condemn the attack on civilians,']]);
    expect(out[0]!.role).toBe('White House national security spokesman');
  });

  it('straight double quotes with the verb before the speaker', () => {
    const out = statementsOf('"We will respond to any provocation," said Dmitry Peskov, the Kremlin spokesman.');
    expect(said(out)).toEqual([['direct', 'Dmitry Peskov', 'We will respond to any provocation,']]);
    expect(out[0]!.role).toBe('Kremlin spokesman');
  });

  it('single quotes inside double quotes stay part of one quote', () => {
    const out = statementsOf('Anna Smith, a local resident, said: “He told me ‘never again’ and then he left the village.”');
    expect(said(out)).toEqual([['direct', 'Anna Smith', 'He told me ‘never again’ and then he left the village.']]);
  });

  it('guillemets', () => {
    const out = statementsOf('Maria Zakharova, the Russian foreign ministry spokeswoman, said «the West is lying about the shipments».');
    expect(said(out)).toEqual([['direct', 'Maria Zakharova', 'the West is lying about the shipments']]);
  });

  it("two apostrophes as a quotation mark ('' … '')", () => {
    const out = statementsOf("Russian Foreign Minister Sergei Lavrov spoke in Moscow. Lavrov said ''we are ready to talk to anyone who wants peace'' after the meeting.");
    expect(said(out)).toContainEqual(['direct', 'Sergei Lavrov', 'we are ready to talk to anyone who wants peace']);
  });

  it('a quote over two paragraphs: each opens, only the last closes; both parts have the speaker', () => {
    const out = statementsOf(
      'Yevgeny Prigozhin, the head of the Wagner group, said in an audio message: “We are leaving Bakhmut because the ammunition never came.\n\n“The men are dying for nothing. We will hand over our positions on May 10.”',
    );
    expect(said(out)).toEqual([
      ['direct', 'Yevgeny Prigozhin', 'We are leaving Bakhmut because the ammunition never came.'],
      ['direct', 'Yevgeny Prigozhin', 'The men are dying for nothing. We will hand over our positions on May 10.'],
    ]);
  });

  it('a quote whose closing mark is missing ends at its paragraph', () => {
    const out = statementsOf('John Kelley, the US envoy, spoke after him.\n\n“This partnership undermines stability,” he said. “We will not accept it and we will respond.\n\nThe meeting ended at noon.');
    expect(said(out)).toContainEqual(['direct', 'John Kelley', 'We will not accept it and we will respond.']);
    expect(out.some((s) => s.quote.includes('meeting ended'))).toBe(false);
  });

  it('a quote split by its attribution gives both parts the speaker', () => {
    const out = statementsOf('State Department spokesperson Ned Price briefed reporters.\n\n“We are concerned about the transfers,” the official said. “We will act with our allies.”');
    expect(said(out)).toEqual([
      ['direct', 'Ned Price', 'We are concerned about the transfers,'],
      ['direct', 'Ned Price', 'We will act with our allies.'],
    ]);
  });
});

describe('reported speech', () => {
  const text =
    'John Kirby, a spokesperson for the US National Security Council, told reporters on Wednesday that the shipments would not change the course of the war. ' +
    'Kirby claimed the operatives were directly involved. The Kremlin denied that its forces had used the weapons. Kirby added that sanctions would follow soon. ' +
    'According to Sung Kim, the shipments began in September last year. The shipments began in early September of that year, a US official said. ' +
    'John Kirby expressed condemnation for the attack on the power grid. Kirby warned that more launches were likely this year.';
  const out = statementsOf(text);
  it.each([
    ['X told reporters (that) …', 'John Kirby', 'the shipments would not change the course of the war'],
    ['X claimed …', 'John Kirby', 'the operatives were directly involved'],
    ['X denied that …', 'Kremlin', 'its forces had used the weapons'],
    ['X added that …', 'John Kirby', 'sanctions would follow soon'],
    ['according to X, …', 'Sung Kim', 'the shipments began in September last year'],
    ['…, X said', 'US official', 'The shipments began in early September of that year'],
    ['X expressed condemnation …', 'John Kirby', 'condemnation for the attack on the power grid'],
    ['X warned that …', 'John Kirby', 'more launches were likely this year'],
  ])('%s', (_case, speaker, quote) => {
    expect(said(out)).toContainEqual(['reported', speaker, quote]);
  });

  it('keeps the role the article gives', () => {
    expect(out.find((s) => s.speaker === 'John Kirby')!.role).toBe('spokesperson for the US National Security Council');
  });

  it('"according to" a news agency names the source, not the speaker', () => {
    const o = statementsOf('On 17 October, a Kremlin spokesman denied the accusations, claiming that “statements by British intelligence are unsubstantiated,” according to TASS.');
    expect(said(o)).toEqual([['direct', 'Kremlin spokesman', 'statements by British intelligence are unsubstantiated,']]);
    expect(statementsOf('Russia is receiving “substantial” amounts of shells, according to Reuters.')).toEqual([]);
  });
});

describe('speakers', () => {
  it('attribution in the next sentence ("He said it after …")', () => {
    const out = statementsOf('Ukrainian President Volodymyr Zelensky visited Bakhmut on Tuesday.\n\n“We will never surrender this city.” He said it after visiting the front line.');
    expect(said(out)).toEqual([['direct', 'Volodymyr Zelensky', 'We will never surrender this city.']]);
  });

  it('attribution in the sentence before, ending with a colon', () => {
    const out = statementsOf('Wagner chief Yevgeny Prigozhin said on Telegram:\n\n“Our fighters have taken the whole city.”');
    expect(said(out)).toEqual([['direct', 'Yevgeny Prigozhin', 'Our fighters have taken the whole city.']]);
  });

  it('a quote introduced by a label belongs to that speaker', () => {
    const out = statementsOf('[Sound bite: John Kirby - White House National Security Council spokesperson] "We are deeply concerned about these arms transfers."');
    expect(said(out)).toEqual([['direct', 'John Kirby', 'We are deeply concerned about these arms transfers.']]);
    expect(out[0]!.role).toBe('White House National Security Council spokesperson');
  });

  it('a description resolves to the person it fits, not simply the nearest one', () => {
    const out = statementsOf(
      'Russian businessman Yevgeny Prigozhin, who founded the Wagner group, met Russian President Vladimir Putin on June 29. ' +
        'The businessman said that the fighters would keep their weapons. The Russian president said that the mutiny was a betrayal of the country.',
    );
    expect(said(out)).toEqual([
      ['reported', 'Yevgeny Prigozhin', 'the fighters would keep their weapons'],
      ['reported', 'Vladimir Putin', 'the mutiny was a betrayal of the country'],
    ]);
  });

  it('a nationality tells two presidents apart', () => {
    const out = statementsOf(
      'Russian President Vladimir Putin hosted Chinese President Xi Jinping in Moscow.\n\n“We will deepen our partnership in every field,” the Russian president said.',
    );
    expect(said(out)).toEqual([['direct', 'Vladimir Putin', 'We will deepen our partnership in every field,']]);
  });

  it('"he" skips a person the text marks as a woman', () => {
    const out = statementsOf('Defence Minister Boris Pistorius met Ms. Annalena Baerbock in Berlin. He said the tanks would be delivered next month.');
    expect(said(out)).toEqual([['reported', 'Boris Pistorius', 'the tanks would be delivered next month']]);
  });

  it('an unnamed "the official" with no one to refer to is not given to anyone', () => {
    expect(statementsOf('“We are watching very closely,” the official said.')).toEqual([]);
  });

  it('organisations speak', () => {
    const out = statementsOf(
      'The Kremlin said on Monday that the talks had stalled for good. A report by the Institute for the Study of War said that Russian forces had advanced near Avdiivka. ' +
        'The White House said the shipments were a grave concern for the region.',
    );
    expect(said(out)).toEqual([
      ['reported', 'Kremlin', 'the talks had stalled for good'],
      ['reported', 'Institute for the Study of War', 'Russian forces had advanced near Avdiivka'],
      ['reported', 'White House', 'the shipments were a grave concern for the region'],
    ]);
  });

  it('"Kirby" and "White House national-security spokesman John Kirby" are one speaker with the role', () => {
    const out = statementsOf('White House national-security spokesman John Kirby briefed reporters. Kirby said the shipments were continuing at a steady pace.');
    expect(said(out)).toEqual([['reported', 'John Kirby', 'the shipments were continuing at a steady pace']]);
    expect(out[0]!.role).toBe('White House national-security spokesman');
  });

  it('people who share a word are not merged (Sung Kim is not Kim Jong Un)', () => {
    const out = statementsOf(
      'US envoy Sung Kim met officials in Seoul. North Korean leader Kim Jong Un said the drills were a rehearsal for invasion. Sung Kim said the allies were united against the threat.',
    );
    expect(said(out)).toEqual([
      ['reported', 'Kim Jong Un', 'the drills were a rehearsal for invasion'],
      ['reported', 'Sung Kim', 'the allies were united against the threat'],
    ]);
  });

  it('a surname alone goes to the full name whose last word it is', () => {
    const out = statementsOf('North Korean leader Kim Jong Un visited Moscow. US envoy Sung Kim was in Seoul. Kim said the allies were united against the threat.');
    expect(said(out)).toEqual([['reported', 'Sung Kim', 'the allies were united against the threat']]);
  });

  it('a quote that mentions a name is not that person’s quote', () => {
    const out = statementsOf(
      'Wagner chief Yevgeny Prigozhin attacked the White House spokesman John Kirby.\n\n“Unfortunately, Kirby makes a mistake when he talks about our losses,” Prigozhin said.',
    );
    expect(said(out)).toEqual([['direct', 'Yevgeny Prigozhin', 'Unfortunately, Kirby makes a mistake when he talks about our losses,']]);
  });
});

describe('not statements', () => {
  it('quoted names and titles, a headline’s quoted word and scare quotes are not statements', () => {
    const out = statementsOf(
      'North Korea’s “Combined Fire Demonstration” was held in April. The so-called “special military operation” began in February. Wagner fighters ate “pelmeni” at the base, Yevgeny Prigozhin said.',
      '“Dangerous” arms shipments trouble US',
    );
    expect(out.filter((s) => s.kind === 'direct')).toEqual([]);
    expect(out.some((s) => /Combined|special military|pelmeni/.test(s.quote))).toBe(false);
  });

  it('the headline is not quoted speech even with a quotation in it', () => {
    const out = statementsOf('“Dangerous” arms shipments trouble US\n\nThe ships left port on Monday.', '“Dangerous” arms shipments trouble US');
    expect(out).toEqual([]);
  });

  it('short quoted words that are attributed speech are statements', () => {
    const out = statementsOf('US envoy Sung Kim met officials. He said the ties were “very worrying” for the region.');
    expect(said(out)).toContainEqual(['direct', 'Sung Kim', 'very worrying']);
  });

  it('a quote no one is said to have said is left out rather than guessed', () => {
    expect(statementsOf('John Kirby arrived in Tokyo.\n\nThe ship was “loaded with containers of shells and rockets”, reports showed.')).toEqual([]);
  });
});
