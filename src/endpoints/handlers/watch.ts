// WATCH: a chunked stream of JSON lines ({"type":..,"object":..}), until timeoutSeconds, the
// client goes away, the server shuts down, or the storage drops a watcher that fell behind.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import type { Watcher, WatchEvent } from '../../storage/interface.js';
import { StatusError, isStatusError } from '../status.js';
import { parseListQuery, queryString } from './params.js';
import { negotiateOutputMediaTypeStream, watchContentType } from '../negotiation/accept.js';
import { transformResponseObject } from '../negotiation/transform.js';
import { cachedJSON } from '../negotiation/json-cache.js';
import { escapeHtml } from '../table/jsonpath.js';
import { compilePredicate } from './predicate.js';
import type { EndpointDeps } from './deps.js';

function watchTimeoutMs(deps: EndpointDeps, timeoutSeconds: number | undefined): number {
  if (timeoutSeconds !== undefined && timeoutSeconds > 0) return timeoutSeconds * 1000;
  // kube spreads watch lifetimes between min-request-timeout and twice it, so clients do not re-list in step.
  return deps.minRequestTimeoutSeconds * 1000 * (1 + Math.random());
}

export async function handleWatch(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const query = parseListQuery(ctx, true);
  const media = negotiateOutputMediaTypeStream(ctx.get('accept') || undefined, { tableSupported: true });
  const includeObject = queryString(ctx, 'includeObject');
  let predicate = compilePredicate(store, query.labelSelector, query.fieldSelector);
  if (info.name) {
    // The legacy /watch/<resource>/<name> path watches one object.
    const name = info.name;
    const base = predicate;
    predicate = (obj) => obj.metadata?.name === name && (!base || base(obj));
  }
  let watcher: Watcher | undefined;
  let startError: StatusError | undefined;
  try {
    watcher = await store.watch(info.namespace, {
      resourceVersion: query.resourceVersion,
      predicate,
      allowBookmarks: query.allowWatchBookmarks,
      sendInitialEvents: query.sendInitialEvents,
    });
  } catch (err) {
    // As kube's watch cache does, a too-old resourceVersion is an ERROR event in a started stream.
    if (isStatusError(err) && err.code === 410) startError = err;
    else throw err;
  }

  const res = ctx.res;
  ctx.respond = false;
  res.writeHead(200, { 'Content-Type': watchContentType(media.serializer), 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private', 'Audit-Id': ctx.state.auditID });
  res.flushHeaders();
  let first = true;
  const stamp = (event: WatchEvent): string => {
    const served = event.object;
    let object: unknown = served;
    if (event.type === 'BOOKMARK') object = { kind: store.def.kind, apiVersion: store.apiVersion, ...event.object };
    else if (media.convert && event.type !== 'ERROR') {
      // Table watches (kubectl get -w) send the column definitions with the first event only.
      object = transformResponseObject({ list: false, value: served }, media.convert, { convertor: store.def.table, includeObject, noHeaders: !first });
      first = false;
    }
    // Stored objects are serialized once for all watchers (cachedJSON); conversions and bookmarks each time.
    const text = object === event.object ? cachedJSON(event.object, store.def.custom === true) : escapeHtml(JSON.stringify(object));
    return `{"type":"${event.type}","object":${text}}\n`;
  };
  if (startError) {
    res.end(`{"type":"ERROR","object":${JSON.stringify(startError.status)}}\n`);
    return;
  }
  const active = watcher!;
  // Priority and fairness holds the watch's seats until its initial events are sent.
  let initialLeft = active.initialEvents ?? 0;
  if (initialLeft === 0) ctx.state.watchInitialized?.();
  const stop = () => active.stop();
  const timer = setTimeout(stop, watchTimeoutMs(deps, query.timeoutSeconds));
  const signal = ctx.state.shutdownSignal;
  signal?.addEventListener('abort', stop, { once: true });
  res.once('close', stop);
  try {
    for await (const event of active) {
      if (res.destroyed) break;
      // A client that does not read makes us wait here; meanwhile the storage queue fills and drops
      // this watcher (the client re-lists), rather than node buffering without bound.
      if (!res.write(stamp(event))) await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
      if (initialLeft > 0 && --initialLeft === 0) ctx.state.watchInitialized?.();
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
    res.off('close', stop);
    if (!res.destroyed) res.end();
  }
}
