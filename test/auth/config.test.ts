import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration of tokens, rate limits and GraphQL limits', () => {
  it('has working development defaults', () => {
    expect(loadConfig({})).toMatchObject({
      tokenSecret: undefined,
      tokenTtlSeconds: 3600,
      rateLimitPerMinute: 600,
      graphqlMaxDepth: 10,
      graphqlMaxCost: 5000,
      signInLinkTtlSeconds: 900,
      signInSessionTtlSeconds: 43200,
    });
  });

  it('reads the variables', () => {
    const c = loadConfig({
      OMEGA_TOKEN_SECRET: 's'.repeat(40),
      OMEGA_TOKEN_TTL_SECONDS: '900',
      OMEGA_RATE_LIMIT_PER_MINUTE: '0',
      OMEGA_GRAPHQL_MAX_DEPTH: '12',
      OMEGA_GRAPHQL_MAX_COST: '20000',
      OMEGA_SIGN_IN_LINK_TTL_SECONDS: '600',
      OMEGA_SIGN_IN_SESSION_TTL_SECONDS: '28800',
    });
    expect(c).toMatchObject({
      tokenSecret: 's'.repeat(40),
      tokenTtlSeconds: 900,
      rateLimitPerMinute: 0,
      graphqlMaxDepth: 12,
      graphqlMaxCost: 20000,
      signInLinkTtlSeconds: 600,
      signInSessionTtlSeconds: 28800,
    });
  });

  it('names each bad value with a good example', () => {
    let error: unknown;
    try {
      loadConfig({
        OMEGA_TOKEN_SECRET: 'short',
        OMEGA_TOKEN_TTL_SECONDS: '10',
        OMEGA_RATE_LIMIT_PER_MINUTE: 'lots',
        OMEGA_GRAPHQL_MAX_DEPTH: '1',
        OMEGA_SIGN_IN_LINK_TTL_SECONDS: '59',
        OMEGA_SIGN_IN_SESSION_TTL_SECONDS: '2592001',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/OMEGA_TOKEN_SECRET must be at least 32 characters \(generate one with `openssl rand -base64 48`\)/);
    expect(message).toMatch(/OMEGA_TOKEN_TTL_SECONDS="10" is not a whole number from 60 to 2592000 \(example: OMEGA_TOKEN_TTL_SECONDS=3600\)/);
    expect(message).toMatch(/OMEGA_RATE_LIMIT_PER_MINUTE="lots"/);
    expect(message).toMatch(/OMEGA_GRAPHQL_MAX_DEPTH="1"/);
    expect(message).toMatch(/OMEGA_SIGN_IN_LINK_TTL_SECONDS="59" is not a whole number from 60 to 86400 \(example: OMEGA_SIGN_IN_LINK_TTL_SECONDS=900\)/);
    expect(message).toMatch(/OMEGA_SIGN_IN_SESSION_TTL_SECONDS="2592001" is not a whole number from 300 to 2592000 \(example: OMEGA_SIGN_IN_SESSION_TTL_SECONDS=43200\)/);
  });
});
