// Encodes a discovery document as kube's serializers do: compact JSON with json.Encoder's trailing
// newline, indented JSON (MarshalIndent, no newline) when pretty, YAML with sorted keys (sigs.k8s.io/yaml).
import { dump } from 'js-yaml';
import type { KubeContext } from '../../server/context.js';
import { isPrettyPrint } from '../../endpoints/negotiation/accept.js';
import type { DiscoveryMediaType } from './negotiate.js';

export function encodeDocument(doc: unknown, media: DiscoveryMediaType, pretty: boolean): string {
  if (media.serializer.subType === 'yaml') return dump(doc, { sortKeys: true, lineWidth: -1, noRefs: true });
  return pretty ? JSON.stringify(doc, null, 2) : `${JSON.stringify(doc)}\n`;
}

export function wantsPrettyOutput(ctx: KubeContext, media: DiscoveryMediaType): boolean {
  const query = ctx.query.pretty;
  return media.pretty || isPrettyPrint(typeof query === 'string' ? query : undefined, ctx.get('User-Agent') || undefined);
}

export function writeDocument(ctx: KubeContext, doc: unknown, media: DiscoveryMediaType, contentType: string = media.serializer.mediaType): void {
  ctx.status = 200;
  ctx.body = encodeDocument(doc, media, wantsPrettyOutput(ctx, media));
  ctx.set('Content-Type', contentType);
}
