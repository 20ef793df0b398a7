import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access.ts';

describe('metricsAccess', () => {
  it('is open outside production without a token, closed in production without one', () => {
    expect(metricsAccess({ token: undefined, production: false })(undefined)).toBe('ok');
    expect(metricsAccess({ token: undefined, production: true })('Bearer anything')).toMatch(/closed: set FREIGHT_METRICS_TOKEN/);
  });

  it('wants the bearer token when one is set, in every environment', () => {
    for (const production of [false, true]) {
      const check = metricsAccess({ token: 'token-0123456789abcdef', production });
      expect(check('Bearer token-0123456789abcdef')).toBe('ok');
      expect(check(undefined)).not.toBe('ok');
      expect(check('Bearer token-0123456789abcdeX')).not.toBe('ok');
      expect(check('token-0123456789abcdef')).not.toBe('ok');
    }
  });
});
