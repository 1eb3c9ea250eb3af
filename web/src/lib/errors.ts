// API errors as people understand them: the API's own message (never a stack), with a few codes
// worded for the inbox.
import type { CombinedError } from 'urql';

const FRIENDLY: Record<string, string> = {
  SIGN_IN_LINK_USED: 'This sign-in link was already used. Ask for a new one.',
  SIGN_IN_LINK_EXPIRED: 'This sign-in link has expired. Ask for a new one.',
  SIGN_IN_LINK_INVALID: 'This sign-in link is not valid. Check that you opened the whole link, or ask for a new one.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  CURSOR_EXPIRED: 'The inbox was offline too long; it has been reloaded.',
  RATE_LIMITED: 'Too many requests just now. Wait a moment and try again.',
};

/** The message for a code, when the inbox words it itself. */
export function friendlyMessage(code: string | undefined | null): string | undefined {
  return code ? FRIENDLY[code] : undefined;
}

/** The code of a GraphQL error (extensions.code), if any. */
export function errorCode(error: CombinedError | null | undefined): string | undefined {
  const code = error?.graphQLErrors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUnauthenticated(error: CombinedError | null | undefined): boolean {
  if (!error) return false;
  if (errorCode(error) === 'UNAUTHENTICATED') return true;
  const response = error.response as { status?: number } | undefined;
  return response?.status === 401;
}

/** What to show for an urql error: a friendly wording of its code, else the API's first message. */
export function describeError(error: CombinedError): string {
  const friendly = friendlyMessage(errorCode(error));
  if (friendly) return friendly;
  const first = error.graphQLErrors[0]?.message;
  if (first) return first;
  if (error.networkError) return 'Omega could not be reached. Check your connection; it will retry.';
  return 'Something went wrong.';
}

/** The message of a REST error body ({ detail, code } or FastAPI's 422 list), friendly where we word it. */
export function describeRestError(status: number, body: unknown): string {
  const record = (body ?? {}) as { code?: unknown; detail?: unknown };
  const friendly = friendlyMessage(typeof record.code === 'string' ? record.code : undefined);
  if (friendly) return friendly;
  if (typeof record.detail === 'string' && record.detail) return record.detail;
  if (Array.isArray(record.detail)) {
    const first = record.detail[0] as { msg?: unknown } | undefined;
    if (typeof first?.msg === 'string') return first.msg;
  }
  if (status >= 500) return 'Omega had a problem answering. Try again in a moment.';
  return `The request was refused (${status}).`;
}
