// utilnet.SourceIPs: the X-Forwarded-For chain, then X-Real-Ip, then the connection's own address
// (always, as it cannot be spoofed) unless it is already the last one. Addresses print as Go prints
// net.IP: IPv4-mapped IPv6 addresses as plain IPv4.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

function parseIP(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  if (!isIP(trimmed)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed.toLowerCase();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sourceIPs(req: IncomingMessage): string[] {
  const ips: string[] = [];
  const forwarded = header(req, 'x-forwarded-for');
  if (forwarded) {
    for (const part of forwarded.split(',')) {
      const ip = parseIP(part);
      if (ip) ips.push(ip);
    }
  }
  const realIP = parseIP(header(req, 'x-real-ip'));
  if (realIP && !ips.includes(realIP)) ips.push(realIP);
  const remote = parseIP(req.socket?.remoteAddress);
  if (remote && (ips.length === 0 || ips[ips.length - 1] !== remote)) ips.push(remote);
  return ips;
}
