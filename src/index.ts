// The library entry: `import { startServer } from 'kube-chain'`.
export { startServer, type RunningServer, type StartOptions } from './server/start.js';
export type { ServerOptions } from './server/options.js';
export type { Status } from './endpoints/status.js';
