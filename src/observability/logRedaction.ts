// What no log line may carry: credentials in request and response headers, and the secrets an
// error object can hold (an axios error of the Twilio SDK keeps the request's `Authorization: Basic`
// header and body; a pg error the query's parameters). pino replaces them with "[Redacted]".
// Message bodies are never logged above debug (graphile-worker's job payloads carry ids only).
import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config.js';

export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["svix-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'headers["set-cookie"]',
  'err.config.headers.Authorization',
  'err.config.headers.authorization',
  'err.config.auth',
  'err.config.data',
  'err.request._header',
  'err.response.config.headers.Authorization',
  'err.parameters',
  '*.apiKey',
  '*.api_key',
  '*.authToken',
  '*.auth_token',
  '*.password',
  '*.secret',
  '*.token',
  '*.tokenSecret',
  '*.body',
  '*.html',
  '*.text',
];

/** pino's options for the process's loggers (main.ts, worker/main.ts, buildApp): level and redaction. */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return { level, redact: { paths: [...LOG_REDACT_PATHS], censor: '[Redacted]' } };
}
