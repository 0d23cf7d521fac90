#!/usr/bin/env node
// The kube-chain command: flags → startServer(), a line telling the user how to use kubectl, and a
// graceful stop on SIGTERM/SIGINT.
import { relative } from 'node:path';
import { parseFlags } from './server/flags.js';
import { startServer } from './server/start.js';

async function main(): Promise<void> {
  const options = parseFlags(process.argv.slice(2));
  const server = await startServer(options);
  const shown = relative(process.cwd(), server.kubeconfigPath) || server.kubeconfigPath;
  process.stdout.write(
    JSON.stringify({ level: 30, time: Date.now(), msg: `kube-chain is serving on ${server.url}`, url: server.url, kubeconfig: server.kubeconfigPath }) + '\n',
  );
  process.stdout.write(`To use it: export KUBECONFIG=${shown} && kubectl version   (or: kubectl --kubeconfig ${shown} get --raw /healthz)\n`);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(1); // a second Ctrl-C means now
    process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), msg: `received ${signal}, shutting down` }) + '\n');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
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
