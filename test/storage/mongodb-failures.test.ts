// The MongoDB backend when things die: the writing server killed with SIGKILL, the database server
// killed and restarted. Every acknowledged write must survive; meanwhile operations fail fast with
// Unreachable and the health check fails, then everything recovers by itself.
import { spawn, execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStorage } from '../../src/storage/mongodb/index.js';
import { StorageError, type Storage } from '../../src/storage/interface.js';
import { announceSkip, getMongoUri, uniqueDbName } from '../support/mongo.js';

const server = await getMongoUri();
if (!server) announceSkip('test/storage/mongodb-failures.test.ts');

const repo = resolve(import.meta.dirname, '../..');
// Inside node_modules so the compiled backend resolves the mongodb package.
const buildDir = join(repo, 'node_modules/.cache/kube-chain-mongodb-test');

const open: Storage[] = [];
async function storage(dbName: string): Promise<Storage> {
  const s = await createMongoStorage({ uri: server!.uri, dbName, pollIntervalMs: 20, gapTimeoutMs: 500, serverSelectionTimeoutMS: 1000 });
  open.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(open.map((s) => s.close().catch(() => undefined)));
  await server?.stop();
});

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } });

/** Compiles the backend alone (the child process runs plain JavaScript; there is no tsx here). */
async function buildBackend(): Promise<string> {
  await promisify(execFile)(
    process.execPath,
    [
      join(repo, 'node_modules/typescript/bin/tsc'),
      '--outDir', buildDir, '--rootDir', join(repo, 'src'),
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
      '--strict', '--skipLibCheck', '--types', 'node', '--declaration', 'false',
      join(repo, 'src/storage/mongodb/index.ts'),
    ],
    { cwd: repo },
  );
  const script = join(buildDir, 'writer.mjs');
  await writeFile(
    script,
    `import { createMongoStorage } from './storage/mongodb/index.js';
const [uri, dbName] = process.argv.slice(2);
const s = await createMongoStorage({ uri, dbName });
let i = 0;
async function worker() {
  for (;;) {
    const name = 'k' + i++;
    const obj = await s.create('/registry/kill/' + name, { metadata: { name }, data: { n: name } });
    process.stdout.write('ACK ' + name + ' ' + obj.metadata.resourceVersion + '\\n');
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
`,
  );
  return script;
}

describe.skipIf(!server)('mongodb backend: failures', () => {
  let writerScript = '';
  beforeAll(async () => {
    await mkdir(buildDir, { recursive: true });
    writerScript = await buildBackend();
  }, 120_000);

  it('keeps every acknowledged write when the writing server is killed with SIGKILL', async () => {
    const db = uniqueDbName('kill9');
    const child = spawn(process.execPath, [writerScript, server!.uri, db], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Map<string, string>();
    let buffered = '';
    const enough = new Promise<void>((resolveEnough) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [, name, rv] = line.split(' ');
          acked.set(name, rv);
        }
        if (acked.size >= 60) resolveEnough();
      });
    });
    await enough;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(acked.size).toBeGreaterThanOrEqual(60);
    const after = await storage(db);
    const listed = await after.list('/registry/kill/');
    const stored = new Map(listed.items.map((o) => [o.metadata.name as string, o.metadata.resourceVersion as string]));
    for (const [name, rv] of acked) expect(stored.get(name), name).toBe(rv);
    // The log is whole again: a watch from before the kill sees every write once, in order.
    const w = await after.watch('/registry/kill/', { resourceVersion: '1' });
    const it = w[Symbol.asyncIterator]();
    const revisions: number[] = [];
    while (revisions.length < listed.items.length - 1) {
      const next = await it.next();
      if (next.done) break;
      if (next.value.type === 'ADDED') revisions.push(next.value.revision);
    }
    w.stop();
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(new Set(revisions).size).toBe(revisions.length);
  });

  it.skipIf(!server?.local)('fails fast while the database is down, recovers by itself, and loses no acknowledged write', async () => {
    const local = server!.local!;
    const db = uniqueDbName('outage');
    const s = await storage(db);
    await s.checkHealth();
    // A watcher on another instance stays open across the outage and misses nothing.
    const other = await storage(db);
    const watcher = await other.watch('/registry/outage/', { resourceVersion: String(await other.currentRevision()) });
    const seen = new Set<string>();
    const watching = (async () => {
      for await (const e of watcher) if (e.type === 'ADDED') seen.add(e.object.metadata.name as string);
    })();
    const acked: string[] = [];
    let stop = false;
    const errors: StorageError[] = [];
    const writers = Array.from({ length: 4 }, async (_, wi) => {
      for (let i = 0; !stop; i++) {
        const name = `w${wi}-${i}`;
        try {
          await s.create(`/registry/outage/${name}`, cm(name));
          acked.push(name);
        } catch (err) {
          errors.push(err as StorageError);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    });
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 10));
    await local.kill('SIGKILL');

    // Meanwhile: Unreachable, quickly, never a hang.
    const t0 = Date.now();
    const err = await s.get('/registry/outage/w0-0').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('Unreachable');
    expect(Date.now() - t0).toBeLessThan(5000);
    await expect(s.checkHealth()).rejects.toMatchObject({ code: 'Unreachable' });

    await local.start();
    const deadline = Date.now() + 20_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      healthy = await s.checkHealth().then(() => true, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healthy).toBe(true);
    const before = acked.length;
    while (acked.length < before + 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThanOrEqual(before + 10);
    expect(errors.every((e) => e instanceof StorageError && ['Unreachable', 'Internal'].includes(e.code))).toBe(true);
    const stored = new Set((await s.list('/registry/outage/')).items.map((o) => o.metadata.name as string));
    for (const name of acked) expect(stored.has(name), name).toBe(true);
    const watchDeadline = Date.now() + 10_000;
    while (acked.some((n) => !seen.has(n)) && Date.now() < watchDeadline) await new Promise((r) => setTimeout(r, 50));
    watcher.stop();
    await watching;
    expect(acked.filter((n) => !seen.has(n))).toEqual([]);
  }, 60_000);
});
