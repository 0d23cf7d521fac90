// Content negotiation for discovery, as kube's NegotiateMediaTypeOptions with the two restrictions
// discovery uses: DefaultEndpointRestrictions (no conversions, no server version) for the legacy
// documents and DiscoveryEndpointRestrictions (only apidiscovery.k8s.io APIGroupDiscoveryList) for
// aggregated discovery (k8s.io/apiserver/pkg/endpoints/discovery/aggregated/negotiation.go).
import { parseAccept } from '../../endpoints/negotiation/accept.js';
import { SERIALIZERS, type SerializerInfo } from '../../endpoints/negotiation/media-types.js';

export const AGGREGATED_DISCOVERY_GROUP = 'apidiscovery.k8s.io';
export const AGGREGATED_DISCOVERY_KIND = 'APIGroupDiscoveryList';
export type AggregatedVersion = 'v2' | 'v2beta1';

export interface DiscoveryMediaType {
  serializer: SerializerInfo;
  /** `pretty=1` in the media type. */
  pretty: boolean;
  /** Set when the clause asked for aggregated discovery. */
  aggregated?: AggregatedVersion;
}

function isAggregatedTarget(group: string, version: string, kind: string): version is AggregatedVersion {
  return group === AGGREGATED_DISCOVERY_GROUP && (version === 'v2' || version === 'v2beta1') && kind === AGGREGATED_DISCOVERY_KIND;
}

function clauseOptions(params: Record<string, string>, serializer: SerializerInfo, allowAggregated: boolean): DiscoveryMediaType | undefined {
  let convert: { group: string; version: string; kind: string } | undefined;
  let pretty = false;
  for (const [key, value] of Object.entries(params)) {
    switch (key) {
      case 'as':
        convert = { ...(convert ?? { group: '', version: '', kind: '' }), kind: value };
        break;
      case 'g':
        convert = { ...(convert ?? { group: '', version: '', kind: '' }), group: value };
        break;
      case 'v':
        convert = { ...(convert ?? { group: '', version: '', kind: '' }), version: value };
        break;
      case 'sv':
        // Neither restriction allows a server version.
        if (value) return undefined;
        break;
      case 'stream':
        if (value && (value !== 'watch' || !serializer.streaming)) return undefined;
        break;
      case 'pretty':
        pretty = value === '1';
        break;
      default:
        break;
    }
  }
  if (!convert) return { serializer, pretty };
  if (allowAggregated && isAggregatedTarget(convert.group, convert.version, convert.kind)) return { serializer, pretty, aggregated: convert.version as AggregatedVersion };
  return undefined;
}

/** The first Accept clause the endpoint can serve, in kube's order; undefined when none. */
export function negotiateDiscovery(accept: string | undefined, allowAggregated: boolean): DiscoveryMediaType | undefined {
  if (!accept) return { serializer: SERIALIZERS[0], pretty: false };
  for (const clause of parseAccept(accept)) {
    for (const serializer of SERIALIZERS) {
      const matches =
        (clause.type === serializer.type && (clause.subType === serializer.subType || clause.subType === '*')) ||
        (clause.type === '*' && clause.subType === '*');
      if (!matches) continue;
      const options = clauseOptions(clause.params, serializer, allowAggregated);
      if (options) return options;
    }
  }
  return undefined;
}
