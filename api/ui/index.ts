import { Hono, type Context } from 'hono';
import { jobBody, createBody, jobsBody, signInBody } from './pages.ts';
import { renderShell } from './layout.ts';
import { uiSecurityHeaders } from './security.ts';
import { loadAssets } from './static.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/ui`: the dashboard. Server-rendered page frames plus small ES modules from `assets/` that are pure
 * clients of the public REST API (the key stays in the tab's sessionStorage and goes out as a Bearer
 * header, so there are no cookies and nothing to forge). The pages themselves are public; every data
 * call is authenticated. A plain Hono router, so none of this appears in the OpenAPI document.
 */
export function createUiRouter(options: { assetsDir?: string } = {}): Hono {
  const assets = loadAssets(options.assetsDir);
  const router = new Hono();
  router.use('*', uiSecurityHeaders());
  // `/ui/` and `/ui/jobs/new/` are the same pages: one URL each, so relative links never differ.
  router.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.length > 1 && url.pathname.endsWith('/')) return c.redirect(`${url.pathname.replace(/\/+$/, '')}${url.search}`, 301);
    await next();
  });

  const jobs = (c: Context) => c.html(renderShell({ page: 'jobs', title: 'Jobs', body: jobsBody() }));
  router.get('/', jobs);
  router.get('/jobs', jobs);
  router.get('/sign-in', (c) => c.html(renderShell({ page: 'sign-in', title: 'Sign in', body: signInBody() })));
  router.get('/jobs/new', (c) => c.html(renderShell({ page: 'create', title: 'New job', body: createBody() })));
  router.get('/jobs/:jobId', (c) => {
    const jobId = c.req.param('jobId');
    if (!UUID.test(jobId)) return c.notFound();
    return c.html(renderShell({ page: 'job', title: `Job ${jobId.slice(0, 8)}`, body: jobBody(), data: { 'job-id': jobId.toLowerCase() } }));
  });
  router.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) return c.notFound();
    // Revalidated on every load: no build step means no content hashes in file names.
    c.header('Cache-Control', 'no-cache');
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
  return router;
}
