import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration of tokens, rate limits and GraphQL limits', () => {
  it('has working development defaults', () => {
    expect(loadConfig({})).toMatchObject({ tokenSecret: undefined, tokenTtlSeconds: 3600, rateLimitPerMinute: 600, graphqlMaxDepth: 10, graphqlMaxCost: 5000 });
  });

  it('reads the variables', () => {
    const c = loadConfig({
      OMEGA_TOKEN_SECRET: 's'.repeat(40),
      OMEGA_TOKEN_TTL_SECONDS: '900',
      OMEGA_RATE_LIMIT_PER_MINUTE: '0',
      OMEGA_GRAPHQL_MAX_DEPTH: '12',
      OMEGA_GRAPHQL_MAX_COST: '20000',
    });
    expect(c).toMatchObject({ tokenSecret: 's'.repeat(40), tokenTtlSeconds: 900, rateLimitPerMinute: 0, graphqlMaxDepth: 12, graphqlMaxCost: 20000 });
  });

  it('names each bad value with a good example', () => {
    let error: unknown;
    try {
      loadConfig({ OMEGA_TOKEN_SECRET: 'short', OMEGA_TOKEN_TTL_SECONDS: '10', OMEGA_RATE_LIMIT_PER_MINUTE: 'lots', OMEGA_GRAPHQL_MAX_DEPTH: '1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/OMEGA_TOKEN_SECRET must be at least 32 characters \(generate one with `openssl rand -base64 48`\)/);
    expect(message).toMatch(/OMEGA_TOKEN_TTL_SECONDS="10" is not a whole number from 60 to 2592000 \(example: OMEGA_TOKEN_TTL_SECONDS=3600\)/);
    expect(message).toMatch(/OMEGA_RATE_LIMIT_PER_MINUTE="lots"/);
    expect(message).toMatch(/OMEGA_GRAPHQL_MAX_DEPTH="1"/);
  });
});
