import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../shared/logger.ts';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Routes the Temporal SDK's own logs (worker, workflow and activity loggers) into our pino logger. */
export function createTemporalLogger(logger: Logger, level: LogLevel = 'INFO'): DefaultLogger {
  const child = logger.child({ component: 'temporal-sdk' });
  return new DefaultLogger(level, (entry: LogEntry) => {
    child[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
  });
}
