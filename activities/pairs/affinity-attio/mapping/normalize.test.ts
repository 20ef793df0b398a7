import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
import { cleanText, normalizeDomains, normalizeEmails, slugify, truncate } from './normalize.ts';

describe('cleanText', () => {
  it('normalises to NFC, drops invisible characters and collapses whitespace', () => {
    expect(cleanText('  Ame\u0301lie\u200B  \n Poulain\uFEFF ')).toBe('Amélie Poulain');
    expect(cleanText(null)).toBe('');
    expect(cleanText('\u0000\u0007')).toBe('');
  });
  it('keeps non-Latin scripts and emoji', () => {
    expect(cleanText(' 山田 太郎 🚀 ')).toBe('山田 太郎 🚀');
  });
});

describe('normalizeEmails', () => {
  it('lower-cases, dedupes with primary first, and reports invalid ones', () => {
    const out = normalizeEmails('Ada@Example.COM', ['ada@example.com', 'mailto:b@x.io', 'not-an-email', '', null]);
    expect(out.emails).toEqual(['ada@example.com', 'b@x.io']);
    expect(out.invalid).toEqual(['not-an-email']);
  });
  it('always returns unique, lower-case, trimmed addresses (property)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.emailAddress(), fc.string())), fc.option(fc.emailAddress()), (emails, primary) => {
      const out = normalizeEmails(primary, emails);
      expect(new Set(out.emails).size).toBe(out.emails.length);
      for (const e of out.emails) {
        expect(e).toBe(e.toLowerCase());
        expect(e).toBe(e.trim());
        expect(e).toContain('@');
      }
    }));
  });
});

describe('normalizeDomains', () => {
  it('reduces URLs to hosts, drops www., dedupes and converts IDNs to punycode', () => {
    const out = normalizeDomains('https://www.Acme.com/about', ['acme.com', 'acme.co.uk.', 'bücher.de', 'http://10.0.0.1', 'no_tld', '']);
    expect(out.domains).toEqual(['acme.com', 'acme.co.uk', 'xn--bcher-kva.de']);
    expect(out.invalid).toEqual(['http://10.0.0.1', 'no_tld']);
  });
  it('handles organizations with many domains', () => {
    const many = Array.from({ length: 300 }, (_, i) => `d${i}.example.com`);
    expect(normalizeDomains(null, many).domains).toHaveLength(300);
  });
  it('is idempotent (property)', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.domain(), fc.webUrl(), fc.string())), (domains) => {
      const once = normalizeDomains(null, domains).domains;
      expect(normalizeDomains(null, once).domains).toEqual(once);
    }));
  });
});

describe('slugify / truncate', () => {
  it('folds accents and keeps slugs short', () => {
    expect(slugify('Crème Brûlée — Ops!')).toBe('creme_brulee_ops');
    expect(slugify('***')).toBe('');
  });
  it('never splits a surrogate pair and respects the limit (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 50 }), (s, max) => {
      const out = truncate(s, max);
      expect(Array.from(out).length).toBeLessThanOrEqual(Math.max(max, Array.from(s).length <= max ? Array.from(s).length : max));
      expect(out).not.toMatch(LONE_SURROGATE);
    }));
  });
});
