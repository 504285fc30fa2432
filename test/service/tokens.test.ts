import { afterEach, describe, expect, test, vi } from 'vitest';
import { TokenService, VERIFIED_CACHE_SIZE } from '../../service/src/auth/tokens.js';

const settings = { secret: 'x'.repeat(48), algorithm: 'HS256' as const, expirationHours: 1 };

describe('TokenService', () => {
  afterEach(() => vi.useRealTimers());

  test('a token it issued verifies to its user and version, again from memory', async () => {
    const tokens = new TokenService(settings);
    const { access_token } = await tokens.issue('u1', 3);
    expect(await tokens.verify(access_token)).toEqual({ userId: 'u1', tokenVersion: 3 });
    expect(tokens.remembered).toBe(1);
    expect(await tokens.verify(access_token)).toEqual({ userId: 'u1', tokenVersion: 3 });
  });

  test('a remembered token stops working when it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = new TokenService(settings);
    const { access_token } = await tokens.issue('u1', 0);
    expect(await tokens.verify(access_token)).toEqual({ userId: 'u1', tokenVersion: 0 });
    vi.setSystemTime(Date.now() + 3600_000 + 1000);
    expect(await tokens.verify(access_token)).toEqual({ error: 'expired' });
    expect(tokens.remembered).toBe(0);
  });

  test('tampered, foreign and malformed tokens are invalid and never remembered', async () => {
    const tokens = new TokenService(settings);
    const other = new TokenService({ ...settings, secret: 'y'.repeat(48) });
    const { access_token } = await tokens.issue('u1', 0);
    const [h, p, s] = access_token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', ver: 0 })).toString('base64url')}.${s}`;
    expect(await tokens.verify(forged)).toEqual({ error: 'invalid' });
    expect(await tokens.verify((await other.issue('u1', 0)).access_token)).toEqual({ error: 'invalid' });
    expect(await tokens.verify(`${h}.${p}`)).toEqual({ error: 'invalid' });
    expect(tokens.remembered).toBe(0);
  });

  test('memory is bounded: the oldest remembered token is forgotten first', async () => {
    expect(new TokenService(settings).remembered).toBe(0);
    expect(VERIFIED_CACHE_SIZE).toBe(10_000);
    const tokens = new TokenService(settings, 20);
    const issued = await Promise.all(Array.from({ length: 25 }, (_, i) => tokens.issue(`u${i}`, 0)));
    for (const t of issued) await tokens.verify(t.access_token);
    expect(tokens.remembered).toBe(20);
    // A forgotten token still verifies (through jose) and is remembered again.
    expect(await tokens.verify(issued[0]!.access_token)).toEqual({ userId: 'u0', tokenVersion: 0 });
  });
});
