// User text shown in an embed title is escaped like everywhere else: markdown in a query shows as typed.
import { describe, expect, it } from 'vitest';
import { commandByName } from '../commands/index.js';
import { buildDossier } from '../src/core/dossier.js';
import { CORPUS } from './helpers.js';

const dossier = buildDossier(CORPUS);
const titleFor = (command: string, raw: Record<string, unknown>) => {
  const mod = commandByName.get(command)!;
  const answer = mod.run(mod.options.parse(raw), { dossier });
  return mod.render.discord(answer, { page: 0 }).embeds![0]!.title!;
};

describe('embed titles', () => {
  it.each([
    ['source', { query: '**containers** __Kirby__ `x`' }],
    ['timeline', { topic: '**containers** __Kirby__ `x`' }],
    ['compare', { topic: '**containers** __Kirby__ `x`' }],
    ['who-said', { words: '**containers** __Kirby__ `x`' }],
  ])('/%s escapes markdown from the user in its title', (command, raw) => {
    const title = titleFor(command, raw);
    expect(title).toContain('\\*\\*containers\\*\\*');
    expect(title).toContain('\\_\\_Kirby\\_\\_');
    expect(title).toContain('\\`x\\`');
  });
});
