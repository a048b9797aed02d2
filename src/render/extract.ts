// `extract --json`: what was extracted per article, for people checking the bot and for researchers.
import type { Dossier } from '../core/dossier.js';
import { citationOf } from '../core/types.js';
import { citationJson } from './json.js';

export function extractJson(d: Dossier, only?: string) {
  return {
    articles: d.articles
      .filter((a) => !only || a.id === only)
      .map((a) => {
        const x = d.extractions.get(a.id) ?? { dates: [], events: [], statements: [] };
        return {
          article: a.id,
          title: a.meta.title,
          outlet: a.meta.outlet,
          published: a.meta.published,
          dates: x.dates.map((m) => ({ text: m.text, at: m.at, date: m.date, end: m.end, precision: m.precision, expected: m.expected, relative: m.relative })),
          events: x.events.map((e) => ({ date: e.date, end: e.end, precision: e.precision, expected: e.expected, caption: e.caption, text: a.body.slice(e.span.start, e.span.end) })),
          statements: x.statements.map((s) => ({
            speaker: s.speaker,
            role: s.role,
            kind: s.kind,
            quote: s.quote,
            citation: citationJson(citationOf(a, s.passage)),
          })),
        };
      }),
  };
}
