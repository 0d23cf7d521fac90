// A keep-alive HTTPS client for a benchmark's setup requests (the measured load runs in load-worker.mjs).
import https from 'node:https';

export function apiClient(server) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...server.tls });
  function request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const req = https.request(`${server.url}${path}`, { method, agent, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }
  return { request, close: () => agent.destroy() };
}
