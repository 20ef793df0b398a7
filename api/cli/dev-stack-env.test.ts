import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StackState } from '../../infra/dev-stack/state.ts';
import { loadConfig } from '../../shared/config.ts';
import { NoStackError, withDevStack, type DevStackDeps } from './dev-stack-env.ts';

const STATE: StackState = {
  postgres: { port: 55432, dataDir: '/x/pg', superPassword: 's', ownerPassword: 'o', appPassword: 'a' },
  temporal: { pid: 1, port: 57233, uiPort: 58233 },
  minio: { pid: 2, port: 59000, consolePort: 59001, accessKey: 'minio-key', secretKey: 'minio-secret', kmsKey: 'k' },
  adminApiKey: 'frt_live_0123456789abcdefghijklmnopqrstuv',
  encryptionKeys: `dev1:${Buffer.alloc(32, 7).toString('base64')}`,
};

const deps = (state: StackState, listening = true): DevStackDeps & { dirs: string[] } => {
  const dirs: string[] = [];
  return {
    dirs,
    readState: (dir) => {
      dirs.push(dir);
      return Promise.resolve(state);
    },
    listening: () => Promise.resolve(listening),
  };
};

describe('withDevStack (the CLI without DATABASE_URL)', () => {
  it("fills the dev stack's database, Temporal, S3 and generated keys into a config loadConfig accepts", async () => {
    const d = deps(STATE);
    const { env } = await withDevStack({ FREIGHT_DATA_DIR: '/data' }, d);
    expect(d.dirs).toEqual([path.join('/data', 'dev')]);
    expect(env).toMatchObject({
      DATABASE_URL: expect.stringContaining(':55432/'), TEMPORAL_ADDRESS: '127.0.0.1:57233', S3_ENDPOINT: 'http://127.0.0.1:59000',
      FREIGHT_ADMIN_API_KEY: STATE.adminApiKey, FREIGHT_ENCRYPTION_KEYS: STATE.encryptionKeys,
    });
    const config = loadConfig(env);
    expect(config.temporal.address).toBe('127.0.0.1:57233');
    expect(config.encryptionKeys).toHaveLength(1);
  });

  it('lets every variable that is set win, and reads the stack FREIGHT_STACK names', async () => {
    const d = deps(STATE);
    const { env } = await withDevStack({ FREIGHT_DATA_DIR: '/data', FREIGHT_STACK: 'test', TEMPORAL_ADDRESS: 'temporal:7233', FREIGHT_ADMIN_API_KEY: 'mine', LOG_LEVEL: 'warn' }, d);
    expect(d.dirs).toEqual([path.join('/data', 'test')]);
    expect(env).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', FREIGHT_ADMIN_API_KEY: 'mine', LOG_LEVEL: 'warn', DATABASE_URL: expect.stringContaining(':55432/') });
  });

  it('says how to get a stack when there is none, or when it is not running', async () => {
    await expect(withDevStack({ FREIGHT_DATA_DIR: '/data' }, deps({}))).rejects.toThrow(NoStackError);
    await expect(withDevStack({ FREIGHT_DATA_DIR: '/data' }, deps({}))).rejects.toThrow(/no running stack found .*npm start.*DATABASE_URL/);
    await expect(withDevStack({ FREIGHT_DATA_DIR: '/data' }, deps(STATE, false))).rejects.toThrow(/not running .*55432.*npm start/);
  });
});
