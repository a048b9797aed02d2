// Configuration from the environment: defaults, and a one-line error naming what is missing or malformed.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/discord/config.js';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.abcdef.ghijklmnopqrstuvwxyz012345';
const KEY = 'a'.repeat(64);

function error(env: Record<string, string>, purpose?: 'gateway' | 'http' | 'deploy'): string {
  try {
    loadConfig(env, purpose);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const m = (e as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    return m;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything but the secrets; empty values (as in .env.example) count as unset', () => {
    const c = loadConfig({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: '', DISCORD_API_URL: ' ', PORT: '' });
    expect(c).toMatchObject({ DOSSIER_MODE: 'gateway', CORPUS_DIR: './corpus', LOG_LEVEL: 'info', PORT: 8787 });
    expect(c.DISCORD_GUILD_ID).toBeUndefined();
    expect(c.DISCORD_API_URL).toBeUndefined();
  });

  it('reads every variable', () => {
    const c = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_PUBLIC_KEY: KEY,
      DISCORD_GUILD_ID: '223456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api/',
      CORPUS_DIR: '/data/articles',
      LOG_LEVEL: 'DEBUG',
      DOSSIER_MODE: 'http',
      PORT: '3000',
    });
    expect(c).toMatchObject({ DISCORD_API_URL: 'http://127.0.0.1:9999/api', LOG_LEVEL: 'debug', DOSSIER_MODE: 'http', PORT: 3000, CORPUS_DIR: '/data/articles' });
  });

  it('names what each mode is missing', () => {
    expect(error({})).toMatch(/^DISCORD_TOKEN is missing: the gateway mode/);
    expect(error({ DOSSIER_MODE: 'http' })).toMatch(/^DISCORD_PUBLIC_KEY is missing/);
    expect(error({ DISCORD_TOKEN: TOKEN }, 'deploy')).toMatch(/^DISCORD_APPLICATION_ID is missing/);
  });

  it('names a malformed value and what it should be', () => {
    expect(error({ DISCORD_TOKEN: TOKEN, PORT: 'eighty' })).toMatch(/^PORT must be a port number.*"eighty"/);
    expect(error({ DISCORD_TOKEN: TOKEN, PORT: '70000' })).toMatch(/^PORT must be a port number/);
    expect(error({ DISCORD_TOKEN: TOKEN, DOSSIER_MODE: 'websocket' })).toMatch(/^DOSSIER_MODE must be gateway or http/);
    expect(error({ DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: 'my-server' })).toMatch(/^DISCORD_GUILD_ID must be a Discord id/);
    expect(error({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: 'discord.com' })).toMatch(/^DISCORD_API_URL must be an http\(s\) URL/);
    expect(error({ DISCORD_TOKEN: TOKEN, LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL must be one of/);
    expect(error({ DOSSIER_MODE: 'http', DISCORD_PUBLIC_KEY: 'xyz' })).toMatch(/^DISCORD_PUBLIC_KEY must be .*64 hexadecimal/);
  });

  it('never echoes the token', () => {
    const m = error({ DISCORD_TOKEN: 'Bot secret token value' });
    expect(m).toMatch(/^DISCORD_TOKEN must be the bot token/);
    expect(m).not.toContain('secret');
  });
});
