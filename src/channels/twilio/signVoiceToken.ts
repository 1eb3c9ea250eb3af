import twilio from 'twilio';

export interface VoiceTokenKey {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** The TwiML app outgoing calls go through. */
  twimlAppSid: string;
}

export type SignVoiceToken = (identity: string, ttlSeconds: number) => { token: string; expiresAt: Date };

/**
 * Signs Twilio Voice access tokens (twilio.jwt.AccessToken) with a VoiceGrant: outgoing calls
 * through the TwiML app, incoming calls allowed for the identity.
 */
export function voiceTokenSigner(key: VoiceTokenKey): SignVoiceToken {
  return (identity, ttlSeconds) => {
    const token = new twilio.jwt.AccessToken(key.accountSid, key.apiKeySid, key.apiKeySecret, { identity, ttl: ttlSeconds });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: key.twimlAppSid, incomingAllow: true }));
    const jwt = token.toJwt();
    // The SDK stamps iat/exp from its own clock: report the expiry the token really carries.
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
    return { token: jwt, expiresAt: new Date(claims.exp * 1000) };
  };
}
