// Names that the same articles spell differently, applied at query time: a query for "DPRK" also
// finds "North Korea" and "Pyongyang". A corpus extends the table with its own aliases.yaml.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** Each group lists names of one thing; the first is the name shown. */
export type AliasTable = string[][];

export const DEFAULT_ALIASES: AliasTable = [
  ['North Korea', 'DPRK', 'Pyongyang', 'the North', "Democratic People's Republic of Korea"],
  ['South Korea', 'ROK', 'Seoul', 'Republic of Korea'],
  ['Russia', 'Moscow', 'the Kremlin', 'Russian Federation'],
  ['United States', 'US', 'U.S.', 'USA', 'U.S.A.', 'Washington', 'America'],
  ['United Kingdom', 'UK', 'U.K.', 'Britain', 'London'],
  ['China', 'Beijing', "People's Republic of China", 'PRC'],
  ['Ukraine', 'Kyiv', 'Kiev'],
  ['United Nations Security Council', 'UNSC', 'UN Security Council', 'U.N. Security Council', 'Security Council'],
  ['United Nations', 'UN', 'U.N.'],
  ['European Union', 'EU', 'E.U.', 'Brussels'],
];

const AliasFile = z.union([
  z.array(z.array(z.string().min(1)).min(2)),
  z.record(z.string().min(1), z.array(z.string().min(1))),
]);

/** The default table plus `aliases.yaml` in the corpus folder, if there is one. */
export function loadAliases(corpusDir: string): { table: AliasTable; problem: string | null } {
  const path = join(corpusDir, 'aliases.yaml');
  if (!existsSync(path)) return { table: DEFAULT_ALIASES, problem: null };
  try {
    const parsed = AliasFile.parse(parse(readFileSync(path, 'utf8'), { maxAliasCount: 20 }));
    const extra = Array.isArray(parsed) ? parsed : Object.entries(parsed).map(([k, v]) => [k, ...v]);
    return { table: mergeTables(DEFAULT_ALIASES, extra), problem: null };
  } catch (e) {
    return { table: DEFAULT_ALIASES, problem: `${path}: not used (${(e as Error).message.split('\n')[0]})` };
  }
}

/** Groups that share a name become one group. */
export function mergeTables(a: AliasTable, b: AliasTable): AliasTable {
  const out = a.map((g) => [...g]);
  for (const g of b) {
    const keys = new Set(g.map((n) => n.toLowerCase()));
    const hit = out.find((o) => o.some((n) => keys.has(n.toLowerCase())));
    if (!hit) {
      out.push([...g]);
      continue;
    }
    for (const n of g) if (!hit.some((h) => h.toLowerCase() === n.toLowerCase())) hit.push(n);
  }
  return out;
}
