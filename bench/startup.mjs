// Time to ready: (1) a new process, `node dist/cli.js`, until it prints that it is serving, with a new
// data directory (certificates generated) and with the same one again (reused); (2) in-process, from
// the startServer() call until it resolves, in a fresh process, first call and a later one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './lib/server-process.mjs';
import { median, report } from './lib/report.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const inProcessScript = fileURLToPath(new URL('./lib/start-in-process.mjs', import.meta.url));

async function processStart(fresh) {
  const times = [];
  const shared = await mkdtemp(join(tmpdir(), 'kc-bench-'));
  if (!fresh) await (await startServerProcess(shared)).stop();
  for (let i = 0; i < ROUNDS; i++) {
    const dir = fresh ? await mkdtemp(join(tmpdir(), 'kc-bench-')) : shared;
    const server = await startServerProcess(dir);
    times.push(server.readyMs);
    await server.stop();
    if (fresh) await rm(dir, { recursive: true, force: true });
  }
  await rm(shared, { recursive: true, force: true });
  return times;
}

function inProcess() {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [inProcessScript], (err, _stdout, stderr) => {
      if (err) return reject(err);
      const line = stderr.split('\n').find((l) => l.startsWith('RESULT '));
      return line ? resolve(JSON.parse(line.slice(7))) : reject(new Error(`no result: ${stderr}`));
    });
  });
}

const rows = [];
const fresh = await processStart(true);
rows.push(['process start → ready, new data dir (certs generated)', `${median(fresh).toFixed(0)} ms`, `median of ${ROUNDS}`]);
const reused = await processStart(false);
rows.push(['process start → ready, existing data dir', `${median(reused).toFixed(0)} ms`, `median of ${ROUNDS}`]);
const inProc = [];
for (let i = 0; i < ROUNDS; i++) inProc.push(await inProcess());
rows.push(['in-process: import of kube-chain', `${median(inProc.map((r) => r.importMs)).toFixed(0)} ms`, `median of ${ROUNDS}`]);
rows.push(['in-process: first startServer() → ready (new data dir)', `${median(inProc.map((r) => r.firstMs)).toFixed(0)} ms`, `median of ${ROUNDS}`]);
rows.push(['in-process: next startServer() → ready (same process)', `${median(inProc.map((r) => r.nextMs)).toFixed(1)} ms`, `median of ${ROUNDS}`]);
report('startup', ['what', 'time', 'note'], rows);
