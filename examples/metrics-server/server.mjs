// A small metrics.k8s.io/v1beta1 server (PodMetrics, NodeMetrics) to register behind kube-chain's
// aggregator. It serves HTTPS with its own serving certificate, trusts only requests that present a
// client certificate of the requestheader CA with an allowed name (the aggregator's proxy), takes the
// user from X-Remote-User / X-Remote-Group, and reports deterministic synthetic usage for the pods
// and nodes it lists from kube-chain. Run `npm run build` first (it uses kube-chain's cert helpers).
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import { load as loadYaml } from 'js-yaml';
import { generateCA, issueCert } from '../../dist/server/serving/certs.js';
import { openAPIV3Body, openAPIV3Index } from './openapi.mjs';

const { values: args } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    port: { type: 'string', default: '8443' },
    'bind-address': { type: 'string', default: '0.0.0.0' },
    'requestheader-client-ca-file': { type: 'string' },
    'requestheader-allowed-names': { type: 'string' },
    'service-name': { type: 'string', default: 'metrics-server' },
    'service-namespace': { type: 'string', default: 'kube-system' },
  },
});
if (!args.kubeconfig) {
  console.error('usage: node examples/metrics-server/server.mjs --kubeconfig <path> [--port 8443]');
  process.exit(2);
}

/** A client for kube-chain from a kubeconfig with embedded certificate data. */
function kubeClient(path) {
  const config = loadYaml(readFileSync(path, 'utf8'));
  const context = config.contexts.find((c) => c.name === config['current-context']).context;
  const cluster = config.clusters.find((c) => c.name === context.cluster).cluster;
  const user = config.users.find((u) => u.name === context.user).user;
  const b64 = (v) => (v ? Buffer.from(v, 'base64') : undefined);
  const agent = new https.Agent({ ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']), keepAlive: true });
  return (path) =>
    new Promise((resolve, reject) => {
      const req = https.get(new URL(path, cluster.server), { agent, headers: { ...(user.token ? { authorization: `Bearer ${user.token}` } : {}), accept: 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
    });
}

const get = kubeClient(args.kubeconfig);
const auth = await get('/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication');
const requestheaderCA = args['requestheader-client-ca-file'] ? readFileSync(args['requestheader-client-ca-file'], 'utf8') : auth.data['requestheader-client-ca-file'];
const allowedNames = args['requestheader-allowed-names'] !== undefined ? args['requestheader-allowed-names'].split(',').filter(Boolean) : JSON.parse(auth.data['requestheader-allowed-names'] ?? '[]');

const ca = await generateCA('metrics-server-ca');
const serving = await issueCert(ca, { subject: { commonName: 'metrics-server' }, usage: 'server', dnsNames: [`${args['service-name']}.${args['service-namespace']}.svc`, 'localhost'] });

/** Deterministic usage from a name: the same object always reports the same figures. */
function usageFor(kind, name) {
  const h = createHash('sha256').update(`${kind}/${name}`).digest();
  const cpuNano = (h.readUInt32BE(0) % 500_000_000) + 1_000_000;
  const memoryKi = (h.readUInt32BE(4) % 512 * 1024) + 10240;
  return { cpu: `${cpuNano}n`, memory: `${memoryKi}Ki` };
}

const WINDOW = '20.05s';
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const meta = (obj) => ({ name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}), creationTimestamp: now(), labels: obj.metadata.labels });

const podMetrics = (pod) => ({
  kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: meta(pod), timestamp: now(), window: WINDOW,
  containers: (pod.spec?.containers ?? []).map((c) => ({ name: c.name, usage: usageFor('container', `${pod.metadata.namespace}/${pod.metadata.name}/${c.name}`) })),
});
const nodeMetrics = (node) => ({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: meta(node), timestamp: now(), window: WINDOW, usage: usageFor('node', node.metadata.name) });

const RESOURCES = {
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'metrics.k8s.io/v1beta1',
  resources: [
    { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
  ],
};

function status(code, reason, message) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/** The proxy's identity: a client certificate of the requestheader CA with an allowed common name. */
export function verifiedProxy(socket, caPem, allowed) {
  const peer = socket.getPeerCertificate?.();
  if (!peer || !peer.raw) return false;
  const cert = new X509Certificate(peer.raw);
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  return allowed.length === 0 || allowed.includes(cn);
}

async function route(path, query) {
  const base = '/apis/metrics.k8s.io/v1beta1';
  if (path === base) return [200, RESOURCES];
  if (path === '/openapi/v3') return [200, openAPIV3Index];
  if (path === '/openapi/v3/apis/metrics.k8s.io/v1beta1') return [200, openAPIV3Body];
  const selector = query.get('labelSelector') ? `?labelSelector=${encodeURIComponent(query.get('labelSelector'))}` : '';
  if (path === `${base}/nodes`) {
    const nodes = await get(`/api/v1/nodes${selector}`);
    return [200, { kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: nodes.items.map(nodeMetrics) }];
  }
  let m = /^\/apis\/metrics\.k8s\.io\/v1beta1\/nodes\/([^/]+)$/.exec(path);
  if (m) {
    const node = await get(`/api/v1/nodes/${m[1]}`).catch(() => null);
    return node ? [200, nodeMetrics(node)] : [404, status(404, 'NotFound', `nodemetrics.metrics.k8s.io "${m[1]}" not found`)];
  }
  m = /^\/apis\/metrics\.k8s\.io\/v1beta1(?:\/namespaces\/([^/]+))?\/pods$/.exec(path);
  if (m) {
    const pods = await get(`${m[1] ? `/api/v1/namespaces/${m[1]}/pods` : '/api/v1/pods'}${selector}`);
    return [200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: pods.items.map(podMetrics) }];
  }
  m = /^\/apis\/metrics\.k8s\.io\/v1beta1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path);
  if (m) {
    const pod = await get(`/api/v1/namespaces/${m[1]}/pods/${m[2]}`).catch(() => null);
    return pod ? [200, podMetrics(pod)] : [404, status(404, 'NotFound', `podmetrics.metrics.k8s.io "${m[2]}" not found`)];
  }
  return [404, status(404, 'NotFound', 'the server could not find the requested resource')];
}

const server = https.createServer({ key: serving.keyPem, cert: serving.certPem, ca: requestheaderCA, requestCert: true, rejectUnauthorized: false }, async (req, res) => {
  const url = new URL(req.url, 'https://metrics-server');
  const send = (code, body, type = 'application/json') => {
    res.writeHead(code, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (url.pathname === '/healthz' || url.pathname === '/livez' || url.pathname === '/readyz') return send(200, 'ok', 'text/plain');
  if (!verifiedProxy(req.socket, requestheaderCA, allowedNames)) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
  // The user the aggregator authenticated (kube's requestheader authenticator); without one the request is anonymous.
  const user = { name: String(req.headers['x-remote-user'] ?? 'system:anonymous'), groups: String(req.headers['x-remote-group'] ?? '').split(',').filter(Boolean) };
  res.setHeader('x-metrics-server-user', user.name);
  try {
    const [code, body] = await route(url.pathname, url.searchParams);
    send(code, body);
  } catch (err) {
    send(500, status(500, 'InternalError', `Internal error occurred: ${err.message}`));
  }
});
server.listen(Number(args.port), args['bind-address'], () => {
  console.log(JSON.stringify({ msg: 'metrics-server serving', port: server.address().port, caBundle: Buffer.from(ca.certPem).toString('base64') }));
});
