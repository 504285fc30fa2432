import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Structured JSON logs; credentials in headers and bodies are redacted wherever they appear. */
export function createLogger(level: LogLevel, version: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'decisionlog', version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'password',
          '*.password',
          'access_token',
          '*.access_token',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
