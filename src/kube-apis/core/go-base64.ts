// Where Go's base64.StdEncoding refuses a string: kube decodes the []byte fields of ConfigMap
// binaryData and Secret data with it while reading the request body, and answers a 400 naming the
// byte offset Go's decoder reports (base64.CorruptInputError).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const PAD = 0x3d; // '='
const isNewline = (b: number) => b === 0x0a || b === 0x0d;

/**
 * One quantum of Go's decoder (four alphabet bytes, newlines skipped): the index after it, or the
 * offset of the corrupt input as a negative number minus one.
 */
function decodeQuantum(src: Uint8Array, start: number): { next: number; corruptAt?: number } {
  let si = start;
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      // A clean end between quanta; with padding required, a partial quantum is corrupt.
      return j === 0 ? { next: si } : { next: si, corruptAt: si - j };
    }
    const byte = src[si++];
    if (DECODE[byte] >= 0) continue;
    if (isNewline(byte)) {
      j--;
      continue;
    }
    if (byte !== PAD) return { next: si, corruptAt: si - 1 };
    // Padding: only after two or three alphabet bytes.
    if (j < 2) return { next: si, corruptAt: si - 1 };
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) return { next: si, corruptAt: src.length };
      if (src[si] !== PAD) return { next: si, corruptAt: si - 1 };
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    // Anything after the padding is trailing garbage.
    return si < src.length ? { next: si, corruptAt: si } : { next: si };
  }
  return { next: si };
}

/** The byte offset Go's base64.StdEncoding.DecodeString reports for `value`, or -1 when it decodes. */
export function goBase64CorruptAt(value: string): number {
  const src = Buffer.from(value, 'utf8');
  let si = 0;
  while (si < src.length) {
    const { next, corruptAt } = decodeQuantum(src, si);
    if (corruptAt !== undefined) return corruptAt;
    si = next;
  }
  return -1;
}

/** base64.CorruptInputError's text. */
export function corruptInputMessage(offset: number): string {
  return `illegal base64 data at input byte ${offset}`;
}
