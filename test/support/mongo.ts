// A MongoDB-compatible server for the storage tests: MONGODB_URI when set; else FerretDB (SQLite
// backend, a temp dir, a free port, telemetry off, no outside connections) when its binary is
// installed (.ci/install-ferretdb.sh); else null, and the MongoDB tests skip loudly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface MongoServer {
  uri: string;
  stop(): Promise<void>;
  /** Present when the tests started the server themselves (FerretDB): they may kill and restart it. */
  local?: LocalServer;
}

export interface LocalServer {
  kill(signal: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export function findFerretDB(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  if (process.env.GOPATH) dirs.push(join(process.env.GOPATH, 'bin'));
  dirs.push(join(homedir(), 'go', 'bin'));
  for (const dir of dirs) {
    const candidate = join(dir, 'ferretdb');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function startFerretDB(binary: string): Promise<MongoServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-chain-ferretdb-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output = '';
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${dir}`,
    '--debug-addr=-', // no HTTP debug listener
    '--telemetry=disable',
    '--test-telemetry-url=http://127.0.0.1:9/', // belt and braces: never a request to the internet
    '--log-level=error',
  ];
  const start = async () => {
    output = '';
    child = spawn(binary, args, { env: { ...process.env, DO_NOT_TRACK: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<boolean>((resolve) => child?.once('exit', () => resolve(true)));
    await waitFor(async () => {
      if (await Promise.race([exited, Promise.resolve(false)])) throw new Error(`ferretdb exited: ${output}`);
      return portOpen(port);
    }, `ferretdb on port ${port}`);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await gone;
    child = null;
  };
  await start();
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    local: { kill, start },
    async stop() {
      await kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** MONGODB_URI, else a FerretDB started for the caller, else null (the caller skips, loudly). */
export async function getMongoUri(): Promise<MongoServer | null> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => undefined };
  const binary = findFerretDB();
  if (!binary) return null;
  return startFerretDB(binary);
}

/** Prints the banner for a skipped MongoDB suite; in CI (KUBE_CHAIN_REQUIRE_MONGODB=1) fails instead. */
export function announceSkip(suite: string): void {
  const why = 'no MONGODB_URI and no ferretdb binary (run .ci/install-ferretdb.sh)';
  if (process.env.KUBE_CHAIN_REQUIRE_MONGODB === '1') {
    throw new Error(`${suite}: MongoDB is required here (KUBE_CHAIN_REQUIRE_MONGODB=1) but ${why}`);
  }
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!!! MongoDB tests SKIPPED: ${suite}: ${why}\n${line}\n`);
}

let dbCounter = 0;
/** A database name no other test uses. */
export function uniqueDbName(tag: string): string {
  dbCounter += 1;
  return `kc_${tag}_${process.pid}_${Date.now().toString(36)}_${dbCounter}`;
}
