// Reads a request body into memory, bounded by kube's limit so that a huge or endless body is a 413.
import type { IncomingMessage } from 'node:http';
import { newRequestEntityTooLarge } from './status.js';

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.destroy();
      throw newRequestEntityTooLarge(`limit is ${limitBytes}`);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}
