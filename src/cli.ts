#!/usr/bin/env node
// The kube-chain command: flags → startServer(), one log line telling the user how to use kubectl,
// and a graceful stop on SIGTERM/SIGINT.
import { relative } from 'node:path';
import { parseFlags } from './server/flags.js';
import { startServer } from './server/start.js';
import { createLogger } from './server/logging.js';

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2));
  const logger = createLogger(options.logLevel);
  const server = await startServer(options);
  const shown = relative(process.cwd(), server.kubeconfigPath) || server.kubeconfigPath;
  logger.info(
    { url: server.url, kubeconfig: server.kubeconfigPath },
    `kube-chain is serving on ${server.url}; to use it: export KUBECONFIG=${shown} && kubectl version`,
  );

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(1); // a second Ctrl-C means now
    logger.info(`received ${signal}, shutting down`);
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err: unknown) => {
  process.stderr.write(`kube-chain: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
