// Structured logs (pino, JSON lines on stderr). Tokens never reach a log: the redaction list covers them.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info', destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name: 'dossier',
      level,
      redact: { paths: ['token', '*.token', 'headers.authorization', 'config.DISCORD_TOKEN'], censor: '[redacted]' },
    },
    destination,
  );
}
