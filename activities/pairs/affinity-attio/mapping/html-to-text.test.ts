import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, looksLikeHtml } from './html-to-text.ts';

describe('htmlToText', () => {
  const html = '<h2>Call recap</h2><p>Met <b>Ada</b> &amp; <i>Grace</i> — see <a href="https://acme.com/x?a=1&amp;b=2">deck</a>.</p><ul><li>Raise: $5M</li><li>Next: <em>follow up</em></li></ul><ol><li>one</li><li>two</li></ol><script>alert(1)</script><p>Line<br>break</p>';

  it('keeps structure as markdown', () => {
    expect(htmlToText(html, 'markdown')).toBe(
      '## Call recap\n\nMet **Ada** & _Grace_ — see [deck](https://acme.com/x?a=1&b=2).\n\n- Raise: $5M\n- Next: _follow up_\n\n1. one\n2. two\n\nLine\nbreak',
    );
  });

  it('keeps words and link targets as plaintext', () => {
    expect(htmlToText(html, 'plaintext')).toBe(
      'Call recap\n\nMet Ada & Grace — see deck (https://acme.com/x?a=1&b=2).\n\n• Raise: $5M\n• Next: follow up\n\n1. one\n2. two\n\nLine\nbreak',
    );
  });

  it('escapes markdown metacharacters that were plain text in HTML', () => {
    expect(htmlToText('<p>2 * 3 = _six_ [sic] #1</p>', 'markdown')).toBe('2 \\* 3 = \\_six\\_ \\[sic\\] \\#1');
  });

  it('drops javascript: links and survives broken markup', () => {
    expect(htmlToText('<a href="javascript:alert(1)">x</a>', 'markdown')).toBe('x');
    expect(htmlToText('<p>unclosed <b>bold <i>and < 3 <div', 'plaintext')).toBe('unclosed bold and < 3 <div');
  });

  it('decodes numeric and named entities, replacing invalid code points', () => {
    expect(decodeEntities('&#x1F680; &#128640; &eacute; &nbsp;&#0;&#xD800;')).toBe('🚀 🚀 &eacute; \u00a0\ufffd\ufffd');
  });

  it('converts a huge body in linear time', () => {
    const big = '<p>word <b>bold</b></p>'.repeat(50_000);
    const started = performance.now();
    const out = htmlToText(big, 'markdown');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out.length).toBeGreaterThan(500_000);
  });

  it('never throws and never leaves a tag it understood (property)', () => {
    const tag = fc.constantFrom('p', 'b', 'i', 'a href="https://x.io"', 'br', 'li', 'ul', 'div', 'h1', 'script', 'pre', 'code');
    const piece = fc.oneof(fc.string(), tag.map((t) => `<${t}>`), tag.map((t) => `</${t.split(' ')[0] ?? t}>`));
    fc.assert(fc.property(fc.array(piece), fc.constantFrom('markdown' as const, 'plaintext' as const), (pieces, format) => {
      const out = htmlToText(pieces.join(''), format);
      expect(out).not.toMatch(/<\/?(p|b|i|a|br|li|ul|div|h1|script|pre|code)>/);
    }));
  });

  it('returns plain text unchanged apart from whitespace (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9 ,.]{0,80}$/), (text) => {
      expect(htmlToText(`<p>${text}</p>`, 'plaintext')).toBe(text.replace(/\s+/g, ' ').trim());
    }));
  });
});

describe('looksLikeHtml', () => {
  it('tells HTML from text that merely contains angle brackets', () => {
    expect(looksLikeHtml('<p>hi</p>')).toBe(true);
    expect(looksLikeHtml('a < b and c > d')).toBe(false);
  });
});
