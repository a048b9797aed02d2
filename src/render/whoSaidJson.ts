// `who-said --json`: exactly the documented fields, nothing internal.
import type { WhoSaidAnswer } from '../answers/whoSaid.js';
import { citationJson } from './json.js';

export function whoSaidJson(a: WhoSaidAnswer) {
  return {
    statements: a.statements.map((s) => ({
      speaker: s.speaker,
      role: s.role,
      kind: s.kind,
      quote: s.quote,
      citation: citationJson(s.citation),
    })),
  };
}
