import { describe, expect, it } from 'vitest';
import type { CombinedError } from 'urql';
import { describeError, describeRestError, errorCode, friendlyMessage, isUnauthenticated } from './errors';

const gqlError = (message: string, code?: string, status?: number) =>
  ({ graphQLErrors: [{ message, extensions: code ? { code } : {} }], networkError: undefined, response: status ? { status } : undefined, message }) as unknown as CombinedError;

describe('API errors as people understand them', () => {
  it('words the sign-in link codes', () => {
    expect(describeRestError(410, { detail: 'sign-in link used', code: 'SIGN_IN_LINK_USED' })).toBe('This sign-in link was already used. Ask for a new one.');
    expect(describeRestError(410, { detail: 'x', code: 'SIGN_IN_LINK_EXPIRED' })).toMatch(/expired/);
    expect(describeRestError(401, { detail: 'x', code: 'SIGN_IN_LINK_INVALID' })).toMatch(/not valid/);
  });

  it("shows the API's own message otherwise, and FastAPI-shaped 422s by their first message", () => {
    expect(describeRestError(409, { detail: 'Conversation is archived', code: 'SOMETHING' })).toBe('Conversation is archived');
    expect(describeRestError(422, { detail: [{ type: 'missing', loc: ['body', 'token'], msg: 'Field required' }] })).toBe('Field required');
    expect(describeRestError(502, null)).toMatch(/problem answering/);
    expect(describeRestError(404, 'not json')).toBe('The request was refused (404).');
  });

  it("uses a GraphQL error's code, else its message; never a stack", () => {
    expect(errorCode(gqlError('x', 'CURSOR_EXPIRED'))).toBe('CURSOR_EXPIRED');
    expect(describeError(gqlError('Staff member not found', 'STAFF_NOT_FOUND'))).toBe('Staff member not found');
    expect(describeError(gqlError('whatever', 'RATE_LIMITED'))).toMatch(/Too many requests/);
    const network = { graphQLErrors: [], networkError: new Error('Failed to fetch\n    at foo (bar.js:1:1)'), message: '[Network] Failed to fetch' } as unknown as CombinedError;
    expect(describeError(network)).toMatch(/could not be reached/);
    expect(describeError(network)).not.toMatch(/at foo/);
  });

  it('recognises a lost session by code or by 401', () => {
    expect(isUnauthenticated(gqlError('no', 'UNAUTHENTICATED'))).toBe(true);
    expect(isUnauthenticated(gqlError('no', undefined, 401))).toBe(true);
    expect(isUnauthenticated(gqlError('no', 'FORBIDDEN', 403))).toBe(false);
    expect(isUnauthenticated(null)).toBe(false);
    expect(friendlyMessage(undefined)).toBeUndefined();
  });
});
