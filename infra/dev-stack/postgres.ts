import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';
import { canConnect, isAlive, isExecutable, isRoot, runAsync, runChecked, waitFor, which } from './run.ts';

export interface PostgresState {
  port: number;
  dataDir: string;
  /** The server's log (pg_ctl -l): beside the data when the stack folder is out of the server user's reach. */
  logFile?: string;
  superPassword: string;
  ownerPassword: string;
  appPassword: string;
}

export const DB_NAME = 'freight';
export const OWNER_ROLE = 'freight_owner';
export const APP_ROLE = 'freight_app';

/** Directory of initdb/pg_ctl: PATH, then Debian's versioned layout (newest first). */
async function findPgBinDir(): Promise<string | undefined> {
  const initdb = which('initdb');
  if (initdb) return path.dirname(initdb);
  const root = '/usr/lib/postgresql';
  const versions = await readdir(root).catch(() => [] as string[]);
  for (const v of versions.sort((a, b) => Number(b) - Number(a))) {
    const dir = path.join(root, v, 'bin');
    if (await isExecutable(path.join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

/** Finds PostgreSQL's server binaries, installing Debian's package when we are root and they are missing. */
export async function installPostgres(logDir: string): Promise<string> {
  const found = await findPgBinDir();
  if (found) return found;
  const logFile = path.join(logDir, 'install-postgres.log');
  if (isRoot() && which('apt-get')) {
    // Debian would otherwise create and start a system-wide cluster we do not use.
    await mkdir('/etc/postgresql-common', { recursive: true });
    await writeFile('/etc/postgresql-common/createcluster.conf', 'create_main_cluster = false\n', { flag: 'a' });
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await runAsync('apt-get', ['update'], { logFile, env });
    await runAsync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { logFile, env });
    const dir = await findPgBinDir();
    if (dir) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found and could not be installed automatically ' +
      '(needs root and apt-get). Install PostgreSQL 14+ by hand (e.g. `sudo apt-get install postgresql`), ' +
      `or set DATABASE_URL to an existing server. Details: ${logFile}`,
  );
}

/** initdb refuses to run as root: as root we run the server as Debian's `postgres` user. */
function pgCommand(binDir: string, tool: string, args: string[]): [string, string[]] {
  const exe = path.join(binDir, tool);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

async function ownForServer(target: string): Promise<void> {
  if (!isRoot()) return;
  const uid = Number(runChecked('id', ['-u', 'postgres']).trim());
  const gid = Number(runChecked('id', ['-g', 'postgres']).trim());
  await chown(target, uid, gid);
}

/** The server user must be able to reach the data directory through every parent. */
function serverCanReach(dir: string): boolean {
  if (!isRoot()) return true;
  try {
    runChecked('runuser', ['-u', 'postgres', '--', 'test', '-x', dir]);
    return true;
  } catch {
    return false;
  }
}

/** Where a stack's cluster lives: its data folder and the server's own log. */
export interface PgHome {
  dataDir: string;
  logFile: string;
}

/** Parent of the clusters of checkouts that the server user cannot reach (e.g. one under /root). */
export const PG_FALLBACK_ROOT = '/var/tmp/freight-postgres';

/**
 * The cluster stays inside the stack folder when the server user can reach it. Otherwise (a
 * checkout under /root, in a `mktemp -d` folder, behind any 0700 parent) it goes to a folder of its
 * own under PG_FALLBACK_ROOT, named by the full hash of the stack folder's real path, so two
 * checkouts never share a cluster however alike their paths. That folder belongs to the server
 * user (0700): initdb's password file and the server's log are written there too, where it can read them.
 */
export async function pgHomeFor(stackDir: string): Promise<PgHome> {
  await mkdir(path.join(stackDir, 'logs'), { recursive: true });
  if (serverCanReach(stackDir)) return { dataDir: path.join(stackDir, 'postgres'), logFile: path.join(stackDir, 'logs', 'postgres.log') };
  const real = await realpath(stackDir);
  const home = path.join(PG_FALLBACK_ROOT, createHash('sha256').update(real).digest('hex'));
  await mkdir(PG_FALLBACK_ROOT, { recursive: true });
  // Traversable (not listable) by the server user, whatever mode an earlier run or umask left.
  await chmod(PG_FALLBACK_ROOT, 0o711);
  await removeAbandonedHomes();
  await mkdir(home, { recursive: true });
  await chmod(home, 0o700);
  await ownForServer(home);
  // Which stack this cluster belongs to, so one whose checkout is gone can be found and removed.
  await writeFile(path.join(home, OWNER_FILE), real);
  return { dataDir: path.join(home, 'data'), logFile: path.join(home, 'postgres.log') };
}

const OWNER_FILE = 'stack-dir';

/**
 * Clusters kept outside their checkout outlive it when the checkout is deleted: remove those whose
 * stack folder no longer exists and whose server is not running, so /var/tmp does not fill up.
 */
async function removeAbandonedHomes(): Promise<void> {
  for (const name of await readdir(PG_FALLBACK_ROOT).catch(() => [] as string[])) {
    const home = path.join(PG_FALLBACK_ROOT, name);
    const owner = await readFile(path.join(home, OWNER_FILE), 'utf8').catch(() => undefined);
    if (!owner || (await stat(owner).then(() => true, () => false))) continue;
    if (await postmasterRunning({ dataDir: path.join(home, 'data') })) continue;
    await rm(home, { recursive: true, force: true });
  }
}

export interface StartPostgresOptions {
  binDir: string;
  stackDir: string;
  port: number;
  previous: PostgresState | undefined;
}

/** A project-local cluster on 127.0.0.1 only, password auth, then Freight's database and two roles. */
export async function startPostgres(options: StartPostgresOptions): Promise<PostgresState> {
  const home = options.previous?.dataDir
    ? { dataDir: options.previous.dataDir, logFile: options.previous.logFile ?? path.join(options.stackDir, 'logs', 'postgres.log') }
    : await pgHomeFor(options.stackDir);
  const { dataDir, logFile } = home;
  const state: PostgresState = options.previous ? { ...options.previous, logFile } : {
    port: options.port,
    dataDir,
    logFile,
    superPassword: randomBytes(18).toString('hex'),
    ownerPassword: randomBytes(18).toString('hex'),
    appPassword: randomBytes(18).toString('hex'),
  };
  state.port = options.port;
  let initialised = await stat(path.join(dataDir, 'PG_VERSION')).then(() => true, () => false);
  if (initialised && !options.previous) {
    // A cluster whose stack state is gone (`.freight` deleted, `git clean`): its passwords went with the
    // state, so nobody can log in to it. It holds nothing the new state knows about: start afresh.
    await stopPostgres(options.binDir, state);
    await rm(dataDir, { recursive: true, force: true });
    initialised = false;
  }
  if (!initialised) {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await ownForServer(dataDir);
    const pwFile = path.join(path.dirname(dataDir), `.pw-${process.pid}`);
    await writeFile(pwFile, `${state.superPassword}\n`, { mode: 0o600 });
    await ownForServer(pwFile);
    try {
      const [cmd, args] = pgCommand(options.binDir, 'initdb', [
        '-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C',
        '--auth-host=scram-sha-256', '--auth-local=peer', `--pwfile=${pwFile}`,
      ]);
      await runAsync(cmd, args, { logFile });
    } finally {
      await rm(pwFile, { force: true });
    }
  }
  await writeFile(logFile, '', { flag: 'a' });
  await chmod(logFile, 0o666);
  await ownForServer(logFile);
  const [cmd, args] = pgCommand(options.binDir, 'pg_ctl', [
    '-D', dataDir, '-l', logFile, '-w', '-t', '60',
    '-o', `-p ${state.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300`,
    'start',
  ]);
  await linkLog(options.stackDir, logFile);
  try {
    // pg_ctl fails (and the server exits) when the port was taken since it was picked: the caller retries.
    await runAsync(cmd, args, { logFile });
    await waitFor('PostgreSQL', () => canConnect(state.port), 30_000, `see ${logFile}`);
    await bootstrapRoles(state);
  } catch (err) {
    await stopPostgres(options.binDir, state);
    // A cluster made by this call holds this call's passwords only: a retry makes its own.
    if (!initialised) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return state;
}

/** The stack's logs folder names the server log wherever it lives, so "see logs/postgres.log" always works. */
async function linkLog(stackDir: string, logFile: string): Promise<void> {
  const link = path.join(stackDir, 'logs', 'postgres.log');
  if (link === logFile) return;
  await rm(link, { force: true });
  await symlink(logFile, link).catch(() => undefined);
}

/** `pg_ctl stop -m fast`; quiet when the server is not running. */
export async function stopPostgres(binDir: string, state: Pick<PostgresState, 'dataDir' | 'logFile'>): Promise<void> {
  const [cmd, args] = pgCommand(binDir, 'pg_ctl', ['-D', state.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  // Our own record of the stop; the server user may not be able to write where pg_ctl's output goes otherwise.
  const logFile = path.join(path.dirname(state.logFile ?? path.join(state.dataDir, 'x')), 'pg_ctl-stop.log');
  await runAsync(cmd, args, { logFile }).catch(() => undefined);
}

/** A server runs on this cluster (its postmaster.pid names a live process), whatever port it listens on. */
export async function postmasterRunning(state: Pick<PostgresState, 'dataDir'>): Promise<boolean> {
  const text = await readFile(path.join(state.dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

export async function isPostgresRunning(state: PostgresState | undefined): Promise<boolean> {
  if (!state) return false;
  if (!(await canConnect(state.port))) return false;
  const sql = postgres(superUrl(state), { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export function superUrl(state: PostgresState, db = 'postgres'): string {
  return `postgres://postgres:${state.superPassword}@127.0.0.1:${state.port}/${db}`;
}

export function ownerUrl(state: PostgresState): string {
  return `postgres://${OWNER_ROLE}:${state.ownerPassword}@127.0.0.1:${state.port}/${DB_NAME}`;
}

export function appUrl(state: PostgresState): string {
  return `postgres://${APP_ROLE}:${state.appPassword}@127.0.0.1:${state.port}/${DB_NAME}`;
}

/**
 * The owner role runs migrations and owns every table; the app role the service uses owns nothing
 * and cannot bypass row-level security. Idempotent.
 */
async function bootstrapRoles(state: PostgresState): Promise<void> {
  const sql = postgres(superUrl(state), { max: 1, onnotice: () => undefined });
  try {
    for (const [role, password] of [[OWNER_ROLE, state.ownerPassword], [APP_ROLE, state.appPassword]] as const) {
      const [existing] = await sql`select 1 from pg_roles where rolname = ${role}`;
      if (!existing) await sql.unsafe(`create role ${role} login password '${password}'`);
      else await sql.unsafe(`alter role ${role} login password '${password}'`);
    }
    await sql.unsafe(`alter role ${APP_ROLE} nosuperuser nobypassrls nocreatedb nocreaterole`);
    const [db] = await sql`select 1 from pg_database where datname = ${DB_NAME}`;
    if (!db) await sql.unsafe(`create database ${DB_NAME} owner ${OWNER_ROLE}`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}
