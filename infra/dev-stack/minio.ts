import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir, VERSIONS } from './paths.ts';
import { isExecutable, runAsync, spawnService, stopProcess, waitFor, which } from './run.ts';

export interface MinioState {
  pid: number;
  port: number;
  consolePort: number;
  accessKey: string;
  secretKey: string;
  /** MinIO's built-in KMS key: server-side encryption (SSE-S3) needs one. */
  kmsKey: string;
}

/** MinIO from FREIGHT_MINIO_BIN, our cache, PATH, or built with `go install` at the pinned version. */
export async function installMinio(logDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env.FREIGHT_MINIO_BIN;
  if (explicit) {
    if (await isExecutable(explicit)) return explicit;
    throw new Error(`FREIGHT_MINIO_BIN=${explicit} is not an executable file`);
  }
  const version = VERSIONS.minioGoModule.split('@')[1] ?? 'unknown';
  const binDir = path.join(cacheDir(env), `minio-${version}`);
  const bin = path.join(binDir, 'minio');
  if (await isExecutable(bin)) return bin;
  const onPath = which('minio');
  if (onPath) return onPath;
  const logFile = path.join(logDir, 'install-minio.log');
  const go = which('go');
  if (go) {
    await mkdir(binDir, { recursive: true });
    await runAsync(go, ['install', VERSIONS.minioGoModule], { logFile, env: { ...process.env, GOBIN: binDir, GOFLAGS: '-mod=mod' } });
    if (await isExecutable(bin)) return bin;
  }
  throw new Error(
    `Could not build MinIO (needs Go: \`go install ${VERSIONS.minioGoModule}\`). Install Go or MinIO by hand ` +
      `and set FREIGHT_MINIO_BIN, or set S3_ENDPOINT (+ S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY) to an existing S3 service. Details: ${logFile}`,
  );
}

export function newMinioCredentials(): Pick<MinioState, 'accessKey' | 'secretKey' | 'kmsKey'> {
  return {
    accessKey: `freight${randomBytes(6).toString('hex')}`,
    secretKey: randomBytes(24).toString('hex'),
    kmsKey: `freight-sse:${randomBytes(32).toString('base64')}`,
  };
}

export interface StartMinioOptions {
  bin: string;
  stackDir: string;
  port: number;
  consolePort: number;
  credentials: Pick<MinioState, 'accessKey' | 'secretKey' | 'kmsKey'>;
}

export async function startMinio(options: StartMinioOptions): Promise<MinioState> {
  const dataDir = path.join(options.stackDir, 'minio');
  await mkdir(dataDir, { recursive: true });
  const logFile = path.join(options.stackDir, 'logs', 'minio.log');
  const env = {
    ...process.env,
    MINIO_ROOT_USER: options.credentials.accessKey,
    MINIO_ROOT_PASSWORD: options.credentials.secretKey,
    MINIO_KMS_SECRET_KEY: options.credentials.kmsKey,
    MINIO_UPDATE: 'off',
    MINIO_CALLHOME_ENABLE: 'off',
  };
  const pid = spawnService(options.bin, [
    'server', dataDir, '--quiet', '--json',
    '--address', `127.0.0.1:${options.port}`,
    '--console-address', `127.0.0.1:${options.consolePort}`,
  ], logFile, env);
  const health = `http://127.0.0.1:${options.port}/minio/health/live`;
  try {
    // The health answer must come from the process we started (waitFor fails as soon as it is gone).
    await waitFor('MinIO', async () => (await fetch(health, { signal: AbortSignal.timeout(2_000) })).ok, 60_000, `see ${logFile}`, pid);
  } catch (err) {
    await stopProcess(pid, 5_000);
    throw err;
  }
  // Only the three credentials: callers pass the previous state here, whose pid and ports are stale.
  const { accessKey, secretKey, kmsKey } = options.credentials;
  return { pid, port: options.port, consolePort: options.consolePort, accessKey, secretKey, kmsKey };
}
