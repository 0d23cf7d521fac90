// Shuffle sharding: a flow's hash deals it a hand of distinct queues from the deck, so that two flows
// rarely share their whole hand (kube's shufflesharding.Dealer). The flow's hash is, as kube's
// hashFlowID computes it, the first 8 bytes (little-endian) of SHA-256 over the schema's name, a zero
// byte and the distinguisher.
import { createHash } from 'node:crypto';

export function flowHash(flowSchemaName: string, distinguisher: string): bigint {
  const digest = createHash('sha256').update(flowSchemaName).update(Buffer.from([0])).update(distinguisher).digest();
  return digest.readBigUInt64LE(0);
}

/**
 * handSize distinct queue indexes in [0, deckSize), as kube's Dealer draws them: the hash is read as
 * a number in a mixed radix (deckSize, deckSize-1, ...), each digit picks among the cards not yet
 * dealt, and a card is shifted past every earlier digit it is not below.
 */
export function dealHand(hash: bigint, deckSize: number, handSize: number): number[] {
  const n = Math.min(handSize, deckSize);
  const remainders: number[] = [];
  let value = hash;
  for (let i = 0; i < n; i++) {
    const radix = BigInt(deckSize - i);
    remainders.push(Number(value % radix));
    value /= radix;
  }
  const hand: number[] = [];
  for (let i = 0; i < n; i++) {
    let card = remainders[i];
    for (let j = i; j > 0; j--) if (card >= remainders[j - 1]) card++;
    hand.push(card);
  }
  return hand;
}
