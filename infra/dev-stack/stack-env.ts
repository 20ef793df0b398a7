import { appUrl, ownerUrl } from './postgres.ts';
import type { StackState } from './state.ts';

/** The variables Freight's config reads, pointing at this stack (external settings win). */
export function envFor(state: StackState, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  if (env.DATABASE_URL) {
    set('DATABASE_URL', env.DATABASE_URL);
    set('DATABASE_MIGRATION_URL', env.DATABASE_MIGRATION_URL);
  } else if (state.postgres) {
    set('DATABASE_URL', appUrl(state.postgres));
    set('DATABASE_MIGRATION_URL', ownerUrl(state.postgres));
  }
  if (env.TEMPORAL_ADDRESS) {
    set('TEMPORAL_ADDRESS', env.TEMPORAL_ADDRESS);
    set('TEMPORAL_UI_URL', env.TEMPORAL_UI_URL);
  } else if (state.temporal) {
    set('TEMPORAL_ADDRESS', `127.0.0.1:${state.temporal.port}`);
    set('TEMPORAL_UI_URL', `http://127.0.0.1:${state.temporal.uiPort}`);
  }
  if (env.S3_ENDPOINT) {
    set('S3_ENDPOINT', env.S3_ENDPOINT);
    set('S3_ACCESS_KEY_ID', env.S3_ACCESS_KEY_ID);
    set('S3_SECRET_ACCESS_KEY', env.S3_SECRET_ACCESS_KEY);
  } else if (state.minio) {
    set('S3_ENDPOINT', `http://127.0.0.1:${state.minio.port}`);
    set('S3_ACCESS_KEY_ID', state.minio.accessKey);
    set('S3_SECRET_ACCESS_KEY', state.minio.secretKey);
  }
  set('S3_BUCKET', env.S3_BUCKET ?? 'freight');
  return out;
}

