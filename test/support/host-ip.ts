// An address of this machine that Endpoints may name. kube refuses loopback, link-local and
// unspecified endpoint IPs, so a test backend that the aggregator reaches through Endpoints listens
// on one of the machine's own non-loopback addresses instead of 127.0.0.1.
import { networkInterfaces } from 'node:os';

export function endpointHostIP(): string {
  const candidates = Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NonNullable<typeof i> => Boolean(i) && !i!.internal);
  const usable = candidates.find((i) => i.family === 'IPv4' && !i.address.startsWith('169.254.')) ?? candidates.find((i) => i.family === 'IPv6' && !i.address.toLowerCase().startsWith('fe80'));
  if (!usable) throw new Error('this machine has no non-loopback address for a test backend (kube refuses loopback endpoint IPs)');
  return usable.address;
}
