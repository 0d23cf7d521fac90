// Starts kube-chain (dist/) in its own process, as a user would, and waits for it to be ready.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export async function startServerProcess(dataDir, extraArgs = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, '--secure-port=0', `--data-dir=${dataDir}`, ...extraArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = /"url":"(https:[^"]+)"/.exec(buffered);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`kube-chain exited with ${code}`)));
  });
  const readyMs = performance.now() - started;
  const tls = {
    ca: await readFile(join(dataDir, 'ca.crt'), 'utf8'),
    cert: await readFile(join(dataDir, 'admin.crt'), 'utf8'),
    key: await readFile(join(dataDir, 'admin.key'), 'utf8'),
  };
  const serving = { certPem: await readFile(join(dataDir, 'apiserver.crt'), 'utf8'), keyPem: await readFile(join(dataDir, 'apiserver.key'), 'utf8') };
  return {
    url,
    readyMs,
    tls,
    serving,
    pid: child.pid,
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}
