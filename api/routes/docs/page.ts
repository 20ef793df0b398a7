/**
 * A self-contained API reference page: no CDN, no bundle, so it works on machines without internet
 * access. It reads the OpenAPI document from `specUrl` and renders tags, operations, roles,
 * parameters, request bodies and responses. Every value from the document is escaped.
 */
export function renderDocsPage(options: { title: string; specUrl: string }): string {
  const title = options.title.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d232a;background:#f7f8fa}
header{background:#14213d;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}
main{max-width:1040px;margin:0 auto;padding:16px 32px 64px}
h2{margin-top:36px;border-bottom:2px solid #dfe3e8;padding-bottom:4px}
details{background:#fff;border:1px solid #dfe3e8;border-radius:6px;margin:10px 0}
summary{cursor:pointer;padding:10px 14px;display:flex;gap:12px;align-items:center}
.m{font:bold 12px monospace;padding:3px 8px;border-radius:4px;color:#fff;min-width:52px;text-align:center}
.get{background:#2b7bb9}.post{background:#2f9e44}.delete{background:#c92a2a}.put,.patch{background:#e67700}
.p{font-family:monospace;font-weight:600}.s{color:#55606e}.roles{margin-left:auto;font-size:12px;color:#55606e}
.body{padding:4px 18px 14px;border-top:1px solid #eef0f3}pre{background:#f1f3f5;padding:10px;border-radius:4px;overflow:auto;font-size:13px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f3;vertical-align:top}
code{background:#f1f3f5;padding:1px 4px;border-radius:3px}
</style></head>
<body><header><h1 id="t">${title}</h1><div id="d"></div></header><main id="app">Loading the API description…</main>
<script>
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (ch) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[ch]));
let spec;
const deref = (s) => (s && s.$ref ? spec.components.schemas[s.$ref.split('/').pop()] : s) || {};
function typeOf(schema, depth) {
  const s = deref(schema); const pad = '  '.repeat(depth);
  if (s.anyOf || s.oneOf) return (s.anyOf || s.oneOf).map((x) => typeOf(x, depth)).join(' | ');
  if (s.enum) return s.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const t = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (t === 'array') return typeOf(s.items, depth) + '[]';
  if (t === 'object' || s.properties) {
    const req = new Set(s.required || []);
    const lines = Object.entries(s.properties || {}).map(([k, v]) => {
      const d = deref(v); const note = d.description ? '  // ' + d.description : '';
      return pad + '  ' + k + (req.has(k) ? '' : '?') + ': ' + typeOf(v, depth + 1) + note;
    });
    if (s.additionalProperties === false) lines.push(pad + '  // no other fields accepted');
    return '{\\n' + lines.join('\\n') + '\\n' + pad + '}';
  }
  return (t || 'any') + (s.format ? ' (' + s.format + ')' : '') + (s.pattern ? ' /' + s.pattern + '/' : '');
}
function op(path, method, o) {
  const params = (o.parameters || []).map((p) => '<tr><td><code>' + esc(p.name) + '</code></td><td>' + esc(p.in) + '</td><td>' + esc(typeOf(p.schema, 0)) + '</td><td>' + esc(p.description || (p.required ? 'required' : '')) + '</td></tr>').join('');
  const body = o.requestBody ? '<h4>Request body (application/json)</h4><pre>' + esc(typeOf(o.requestBody.content['application/json'].schema, 0)) + '</pre>' : '';
  const responses = Object.entries(o.responses || {}).map(([code, r]) => {
    const schema = r.content && r.content['application/json'] ? r.content['application/json'].schema : null;
    const ref = schema && schema.$ref ? ' <code>' + esc(schema.$ref.split('/').pop()) + '</code>' : '';
    return '<tr><td><b>' + esc(code) + '</b></td><td>' + esc(r.description) + ref + '</td></tr>';
  }).join('');
  const roles = o['x-roles'] ? 'roles: ' + o['x-roles'].join(', ') : 'public';
  return '<details><summary><span class="m ' + esc(method) + '">' + esc(method.toUpperCase()) + '</span><span class="p">' + esc(path) + '</span><span class="s">' + esc(o.summary) + '</span><span class="roles">' + esc(roles) + '</span></summary><div class="body">'
    + '<p>' + esc(o.description).replace(/\\n\\n/g, '</p><p>') + '</p>'
    + (params ? '<h4>Parameters</h4><table>' + params + '</table>' : '') + body
    + '<h4>Responses</h4><table>' + responses + '</table></div></details>';
}
fetch(${JSON.stringify(options.specUrl)}).then((r) => r.json()).then((s) => {
  spec = s;
  document.getElementById('t').textContent = s.info.title + ' ' + s.info.version;
  document.getElementById('d').textContent = s.info.description || '';
  const byTag = {};
  for (const [path, item] of Object.entries(s.paths)) for (const [method, o] of Object.entries(item)) {
    (byTag[(o.tags || ['Other'])[0]] ||= []).push(op(path, method, o));
  }
  const auth = Object.entries((s.components && s.components.securitySchemes) || {}).map(([n, d]) => '<li><b>' + esc(n) + '</b>: <code>Authorization: Bearer &lt;' + esc(d.bearerFormat) + '&gt;</code> — ' + esc(d.description) + '</li>').join('');
  const errors = '<p>Every error answers <code>{"error": {"code", "message", "details"?, "requestId"}}</code>.</p>';
  document.getElementById('app').innerHTML = '<h2>Authentication</h2><ul>' + auth + '</ul>' + errors
    + Object.entries(byTag).map(([tag, ops]) => '<h2>' + esc(tag) + '</h2>' + ops.join('')).join('')
    + '<p><a href="' + esc(${JSON.stringify(options.specUrl)}) + '">OpenAPI document (JSON)</a></p>';
}).catch((e) => { document.getElementById('app').textContent = 'Could not load the API description: ' + e; });
</script></body></html>`;
}
