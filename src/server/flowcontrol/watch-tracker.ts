// kube's WatchTracker: the watches APF let through, by group, resource, namespace and name, so that
// the work estimator knows how many watchers a change will be sent to. A change to an object reaches
// the watches on its resource cluster-wide, in its namespace and on its name. Pod watches pinned to a
// node (fieldSelector spec.nodeName=...) are left out, as kube indexes them.
import type { RequestInfo } from '../request-info.js';

const READ_ONLY_VERBS = new Set(['get', 'list', 'watch', 'proxy']);
/** Resources whose watches kube's cache indexes by a field. */
const INDEXED_FIELDS: Record<string, string> = { pods: 'spec.nodeName' };

export class WatchTracker {
  private readonly counts = new Map<string, number>();

  /** Counts a watch until the returned function is called. */
  register(info: RequestInfo, fieldSelector: string | undefined): () => void {
    const indexField = INDEXED_FIELDS[info.resource];
    if (indexField && exactValue(fieldSelector, indexField)) return () => undefined;
    const key = watchKey(info.apiGroup, info.resource, info.namespace, info.name);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    let forgotten = false;
    return () => {
      if (forgotten) return;
      forgotten = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }

  interestedWatchCount(info: RequestInfo): number {
    if (READ_ONLY_VERBS.has(info.verb) || this.counts.size === 0) return 0;
    let n = this.counts.get(watchKey(info.apiGroup, info.resource, '', '')) ?? 0;
    if (info.namespace) n += this.counts.get(watchKey(info.apiGroup, info.resource, info.namespace, '')) ?? 0;
    if (info.name) n += this.counts.get(watchKey(info.apiGroup, info.resource, info.namespace, info.name)) ?? 0;
    return n;
  }
}

function watchKey(group: string, resource: string, namespace: string, name: string): string {
  return `${group}\0${resource}\0${namespace}\0${name}`;
}

/** A non-empty value the selector pins the field to (kube's RequiresExactMatch). */
function exactValue(selector: string | undefined, field: string): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const m = /^([^=!]+?)\s*==?\s*(.*)$/.exec(term.trim());
    if (m && m[1] === field && m[2] !== '') return m[2];
  }
  return undefined;
}
