// A non-loopback IPv4 address of this machine: kube refuses loopback endpoint IPs, so a backend the
// aggregator reaches through Endpoints must listen on one of the machine's own addresses.
import { networkInterfaces } from 'node:os';

export function hostIP() {
  const found = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4' && !i.address.startsWith('169.254.'));
  if (!found) throw new Error('no non-loopback IPv4 address on this machine');
  return found.address;
}
