import { Logger, type LogFunctionFactory, type LogLevel } from 'graphile-worker';
import type { Logger as PinoLogger } from 'pino';

const PINO_LEVEL: Record<`${LogLevel}`, 'error' | 'warn' | 'info' | 'debug'> = { error: 'error', warning: 'warn', info: 'info', debug: 'debug' };

/**
 * graphile-worker's logger writing to pino: its lines are JSON at pino's level (LOG_LEVEL) like
 * every other line Omega writes, not its console logger's plain text. Each of its scopes (worker,
 * task, job) is a pino child whose fields are the scope (`workerId`, `taskIdentifier`, `jobId`,
 * `label`), made only when a line at an enabled level is written. An `error` in a line's metadata
 * becomes pino's `err` (serialised with its stack); other metadata (`job`, `failure`, `duration`)
 * are fields.
 */
export function graphileWorkerLogger(log: PinoLogger): Logger {
  const factory: LogFunctionFactory = (scope) => {
    let child: PinoLogger | undefined;
    return (level, message, meta) => {
      const method = PINO_LEVEL[level] ?? 'info';
      if (!log.isLevelEnabled(method)) return;
      child ??= log.child({ component: 'graphile-worker', ...scope });
      // `options` (a debug line at start) is the runner's raw options: the pool, the task functions
      // and this logger, not something to serialise into a log line.
      const { error, options: _options, ...fields } = meta ?? {};
      child[method](error === undefined ? fields : { ...fields, err: error }, message);
    };
  };
  return new Logger(factory);
}
