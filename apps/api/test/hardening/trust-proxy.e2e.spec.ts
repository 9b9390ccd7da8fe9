import { describe, expect, it } from 'vitest';
import { TestApi } from '../harness.js';
import { AUTH_FAILURE_BURST } from '../../src/http/auth-failures.js';
import { configFromEnv, ConfigError } from '../../src/core/config.js';

describe('trustProxy (issue 12: 20 bad tokens behind nginx must not lock out everyone)', () => {
  it('behind a trusted proxy, the failed-auth limiter keys on the forwarded client address', async () => {
    const api = await TestApi.start({ trustProxy: '127.0.0.1' });
    try {
      const good = await api.team('tp');
      const from = (ip: string, token: string) => api.request('GET', '/me', { token, headers: { 'x-forwarded-for': ip } });
      // all at once, so that the bucket (1 per second) cannot refill in between on a slow machine
      const guesses = await Promise.all(Array.from({ length: AUTH_FAILURE_BURST + 20 }, (_, i) => from('10.0.0.66', `mmr_guess_${i}`)));
      expect(guesses.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      // another client behind the same proxy is not locked out
      expect((await from('10.0.0.7', good)).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  it('MMREPLAY_TRUST_PROXY: false by default; true, hops or addresses; anything else refused', () => {
    expect(configFromEnv({}).trustProxy).toBe(false);
    expect(configFromEnv({ MMREPLAY_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(configFromEnv({ MMREPLAY_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(configFromEnv({ MMREPLAY_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toBe('127.0.0.1, 10.0.0.0/8');
    expect(() => configFromEnv({ MMREPLAY_TRUST_PROXY: 'everyone' })).toThrow(ConfigError);
  });
});
