// The bot's configuration, read from the environment and checked with zod. A missing or malformed value
// stops start-up with one line that names it and says what it should be.
import { z } from 'zod';

export type Mode = 'gateway' | 'http';
/** What the configuration is for: each purpose needs different variables. */
export type Purpose = Mode | 'deploy';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An empty value in .env (`DISCORD_GUILD_ID=`) means "not set". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const opt = <T extends z.ZodType>(t: T) => z.preprocess(blank, t.optional());

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits; Developer Mode → right-click → Copy ID)');

const schema = z.object({
  DISCORD_TOKEN: opt(
    z
      .string()
      .regex(/^[\w.-]{20,}$/, 'must be the bot token from the Developer Portal (Bot → Reset Token), without "Bot " in front'),
  ),
  DISCORD_APPLICATION_ID: opt(snowflake),
  DISCORD_PUBLIC_KEY: opt(z.string().regex(/^[0-9a-fA-F]{64}$/, "must be the application's public key: 64 hexadecimal characters (General Information → Public Key)")),
  DISCORD_GUILD_ID: opt(snowflake),
  DISCORD_API_URL: opt(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
      .transform((s) => s.replace(/\/+$/, '')),
  ),
  CORPUS_DIR: z.preprocess(blank, z.string().default('./corpus')),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof blank(v) === 'string' ? (blank(v) as string).toLowerCase() : blank(v)),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  ),
  DOSSIER_MODE: z.preprocess(
    (v) => (typeof blank(v) === 'string' ? (blank(v) as string).toLowerCase() : blank(v)),
    z.enum(['gateway', 'http'], { error: 'must be gateway or http' }).default('gateway'),
  ),
  PORT: z.preprocess(blank, z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(0, 'must be a port number (0–65535)').max(65535, 'must be a port number (0–65535)').default(8787)),
});

export type Config = z.infer<typeof schema>;

const NEEDS: Record<Purpose, { key: keyof Config; why: string }[]> = {
  gateway: [{ key: 'DISCORD_TOKEN', why: 'the gateway mode logs in with the bot token (Developer Portal → Bot → Reset Token)' }],
  http: [{ key: 'DISCORD_PUBLIC_KEY', why: "the HTTP mode verifies Discord's signatures with it (General Information → Public Key)" }],
  deploy: [
    { key: 'DISCORD_TOKEN', why: 'deploy registers the commands with the bot token' },
    { key: 'DISCORD_APPLICATION_ID', why: 'deploy registers the commands for this application (General Information → Application ID)' },
  ],
};

/**
 * Reads the configuration for `purpose` from `env`. Throws a ConfigError whose message is one line naming
 * the variable, e.g. `DISCORD_PUBLIC_KEY is missing: the HTTP mode verifies …`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, purpose?: Purpose): Config {
  const r = schema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const key = String(issue.path[0] ?? 'configuration');
    // Secrets are never echoed back; other values are, so a typo is easy to spot.
    const got = key === 'DISCORD_TOKEN' ? '' : ` (got ${JSON.stringify(String(env[key] ?? '')).slice(0, 60)})`;
    throw new ConfigError(`${key} ${issue.message}${got}`.replace(/\s+/g, ' '));
  }
  const cfg = r.data;
  for (const need of NEEDS[purpose ?? cfg.DOSSIER_MODE]) {
    if (cfg[need.key] === undefined) throw new ConfigError(`${need.key} is missing: ${need.why}. Set it in the environment or in .env (see .env.example).`);
  }
  return cfg;
}
