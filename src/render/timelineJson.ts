// `timeline --json`: exactly the documented fields, nothing internal.
import type { TimelineAnswer } from '../answers/timeline.js';
import { citationJson } from './json.js';

export function timelineJson(a: TimelineAnswer) {
  return {
    events: a.events.map((e) => ({
      date: e.date,
      end: e.end,
      precision: e.precision,
      text: e.text,
      expected: e.expected,
      citations: e.citations.map(citationJson),
    })),
  };
}
