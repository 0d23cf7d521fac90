// The baseline every benchmark compares against: a bare node:https server with the same certificate,
// answering a fixed body, started in its own process so it gets the same share of the machine.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./baseline-server.mjs', import.meta.url));

export async function startBaseline({ certPem, keyPem, body, contentType }) {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m.port));
    child.once('error', reject);
    child.send({ certPem, keyPem, body, contentType });
  });
  return { url: `https://127.0.0.1:${port}`, stop: () => new Promise((r) => { child.once('exit', r); child.kill(); }) };
}
