// Runs bench/lib/load-worker.mjs in a child process and returns its figures.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const worker = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

export function runLoad(spec) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [worker, JSON.stringify(spec)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`load worker failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}
