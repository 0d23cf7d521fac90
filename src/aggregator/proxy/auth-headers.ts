// The headers an extension API server learns the user from (client-go's SetAuthProxyHeaders, as
// kube-aggregator sends them): whatever X-Remote-* the caller sent is dropped, then X-Remote-User,
// one X-Remote-Group per group and X-Remote-Extra-<key> per extra value are set. The caller's
// credentials (Authorization) and impersonation headers never reach the backend.
import type { IncomingHttpHeaders } from 'node:http';
import type { UserInfo } from '../../auth/user.js';

/** RFC 7230 token characters that may stay as they are in a header name (client-go's legalHeaderKeyBytes). */
const LEGAL_KEY_CHAR = /[!#$&'*+\-.^_`|~0-9A-Za-z]/;

/** client-go's headerKeyEscape: percent-encodes every byte that is not a legal header-name byte (and '%'). */
export function headerKeyEscape(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && ch !== '%' && LEGAL_KEY_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function dropped(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'authorization' || lower.startsWith('x-remote-') || lower.startsWith('impersonate-');
}

/** The request headers to send to the backend. */
export function proxiedRequestHeaders(incoming: IncomingHttpHeaders, user: UserInfo, remoteAddress: string | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) if (value !== undefined && !dropped(name)) out[name] = value;
  out['x-remote-user'] = user.name;
  if (user.groups.length > 0) out['x-remote-group'] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) if (values.length > 0) out[`x-remote-extra-${headerKeyEscape(key)}`] = [...values];
  // k8s.io/apimachinery's AppendForwardedForHeader, as NewRequestForProxy does.
  if (remoteAddress) {
    const previous = out['x-forwarded-for'];
    const prior = Array.isArray(previous) ? previous.join(', ') : previous;
    out['x-forwarded-for'] = prior ? `${prior}, ${remoteAddress}` : remoteAddress;
  }
  return out;
}
