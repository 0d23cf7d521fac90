// Bearer tokens of browser-style websocket clients (kube's websocket ProtocolAuthenticator): a
// subprotocol `base64url.bearer.authorization.k8s.io.<base64url token, unpadded>` next to at least one
// real subprotocol; on success the token's subprotocol is removed from the request.
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token-authenticator.js';

export const BEARER_PROTOCOL_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/** wsstream.IsWebSocketRequest: Upgrade is websocket and a Connection header mentions upgrade. */
export function isWebSocketRequest(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  if (typeof upgrade !== 'string' || upgrade.toLowerCase() !== 'websocket') return false;
  return (req.headers.connection ?? '').toLowerCase().includes('upgrade');
}

/** Go's base64.RawURLEncoding.DecodeString, or undefined where Go fails. */
function decodeRawURLBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, 'base64url');
}

export function websocketProtocolAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    async authenticate(req) {
      if (!isWebSocketRequest(req)) return null;
      let token = '';
      let sawToken = false;
      const others: string[] = [];
      // node joins repeated Sec-WebSocket-Protocol headers with ", ": splitting on commas reads them all.
      for (const raw of (req.headers['sec-websocket-protocol'] ?? '').split(',')) {
        const protocol = raw.trim();
        if (!protocol.startsWith(BEARER_PROTOCOL_PREFIX)) {
          others.push(protocol);
          continue;
        }
        if (sawToken) throw new Error('multiple base64.bearer.authorization tokens specified');
        sawToken = true;
        const decoded = decodeRawURLBase64(protocol.slice(BEARER_PROTOCOL_PREFIX.length));
        if (!decoded) throw new Error('invalid base64.bearer.authorization token encoding');
        const text = decoded.toString('utf8');
        if (!Buffer.from(text, 'utf8').equals(decoded)) throw new Error('invalid base64.bearer.authorization token');
        token = text;
      }
      if (token !== '' && others.length === 0) throw new Error('missing additional subprotocol');
      if (token === '') return null;
      const result = await tokens.authenticateToken(token);
      if (!result) throw new Error('invalid bearer token');
      req.headers['sec-websocket-protocol'] = others.join(',');
      return result;
    },
  };
}
