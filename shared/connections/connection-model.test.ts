import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl } from './connection-model.ts';

describe('connection base URLs', () => {
  it('accept http(s) and drop trailing slashes', () => {
    expect(normalizeBaseUrl('https://api.affinity.co/')).toEqual({ url: 'https://api.affinity.co' });
    expect(normalizeBaseUrl('http://127.0.0.1:4010/attio/')).toEqual({ url: 'http://127.0.0.1:4010/attio' });
  });

  it('refuse other schemes, embedded credentials, queries and garbage', () => {
    for (const raw of ['ftp://x.example', 'javascript:alert(1)', 'https://user:pw@x.example', 'https://x.example/?token=1', 'https://x.example/#a', 'not a url', '']) {
      expect(normalizeBaseUrl(raw), raw).toHaveProperty('problem');
    }
  });
});
