// The floor for bench/aggregator.mjs: a bare node:https reverse proxy, in its own process, that does
// what any aggregator must do per request (terminate the caller's TLS, forward over a keep-alive TLS
// connection presenting a client certificate, stream the answer back) and nothing else: no
// authentication, no handler chain. argv: a JSON line {backendHost, backendPort, backendCaPem,
// servingCertPem, servingKeyPem, clientCertPem, clientKeyPem}; prints its port.
import https from 'node:https';

const cfg = JSON.parse(process.argv[2]);
const agent = new https.Agent({ keepAlive: true, maxSockets: 256, ca: cfg.backendCaPem, cert: cfg.clientCertPem, key: cfg.clientKeyPem, servername: cfg.servername });
const server = https.createServer({ cert: cfg.servingCertPem, key: cfg.servingKeyPem }, (req, res) => {
  const headers = { ...req.headers, 'x-remote-user': 'bench', 'x-remote-group': 'system:masters' };
  const upstream = https.request({ agent, host: cfg.backendHost, port: cfg.backendPort, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => { res.writeHead(503); res.end(); });
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
