// GET /version: kube's version.Info (k8s.io/apimachinery/pkg/version, 1.32 field set and order),
// written as kube's WriteRawJSON does (2-space indented, application/json).
import type { KubeMiddleware } from './context.js';
import type { NonRestMux } from './director.js';
import { StatusError } from '../endpoints/status.js';

/** The Kubernetes release whose API this server serves. */
export const KUBE_VERSION = { major: 1, minor: 32, patch: 0 } as const;
/** This package's version (kept equal to package.json's by a test). */
export const KUBE_CHAIN_VERSION = '0.1.0';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Node's process.arch → Go's GOARCH, so `platform` reads as kube's does. */
const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le' };
/** Node's process.platform → Go's GOOS. */
const GO_OS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };

let cached: VersionInfo | undefined;

export function versionInfo(): VersionInfo {
  cached ??= {
    major: String(KUBE_VERSION.major),
    minor: String(KUBE_VERSION.minor),
    // Build metadata (after "+") leaves semver precedence equal to v1.32.0, so client-side
    // "server is at least 1.32" checks hold, and kubectl's ParseSemantic skew check reads 1.32.
    gitVersion: `v${KUBE_VERSION.major}.${KUBE_VERSION.minor}.${KUBE_VERSION.patch}+kube-chain.${KUBE_CHAIN_VERSION}`,
    // Not stamped at build time: kube's own values for an unstamped build.
    gitCommit: '',
    gitTreeState: '',
    buildDate: '1970-01-01T00:00:00Z',
    // The runtime, written the way Go writes its own ("go1.23.4").
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${GO_OS[process.platform] ?? process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  };
  return cached;
}

export function ownsVersionPath(path: string): boolean {
  return path === '/version' || path === '/version/';
}

/** Answers GET /version and /version/; other methods get go-restful's 405 Status; other paths pass on. */
export const versionHandler: KubeMiddleware = (ctx, next) => {
  if (!ownsVersionPath(ctx.path)) return next();
  if (ctx.method !== 'GET') {
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  }
  ctx.status = 200;
  ctx.body = JSON.stringify(versionInfo(), null, 2);
  ctx.set('Content-Type', 'application/json');
};

export const versionMux: NonRestMux = { owns: ownsVersionPath, handle: versionHandler };
