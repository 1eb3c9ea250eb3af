import type { SendFailed } from '../types.js';

// Resend answers errors as { name, message, statusCode } (https://resend.com/docs/api-reference/errors).
// Rate limits, quotas, server errors and network failures (statusCode null) clear up: transient.
// A concurrent request with the same idempotency key is still in progress: transient too.
// Credentials problems are fixed by the operator, so queued email waits (transient) instead of failing.
const TRANSIENT_NAMES = new Set([
  'rate_limit_exceeded',
  'daily_quota_exceeded',
  'monthly_quota_exceeded',
  'concurrent_idempotent_requests',
  'application_error',
  'internal_server_error',
  'missing_api_key',
  'invalid_api_key',
  'restricted_api_key',
]);

export interface ResendErrorLike {
  name?: string;
  message?: string;
  statusCode?: number | null;
}

/** validation_error, invalid_from_address, invalid_parameter, ... are permanent: the same email fails again. */
export function classifyResendError(error: ResendErrorLike): SendFailed {
  const httpStatus = typeof error.statusCode === 'number' ? error.statusCode : null;
  const name = error.name ?? 'unknown_error';
  const transient = httpStatus === null || httpStatus === 429 || httpStatus >= 500 || TRANSIENT_NAMES.has(name);
  return {
    ok: false,
    kind: transient ? 'transient' : 'permanent',
    provider: 'resend',
    code: name,
    message: error.message ?? name,
    httpStatus,
  };
}
