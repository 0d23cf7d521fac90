// The kube-chain command as a user runs it (dist/, built by `npm test`'s pretest): it prints how to
// use kubectl, writes a kubeconfig that kubectl uses as is, and exits 0 on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectl } from '../support/kubectl.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describe('kube-chain command', () => {
  it.skipIf(!existsSync(cli))('starts, serves kubectl, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kc-cli-'));
    const child = spawn(process.execPath, [cli, '--secure-port=0', `--data-dir=${dataDir}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 15_000);
      child.stdout.on('data', () => {
        if (out.includes('kube-chain is serving on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(out).toMatch(/to use it: export KUBECONFIG=.*admin\.kubeconfig && kubectl version/);
    const kubeconfig = join(dataDir, 'admin.kubeconfig');
    expect((await kubectl(kubeconfig, ['get', '--raw', '/healthz'])).stdout).toBe('ok');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('received SIGTERM, shutting down');
    await rm(dataDir, { recursive: true, force: true });
  });

  it.skipIf(!existsSync(cli))('refuses an unknown flag with a usage error', async () => {
    const child = spawn(process.execPath, [cli, '--no-such-flag'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toContain('Unknown argument');
  });
});
