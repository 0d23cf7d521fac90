// A MongoDB-compatible server for benchmarks: MONGODB_URI when set, else FerretDB (SQLite, temp dir,
// telemetry off) when the binary is installed; null otherwise.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export async function startFerretDB() {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, server: 'MONGODB_URI', stop: async () => undefined };
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), 'go', 'bin')];
  const binary = dirs.map((d) => join(d, 'ferretdb')).find((p) => existsSync(p));
  if (!binary) return null;
  const dir = await mkdtemp(join(tmpdir(), 'kc-bench-ferretdb-'));
  const port = await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn(
    binary,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`, `--state-dir=${dir}`, '--debug-addr=-', '--telemetry=disable', '--test-telemetry-url=http://127.0.0.1:9/', '--log-level=error'],
    { env: { ...process.env, DO_NOT_TRACK: '1' }, stdio: 'ignore' },
  );
  for (let i = 0; i < 300; i++) {
    const open = await new Promise((r) => connect(port, '127.0.0.1').once('connect', function () { this.destroy(); r(true); }).once('error', () => r(false)));
    if (open) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, server: 'FerretDB v1.24.0 (SQLite)', stop: async () => { child.kill(); await rm(dir, { recursive: true, force: true }); } };
}

