import pino from 'pino';

/**
 * For entry points: says why the process cannot go on, then exits with code 1. Like every line
 * Omega prints, it is JSON through pino (level fatal, on stderr); on a terminal, readable text.
 */
export function exitWith(message: string, err?: unknown): never {
  if (process.stderr.isTTY) {
    console.error(err instanceof Error && !message.includes(err.message) ? `${message}\n${err.stack ?? err.message}` : message);
  } else {
    pino({ level: 'fatal' }, pino.destination({ fd: 2, sync: true })).fatal(err === undefined ? {} : { err }, message);
  }
  process.exit(1);
}
