import type { ConsentSignal, SendFailed } from '../types.js';

// Twilio error codes that no retry can fix (https://www.twilio.com/docs/api/errors). Any other 4xx is
// permanent too; these are named so the log and the README can point at them.
const OPTED_OUT = 21610; // the recipient replied STOP
const PERMANENT_CODES = new Set([21211, 21214, 21408, 21601, 21602, 21604, 21606, 21610, 21612, 21614, 21617, 21660, 21703]);
// Codes that look permanent by HTTP status but clear up on their own, or after the operator fixes
// credentials: retrying (with backoff) gives them that time instead of failing every queued message.
const TRANSIENT_CODES = new Set([20003, 20005, 20429, 30001, 21611]);
/** Network failures before the request could be written: Twilio cannot have the message. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface TwilioLikeError {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  moreInfo?: unknown;
}

/**
 * Turns whatever messages.create threw into a classified failure: 429, 5xx, timeouts, network
 * errors and a proxy's refusals are transient (graphile-worker retries with backoff); other API
 * errors are permanent and keep Twilio's code and text. 21610 also reports that the recipient opted
 * out. `viaProxy`: requests go through HTTP_PROXY.
 */
export function classifyTwilioError(error: unknown, { viaProxy = false }: { viaProxy?: boolean } = {}): SendFailed {
  const e = (error ?? {}) as TwilioLikeError;
  const message = typeof e.message === 'string' && e.message ? e.message : String(error);
  const httpStatus = typeof e.status === 'number' ? e.status : null;
  if (httpStatus !== null) {
    // A RestException: something answered. Twilio's API names its errors with a code; an answer
    // without one, 407 or through a proxy, is the proxy refusing the tunnel, which says nothing
    // about the message: retried like a network failure.
    const code = typeof e.code === 'number' ? e.code : null;
    const proxyRefusal = code === null && (httpStatus === 407 || viaProxy);
    const transient = httpStatus === 429 || httpStatus >= 500 || httpStatus === 401 || proxyRefusal || (code !== null && TRANSIENT_CODES.has(code));
    const permanent = !transient && (code !== null && PERMANENT_CODES.has(code) ? true : httpStatus >= 400);
    const consent: ConsentSignal | undefined = code === OPTED_OUT ? 'sms_opt_out' : undefined;
    return {
      ok: false,
      kind: permanent ? 'permanent' : 'transient',
      provider: 'twilio',
      code: code !== null ? String(code) : `HTTP_${httpStatus}`,
      message,
      httpStatus,
      ...(consent ? { consent } : {}),
      // A 5xx from Twilio itself may come after the message was created; 429, 401 and the proxy's
      // refusals say it was not.
      ...(httpStatus >= 500 && !proxyRefusal ? { maybeSent: true } : {}),
    };
  }
  // No answer: network failure, timeout, or a bug of ours. Retrying is the safe choice.
  const networkCode = typeof e.code === 'string' ? e.code : null;
  return {
    ok: false,
    kind: 'transient',
    provider: 'twilio',
    code: networkCode && (NETWORK_CODES.has(networkCode) || /^E[A-Z]+$/.test(networkCode)) ? networkCode : 'NETWORK_ERROR',
    message,
    httpStatus: null,
    // A timeout or a dropped connection may come after Twilio created the message.
    ...(networkCode !== null && NOT_CONNECTED_CODES.has(networkCode) ? {} : { maybeSent: true }),
  };
}
