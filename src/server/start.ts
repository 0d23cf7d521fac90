// startServer(): the whole server, in-process. The CLI calls it too, so a test's server and a
// user's server are the same thing.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { withDefaults, type ServerOptions } from './options.js';
import { loadServingMaterial, type ServingMaterial } from './serving/serving-material.js';
import { clientURL, renderKubeconfig, writeKubeconfig } from './serving/kubeconfig.js';
import { createHttpsServer, DEFAULT_TIMEOUTS, type ConnectionTimeouts } from './https-server.js';
import { buildApp } from './build-app.js';
import type { ServerChain } from './layers.js';
import type { APIDeps } from './install-api.js';
import { createLogger } from './logging.js';
import { trackConnections } from './connection-tracker.js';
import { upgradeListener } from '../aggregator/proxy/upgrade.js';

export interface StartOptions extends Partial<ServerOptions> {
  /** Connection timeouts; tests shorten them. */
  timeouts?: Partial<ConnectionTimeouts>;
}

export interface RunningServer {
  /** https://host:port */
  url: string;
  port: number;
  /** The admin kubeconfig as YAML text. */
  kubeconfig: string;
  /** Where it was written (empty when writeKubeconfig is false). */
  kubeconfigPath: string;
  /** The TLS material, for clients that want the CA or admin certificate directly. */
  tls: { caPem: string; adminCertPem?: string; adminKeyPem?: string };
  options: ServerOptions;
  /** The server chain's layers: advanced use (and tests) may mount REST roots on them. */
  chain: ServerChain;
  /** What installing a group-version into a layer needs (see installGroupVersion). */
  api: APIDeps;
  /** Graceful shutdown: readyz fails, no new connections, in-flight requests finish (bounded), watches end. */
  stop(): Promise<void>;
}

export async function startServer(startOptions: StartOptions = {}): Promise<RunningServer> {
  const { timeouts, ...partial } = startOptions;
  const options = withDefaults(partial);
  const logger = createLogger(options.logLevel);
  const material: ServingMaterial = await loadServingMaterial(options);
  const app = await buildApp(options, logger, { clientCAPem: material.clientCAPem, servingCAPem: material.servingCAPem });

  // The TLS server trusts the front proxy's CA too (--requestheader-client-ca-file); the authenticators
  // tell its certificates from users' certificates.
  const trusted = options.requestheaderClientCAFile ? `${material.clientCAPem.trimEnd()}\n${await readFile(options.requestheaderClientCAFile, 'utf8')}` : material.clientCAPem;
  const server = createHttpsServer({ ...material, clientCAPem: trusted }, app.callback, { ...DEFAULT_TIMEOUTS, ...timeouts });
  const connections = trackConnections(server);
  // Upgrade requests (exec-like streams to aggregated APIs) run through the same app.
  server.on('upgrade', upgradeListener(app.callback));
  server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'TLS handshake failed'));

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.securePort, options.bindAddress, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  await app.startKubernetesService(port);
  const url = clientURL(options.bindAddress, port);
  const kubeconfig = renderKubeconfig(url, material);
  let kubeconfigPath = '';
  if (options.writeKubeconfig) {
    kubeconfigPath = resolve(join(options.dataDir, 'admin.kubeconfig'));
    await writeKubeconfig(kubeconfigPath, kubeconfig);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.beginShutdown();
      server.close();
      server.closeIdleConnections();
      await connections.drain(options.shutdownTimeoutSeconds * 1000);
      server.closeAllConnections();
      await app.close();
      logger.info('kube-chain stopped');
    })();
    return stopping;
  };

  return {
    url,
    port,
    kubeconfig,
    kubeconfigPath,
    tls: { caPem: material.servingCAPem, adminCertPem: material.admin?.certPem, adminKeyPem: material.admin?.keyPem },
    options,
    chain: app.chain,
    api: app.api,
    stop,
  };
}
