/**
 * HTML note bodies → markdown or plaintext. The rule:
 * - block elements (p, div, h1–h6, li, tr, blockquote, pre) end lines; `br` is a line break;
 * - markdown keeps headings (#), bold (**), italics (_), links ([text](href)), lists (- / 1.),
 *   inline code and pre blocks; plaintext keeps the words and writes links as "text (href)";
 * - script/style/head content is dropped, every other tag is removed and its text kept;
 * - entities are decoded; whitespace inside text is collapsed as a browser would (except in pre);
 * - markdown metacharacters in text are escaped so the text reads as written.
 * It is a small, total tokenizer (never throws, linear time), not a full HTML parser: badly nested
 * tags still give readable text.
 */
export type TextFormat = 'markdown' | 'plaintext';

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!\w[^>]*>|([^<]+|<)/g;
const BLOCK = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'table', 'tr', 'ul', 'ol', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr']);
const DROP = new Set(['script', 'style', 'head', 'title', 'template']);

export function looksLikeHtml(text: string): boolean {
  return /<\/?(p|div|br|span|b|i|strong|em|a|ul|ol|li|h[1-6]|table|body|html)\b[^>]*>/i.test(text);
}

export function htmlToText(html: string, format: TextFormat): string {
  const md = format === 'markdown';
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  const hrefs: Array<string | null> = [];
  let dropDepth = 0;
  let pre = 0;

  const newline = (count: number): void => {
    out.push('\n'.repeat(count));
  };

  for (const m of html.matchAll(TOKEN)) {
    const [, closing, rawName, attrs, text] = m;
    if (text !== undefined) {
      if (dropDepth > 0) continue;
      const decoded = decodeEntities(text);
      const spaced = pre > 0 ? decoded : decoded.replace(/\s+/g, ' ');
      out.push(md && pre === 0 ? escapeMarkdown(spaced) : spaced);
      continue;
    }
    if (rawName === undefined) continue; // comment or doctype
    const name = rawName.toLowerCase();
    const isClose = closing === '/';
    if (DROP.has(name)) {
      dropDepth = Math.max(0, dropDepth + (isClose ? -1 : 1));
      continue;
    }
    if (dropDepth > 0) continue;
    switch (name) {
      case 'br':
        newline(1);
        break;
      case 'hr':
        if (!isClose) out.push(md ? '\n\n---\n\n' : '\n\n');
        break;
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6':
        newline(2);
        if (!isClose && md) out.push(`${'#'.repeat(Number(name[1]))} `);
        break;
      case 'ul': case 'ol':
        if (isClose) lists.pop();
        else lists.push({ ordered: name === 'ol', n: 0 });
        newline(1);
        break;
      case 'li': {
        if (isClose) break;
        const list = lists[lists.length - 1];
        const indent = '  '.repeat(Math.max(0, lists.length - 1));
        if (list) list.n += 1;
        out.push(`\n${indent}${list?.ordered ? `${list.n}. ` : md ? '- ' : '• '}`);
        break;
      }
      case 'b': case 'strong':
        if (md) out.push('**');
        break;
      case 'i': case 'em':
        if (md) out.push('_');
        break;
      case 'code':
        if (md && pre === 0) out.push('`');
        break;
      case 'pre':
        pre = Math.max(0, pre + (isClose ? -1 : 1));
        out.push(md ? '\n```\n' : '\n');
        break;
      case 'blockquote':
        newline(2);
        if (!isClose && md) out.push('> ');
        break;
      case 'a':
        if (!isClose) {
          const href = /\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs ?? '');
          const url = href ? decodeEntities(href[2] ?? href[3] ?? href[4] ?? '') : null;
          const safe = url && /^(https?:|mailto:)/i.test(url) ? url : null;
          hrefs.push(safe);
          if (md && safe) out.push('[');
        } else {
          const url = hrefs.pop();
          if (url) out.push(md ? `](${url.replace(/[()\s]/g, encodeURIComponent)})` : ` (${url})`);
        }
        break;
      case 'td': case 'th':
        if (!isClose) out.push(' ');
        break;
      default:
        if (BLOCK.has(name)) newline(2);
    }
  }
  return tidy(out.join(''));
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/g, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', copy: '©', reg: '®', euro: '€', bull: '•' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

/** Escapes characters that would change the meaning of plain words in markdown. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
