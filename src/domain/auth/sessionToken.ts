// The session token format, shared by issueAuthToken and authenticateSessionToken: a JWT signed
// with HS256, naming its session (jti), staff member (sub) and business (bid). The token proves who
// it was issued to; the Session row decides whether it is still good (revocation, expiry).
export const TOKEN_ISSUER = 'omega';
export const TOKEN_AUDIENCE = 'omega-session';
export const TOKEN_ALGORITHM = 'HS256';
