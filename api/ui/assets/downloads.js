// Report downloads: fetched with the Bearer header (a plain link could not send it) and saved
// through a temporary blob URL with a download attribute.
import { api, describeError } from './api.js';
import { el } from './dom.js';

function sizeOf(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function wireDownloads({ jobId, report }) {
  for (const button of document.querySelectorAll('[data-download]')) {
    button.addEventListener('click', async () => {
      const { download, filename } = button.dataset;
      button.disabled = true;
      try {
        const res = await api(`/v1/jobs/${jobId}/${download}`, { raw: true, headers: { accept: '*/*' } });
        const blob = await res.blob();
        const url = URL.createObjectURL(blob);
        const name = `job-${jobId.slice(0, 8)}-${filename}`;
        const link = el('a', { href: url, download: name, hidden: true });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        report(`Downloaded ${name} (${sizeOf(blob.size)}).`);
      } catch (err) {
        report(err.status === 404 ? `${filename} is not available: ${describeError(err)}` : `Download failed: ${describeError(err)}`);
      }
      button.disabled = false;
    });
  }
}

function safeHref(url) {
  try {
    const u = new URL(url, location.href);
    return ['http:', 'https:'].includes(u.protocol) ? u.href : null;
  } catch {
    return null;
  }
}

/** Lists the job's stored artifacts (GET /v1/jobs/{id}/artifacts) with their presigned links. */
export function wireArtifacts({ jobId, report }) {
  const button = document.getElementById('list-artifacts');
  const list = document.getElementById('artifacts');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const { data } = await api(`/v1/jobs/${jobId}/artifacts`);
      list.replaceChildren(...data.map((a) => {
        const name = a.key.split('/').pop();
        const href = safeHref(a.url);
        const label = `${a.kind.replaceAll('_', ' ')}: ${name} (${sizeOf(a.size)})`;
        return el('li', {}, href ? el('a', { href, download: name, rel: 'noopener noreferrer', text: label }) : label,
          el('span', { class: 'muted small', text: ` · link valid until ${new Date(a.expiresAt).toLocaleTimeString()}` }));
      }));
      report(data.length === 0 ? 'No stored artifacts yet.' : `${data.length} stored artifact(s) listed.`);
    } catch (err) {
      report(`Listing artifacts failed: ${describeError(err)}`);
    }
    button.disabled = false;
  });
}
