// Option schemas the command modules share, so every command answers a strange value the same way.
import { z } from 'zod';

/** Optional free text: whitespace folded, at most `max` characters; empty means not given. */
export const optionalText = (max: number, what = 'it') =>
  z
    .string()
    .transform((s) => s.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max, `keep ${what} under ${max} characters`))
    .optional()
    .transform((s) => (s ? s : undefined));

/** An optional whole number from 1 to `max` (Discord sends numbers; the console and CLI send text). */
export const countOption = (max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `can be at most ${max}`)
    .optional();
