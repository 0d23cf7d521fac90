// The part of Go's http.ServeContent the OpenAPI handlers rely on: Last-Modified, Accept-Ranges,
// conditional GET with If-None-Match (against the ETag header already set) or If-Modified-Since,
// answering 304 with kube's header clean-up. Ranges are not served (the full body is returned).
import type { KubeContext } from '../../server/context.js';

/** Go's http.TimeFormat: "Mon, 02 Jan 2006 15:04:05 GMT". */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/** Go's etag list match for If-None-Match (weak comparison; "*" matches anything). */
function noneMatch(header: string, etag: string | undefined): boolean {
  if (!etag) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const c = candidate.trim();
    return c === '*' || strip(c) === strip(etag);
  });
}

function notModified(ctx: KubeContext): void {
  ctx.remove('Content-Type');
  ctx.remove('Content-Length');
  ctx.remove('Content-Encoding');
  if (ctx.response.get('Etag')) ctx.remove('Last-Modified');
  ctx.status = 304;
  ctx.body = null;
}

export function serveContent(ctx: KubeContext, body: string | Buffer, lastModified: Date, contentType?: string): void {
  ctx.set('Last-Modified', httpDate(lastModified));
  const isRead = ctx.method === 'GET' || ctx.method === 'HEAD';
  const inm = ctx.get('If-None-Match');
  if (inm) {
    if (noneMatch(inm, ctx.response.get('Etag') || undefined)) {
      if (isRead) return notModified(ctx);
      ctx.status = 412;
      ctx.body = null;
      return;
    }
  } else if (isRead) {
    const ims = Date.parse(ctx.get('If-Modified-Since'));
    // Go compares at second precision: not modified unless the content is newer than the date given.
    if (!Number.isNaN(ims) && Math.floor(lastModified.getTime() / 1000) * 1000 <= ims) return notModified(ctx);
  }
  ctx.set('Accept-Ranges', 'bytes');
  if (contentType) ctx.set('Content-Type', contentType);
  ctx.status = 200;
  ctx.body = body;
}
