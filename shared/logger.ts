import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Any Freight API key, wherever it appears in a log line. */
const API_KEY_PATTERN = /frt_(live|test)_[0-9A-Za-z]{8,}/g;
/** Bearer/Basic credentials embedded in free text (error messages, URLs). */
const AUTH_HEADER_PATTERN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** user:password@ in connection strings. */
const URL_PASSWORD_PATTERN = /(\/\/[^:/@\s"]+):[^@/\s"]+@/g;

/** Field paths whose values are never written, whatever they contain. */
export const REDACT_PATHS = [
  'password', '*.password', 'secret', '*.secret', 'apiKey', '*.apiKey', 'key', '*.key', 'token', '*.token',
  'credentials', '*.credentials', 'authorization', '*.authorization', '*.headers.authorization',
  '*.headers.cookie', 'req.headers.authorization', 'req.headers.cookie', 'secretAccessKey', '*.secretAccessKey',
];

/** Scrubs secrets out of an already-serialised log line; a second net behind path redaction. */
export function scrubSecrets(line: string): string {
  return line
    .replace(API_KEY_PATTERN, 'frt_$1_[REDACTED]')
    .replace(AUTH_HEADER_PATTERN, '$1 [REDACTED]')
    .replace(URL_PASSWORD_PATTERN, '$1:[REDACTED]@');
}

export interface LoggerConfig {
  level: string;
  name: string;
  destination?: pino.DestinationStream;
}

/** JSON logger for every Freight process; secrets are redacted by path and by pattern. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: { streamWrite: scrubSecrets },
  };
  return config.destination ? pino(options, config.destination) : pino(options);
}
