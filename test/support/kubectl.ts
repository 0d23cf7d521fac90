// Runs the real kubectl against a test server's kubeconfig.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './server.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(kubeconfigPath: string, args: string[], input?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    // kubectl caches discovery and OpenAPI per host:port under ~/.kube/cache; test servers reuse ports,
    // so each server gets its own cache next to its kubeconfig.
    const cacheDir = join(dirname(kubeconfigPath), 'kubectl-cache');
    const child = execFile('kubectl', ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as unknown as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) {
      child.stdin?.write(input);
      child.stdin?.end();
    }
  });
}

export interface KubectlSession {
  server: TestServer;
  /** kubectl with these arguments against the session's server. */
  k(...args: string[]): Promise<KubectlResult>;
  /** The same, with `input` on standard input (for `-f -`). */
  kIn(input: string, ...args: string[]): Promise<KubectlResult>;
}

/** Starts a server before the suite's tests and stops it after them; the session's fields fill in at start. */
export function kubectlSession(): KubectlSession {
  const session = {} as KubectlSession;
  beforeAll(async () => {
    session.server = await startTestServer();
    session.k = (...args) => kubectl(session.server.kubeconfigPath, args);
    session.kIn = (input, ...args) => kubectl(session.server.kubeconfigPath, args, input);
  });
  afterAll(async () => {
    await session.server?.close();
  });
  return session;
}
