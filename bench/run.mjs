// `npm run bench` runs every benchmark; `npm run bench -- healthz startup` runs the named ones.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const available = (await readdir(here)).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs').map((f) => f.slice(0, -4));
const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : available) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
  await import(join(here, `${name}.mjs`));
}
