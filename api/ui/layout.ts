import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface ShellOptions {
  /** Which front-end module drives the page (`document.body.dataset.page`). */
  page: 'sign-in' | 'jobs' | 'create' | 'job';
  title: string;
  body: Html;
  /** Extra data attributes for the script, e.g. the job id of a detail page. */
  data?: Record<string, string>;
}

/**
 * The page frame: landmarks, skip link, navigation, a polite live region for announcements and the
 * module script. Everything interpolated goes through `html`, which escapes it.
 */
export function renderShell(o: ShellOptions): Html {
  const data = Object.entries(o.data ?? {}).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · Freight</title>
<link rel="stylesheet" href="/ui/assets/styles.css">
<script type="module" src="/ui/assets/app.js"></script>
</head>
<body data-page="${o.page}"${data}>
<a class="skip" href="#main">Skip to content</a>
<header class="top" role="banner">
  <a class="brand" href="/ui">Freight</a>
  <nav aria-label="Main" id="nav" hidden>
    <ul>
      <li><a href="/ui">Jobs</a></li>
      <li data-role-only="engineer" hidden><a href="/ui/jobs/new">New job</a></li>
    </ul>
  </nav>
  <div class="session" id="session" hidden>
    <span id="session-who"></span>
    <button type="button" id="sign-out" class="secondary">Sign out</button>
  </div>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
<footer role="contentinfo"><p>Freight dashboard · <a href="/docs">API docs</a></p></footer>
</body>
</html>`;
}
