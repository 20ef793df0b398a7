import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../types.ts';
import { SECURITY_SCHEMES } from '../../openapi.ts';
import { renderDocsPage } from './page.ts';

const TITLE = 'Freight API';

/** The OpenAPI 3.1 document of every route registered on `app`, and a docs page reading it. */
export function registerDocs(app: OpenAPIHono<AppEnv>, options: { version: string; publicUrl?: string | undefined }): void {
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  }
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: TITLE,
      version: options.version,
      description: 'Multi-tenant CRM data migration (Affinity → Attio) as durable Temporal jobs.\n\n' +
        'Rules that hold everywhere: strings must not contain NUL (U+0000), which PostgreSQL cannot store (400 validation_failed); ' +
        'every error is `{"error": {code, message, details?, requestId}}`; a documented path asked with a method it does not take ' +
        'answers 405 with `Allow`. Cross-field rules JSON Schema cannot state are in the descriptions of the fields they bind.',
    },
    ...(options.publicUrl ? { servers: [{ url: options.publicUrl }] } : {}),
  });
  const page = renderDocsPage({ title: TITLE, specUrl: '/openapi.json' });
  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'");
    return c.html(page);
  });
}
