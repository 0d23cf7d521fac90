import https from 'node:https';

process.once('message', ({ certPem, keyPem, body, contentType }) => {
  const server = https.createServer({ cert: certPem, key: keyPem, keepAliveTimeout: 90_000 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
});
