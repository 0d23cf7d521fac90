// Shuffle sharding: a flow's hash deals it a hand of distinct queues from the deck, so that two flows
// rarely share their whole hand (kube's shufflesharding.Dealer). The flow's hash is, as kube's
// hashFlowID computes it, the first 8 bytes (little-endian) of SHA-256 over the schema's name, a zero
// byte and the distinguisher.
import { createHash } from 'node:crypto';

export function flowHash(flowSchemaName: string, distinguisher: string): bigint {
  const digest = createHash('sha256').update(flowSchemaName).update(Buffer.from([0])).update(distinguisher).digest();
  return digest.readBigUInt64LE(0);
}

/** handSize distinct queue indexes in [0, deckSize), drawn from the hash without replacement. */
export function dealHand(hash: bigint, deckSize: number, handSize: number): number[] {
  const remaining = Array.from({ length: deckSize }, (_, i) => i);
  const hand: number[] = [];
  let value = hash;
  for (let i = 0; i < Math.min(handSize, deckSize); i++) {
    const size = BigInt(remaining.length);
    const pick = Number(value % size);
    value /= size;
    hand.push(remaining[pick]);
    remaining.splice(pick, 1);
  }
  return hand;
}
