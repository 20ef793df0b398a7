// Small DOM helpers. Data only ever reaches the page as text (textContent / attributes), never as HTML.

/**
 * Creates an element. `attrs`: `text` sets textContent, `class` the class name, `on<event>` a listener,
 * booleans toggle the attribute; everything else is set with setAttribute.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = value;
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Says something to screen readers through the page's polite live region. */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick is announced even when the message repeats.
  setTimeout(() => { region.textContent = message; }, 50);
}

export function statusLabel(status) {
  return String(status ?? '').replaceAll('_', ' ');
}

export function badge(status) {
  return el('span', { class: `badge badge-${status}`, text: statusLabel(status) });
}

const numberFormat = new Intl.NumberFormat();
export function fmtNumber(n) {
  return n === null || n === undefined ? '–' : numberFormat.format(n);
}

export function fmtDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : d.toLocaleString();
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Sets a <progress>: a number makes it determinate, null indeterminate (no value attribute). */
export function setProgress(bar, percent, label) {
  if (percent === null || percent === undefined || Number.isNaN(percent)) bar.removeAttribute('value');
  else bar.value = Math.max(0, Math.min(100, percent));
  if (label) bar.setAttribute('aria-valuetext', label);
}

/** Replaces a table body's rows. */
export function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

/**
 * Brings a table body to `items` while touching only rows whose data changed, so a refresh every few
 * seconds neither moves keyboard focus nor makes screen readers re-read the table.
 */
export function reconcileRows(tbody, items, { key, render, signature = (item) => JSON.stringify(item) }) {
  const existing = new Map([...tbody.children].map((row) => [row.dataset.key, row]));
  let cursor = tbody.firstElementChild;
  for (const item of items) {
    const k = String(key(item));
    const sig = signature(item);
    let row = existing.get(k);
    if (row && row.dataset.sig !== sig) {
      const fresh = render(item);
      row.replaceWith(fresh);
      if (cursor === row) cursor = fresh;
      row = fresh;
    } else if (!row) {
      row = render(item);
    }
    row.dataset.key = k;
    row.dataset.sig = sig;
    existing.delete(k);
    if (row === cursor) cursor = cursor.nextElementSibling;
    else tbody.insertBefore(row, cursor);
  }
  for (const stale of existing.values()) stale.remove();
}
