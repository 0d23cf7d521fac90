// Measures startServer() in a fresh process: the import, the first call, and a second server.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const t0 = performance.now();
const { startServer } = await import('../../dist/index.js');
const importMs = performance.now() - t0;
const t1 = performance.now();
const first = await startServer({ securePort: 0, dataDir: await mkdtemp(join(tmpdir(), 'kc-inproc-')) });
const firstMs = performance.now() - t1;
const dir2 = await mkdtemp(join(tmpdir(), 'kc-inproc-'));
const t2 = performance.now();
const second = await startServer({ securePort: 0, dataDir: dir2 });
const nextMs = performance.now() - t2;
await first.stop();
await second.stop();
process.stderr.write(`RESULT ${JSON.stringify({ importMs, firstMs, nextMs })}\n`);
