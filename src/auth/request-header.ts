// kube's front-proxy (requestheader) authenticator: a proxy that authenticated the user itself
// passes the identity in headers (X-Remote-User, X-Remote-Group, X-Remote-Extra-<key>, ...). The
// headers count only on a connection whose client certificate chains to the requestheader CA and,
// when allowed names are configured, has one of them as its CN; anything else is refused here and
// left to the other authenticators (and the filter strips the headers whatever happens).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { Authenticator } from './authenticator.js';
import type { UserInfo } from './user.js';
import { chainsTo } from './certificate-chain.js';

export interface RequestHeaderConfig {
  clientCAs: X509Certificate[];
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
}

/** Every header the front proxy may set, lower-cased: what must never pass through unverified. */
export function requestHeaderNames(config: Pick<RequestHeaderConfig, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders' | 'extraHeaderPrefixes'>): { names: string[]; prefixes: string[] } {
  return {
    names: [...config.usernameHeaders, ...config.uidHeaders, ...config.groupHeaders].map((h) => h.toLowerCase()),
    prefixes: config.extraHeaderPrefixes.map((p) => p.toLowerCase()),
  };
}

/** Go's url.PathUnescape, leaving a malformed escape as it is (kube keeps the raw key then). */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function values(req: IncomingMessage, name: string): string[] {
  return (req.headersDistinct[name.toLowerCase()] ?? []).filter((v) => v.length > 0);
}

type Verdict = true | Error;

export function requestHeaderAuthenticator(config: RequestHeaderConfig): Authenticator {
  const allowed = new Set(config.allowedNames);
  const prefixes = config.extraHeaderPrefixes.map((p) => p.toLowerCase());
  const verdicts = new WeakMap<TLSSocket, Verdict | null>();

  function verify(socket: TLSSocket): Verdict | null {
    const cert = socket.getPeerCertificate(true) as DetailedPeerCertificate;
    if (!cert || Object.keys(cert).length === 0) return null;
    if (!socket.authorized || !chainsTo(cert, config.clientCAs)) return new Error('x509: certificate signed by unknown authority');
    const cn = [cert.subject?.CN ?? ''].flat().at(-1) ?? '';
    if (allowed.size > 0 && !allowed.has(cn)) return new Error(`x509: subject with cn=${cn} is not in the allowed list`);
    return true;
  }

  return {
    authenticate(req) {
      const socket = req.socket as TLSSocket;
      if (typeof socket?.getPeerCertificate !== 'function') return null;
      let verdict = verdicts.get(socket);
      if (verdict === undefined) {
        verdict = verify(socket);
        verdicts.set(socket, verdict);
      }
      if (verdict === null) return null;
      if (verdict instanceof Error) throw verdict;

      const name = config.usernameHeaders.map((h) => values(req, h)[0]).find((v) => v !== undefined);
      if (!name) return null;
      const user: UserInfo = { name, groups: config.groupHeaders.flatMap((h) => values(req, h)) };
      const uid = config.uidHeaders.map((h) => values(req, h)[0]).find((v) => v !== undefined);
      if (uid) user.uid = uid;
      const extra: Record<string, string[]> = {};
      for (const header of Object.keys(req.headersDistinct)) {
        const prefix = prefixes.find((p) => header.startsWith(p));
        if (!prefix) continue;
        const key = unescapeExtraKey(header.slice(prefix.length));
        extra[key] = [...(extra[key] ?? []), ...values(req, header)];
      }
      if (Object.keys(extra).length > 0) user.extra = extra;
      return { user };
    },
  };
}
