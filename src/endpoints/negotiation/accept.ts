// Response content negotiation as kube-apiserver does it
// (k8s.io/apiserver/pkg/endpoints/handlers/negotiation/negotiate.go, github.com/munnerz/goautoneg):
// the Accept clauses are tried in q order, each against the serializers in the server's order, and
// the first clause whose parameters the endpoint allows wins. A clause the server cannot serve
// (protobuf, or a Table in protobuf) is skipped, so kubectl's
// `application/vnd.kubernetes.protobuf;as=Table;...,application/json;as=Table;...,application/json`
// falls through to the JSON Table.
import { SERIALIZERS, newNotAcceptableMediaTypes, supportedMediaTypes, type SerializerInfo } from './media-types.js';

export interface AcceptClause {
  type: string;
  subType: string;
  q: number;
  params: Record<string, string>;
}

/** goautoneg.ParseAccept: clauses sorted by q (descending), concrete types before wildcards. */
export function parseAccept(header: string): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const rawPart of header.split(',')) {
    const part = rawPart.replace(/^ +| +$/g, '');
    const [mediaRange, ...rawParams] = part.split(';');
    const pieces = mediaRange.split('/');
    const type = pieces[0].replace(/^ +| +$/g, '');
    let subType: string;
    if (pieces.length === 1 && type === '*') subType = '*';
    else if (pieces.length === 2) subType = pieces[1].replace(/^ +| +$/g, '');
    else continue;
    const clause: AcceptClause = { type, subType, q: 1, params: {} };
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const token = param.slice(0, eq).replace(/^ +| +$/g, '');
      const value = param.slice(eq + 1);
      // Go's strconv.ParseFloat leaves 0 on a syntax error, and the value is not trimmed.
      if (token === 'q') clause.q = parseGoFloat(value);
      else clause.params[token] = value.replace(/^ +| +$/g, '');
    }
    clauses.push(clause);
  }
  // goautoneg sorts with sort.Sort; for Accept-sized lists Go's sort is an insertion sort, i.e. stable.
  return clauses
    .map((clause, index) => ({ clause, index }))
    .sort((a, b) => compareClauses(a.clause, b.clause) || a.index - b.index)
    .map((entry) => entry.clause);
}

function parseGoFloat(text: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return 0;
  return Number(text);
}

function less(a: AcceptClause, b: AcceptClause): boolean {
  if (a.q > b.q) return true;
  if (a.type !== '*' && b.type === '*') return true;
  if (a.subType !== '*' && b.subType === '*') return true;
  return false;
}

function compareClauses(a: AcceptClause, b: AcceptClause): number {
  if (less(a, b)) return -1;
  if (less(b, a)) return 1;
  return 0;
}

/** The kind a client asked the response to be converted to (`as`, `g`, `v`). */
export interface ConversionTarget {
  kind: string;
  group: string;
  version: string;
}

export interface MediaTypeOptions {
  serializer: SerializerInfo;
  /** `pretty=1` in the media type. */
  pretty: boolean;
  /** `stream=watch` in the media type. */
  stream: string;
  convert?: ConversionTarget;
  /** Parameters kube does not know; kept for diagnostics, as kube does. */
  unrecognized: string[];
}

/** What the endpoint can produce (kube's EndpointRestrictions, as RequestScope implements them). */
export interface EndpointRestrictions {
  /** The resource has a TableConvertor (kube: scope.TableConvertor != nil). */
  tableSupported: boolean;
}

const META_GROUP = 'meta.k8s.io';
const META_VERSIONS = ['v1', 'v1beta1'];

export function isMetaGroupVersion(target: Pick<ConversionTarget, 'group' | 'version'>): boolean {
  return target.group === META_GROUP && META_VERSIONS.includes(target.version);
}

/** kube's RequestScope.AllowsMediaTypeTransform. */
function allowsTransform(serializer: SerializerInfo, target: ConversionTarget | undefined, restrictions: EndpointRestrictions): boolean {
  if (!target) return true;
  if (!isMetaGroupVersion(target)) return false;
  switch (target.kind) {
    case 'Table':
      return restrictions.tableSupported && serializer.type === 'application' && (serializer.subType === 'json' || serializer.subType === 'yaml');
    case 'PartialObjectMetadata':
    case 'PartialObjectMetadataList':
      return true;
    default:
      return false;
  }
}

/** kube's acceptMediaTypeOptions: undefined when the clause's parameters rule this serializer out. */
function acceptOptions(params: Record<string, string>, serializer: SerializerInfo, restrictions: EndpointRestrictions): MediaTypeOptions | undefined {
  const options: MediaTypeOptions = { serializer, pretty: false, stream: '', unrecognized: [] };
  for (const [key, value] of Object.entries(params)) {
    switch (key) {
      case 'as':
        options.convert = { ...(options.convert ?? { kind: '', group: '', version: '' }), kind: value };
        break;
      case 'g':
        options.convert = { ...(options.convert ?? { kind: '', group: '', version: '' }), group: value };
        break;
      case 'v':
        options.convert = { ...(options.convert ?? { kind: '', group: '', version: '' }), version: value };
        break;
      case 'stream':
        if (value && (!serializer.streaming || value !== 'watch')) return undefined;
        options.stream = value;
        break;
      case 'sv':
        // The server version of the meta group: kube accepts only its own (v1).
        if (value && value !== 'v1') return undefined;
        break;
      case 'export':
        break;
      case 'pretty':
        options.pretty = value === '1';
        break;
      case 'profile':
        break;
      default:
        options.unrecognized.push(key);
    }
  }
  return allowsTransform(serializer, options.convert, restrictions) ? options : undefined;
}

/** kube's NegotiateMediaTypeOptions: undefined when nothing in the Accept header can be served. */
export function negotiateMediaTypeOptions(header: string | undefined, restrictions: EndpointRestrictions): MediaTypeOptions | undefined {
  if (!header) return { serializer: SERIALIZERS[0], pretty: false, stream: '', unrecognized: [] };
  for (const clause of parseAccept(header)) {
    for (const serializer of SERIALIZERS) {
      const matches =
        (clause.type === serializer.type && clause.subType === serializer.subType) ||
        (clause.type === serializer.type && clause.subType === '*') ||
        (clause.type === '*' && clause.subType === '*');
      if (!matches) continue;
      const options = acceptOptions(clause.params, serializer, restrictions);
      if (options) return options;
    }
  }
  return undefined;
}

/** kube's NegotiateOutputMediaType: the negotiated options, or a 406 listing the media types served. */
export function negotiateOutputMediaType(accept: string | undefined, restrictions: EndpointRestrictions): MediaTypeOptions {
  const options = negotiateMediaTypeOptions(accept, restrictions);
  if (!options) throw newNotAcceptableMediaTypes(supportedMediaTypes().mediaTypes);
  return options;
}

/** kube's NegotiateOutputMediaTypeStream for watches: only serializers that can stream (JSON). */
export function negotiateOutputMediaTypeStream(accept: string | undefined, restrictions: EndpointRestrictions): MediaTypeOptions {
  const options = negotiateMediaTypeOptions(accept, restrictions);
  if (!options || !options.serializer.streaming) throw newNotAcceptableMediaTypes(supportedMediaTypes().streamMediaTypes);
  return options;
}

/**
 * The Content-Type of a watch response: kube writes plain `application/json` for JSON watches
 * (k8s.io/apiserver/pkg/endpoints/handlers/watch.go) and `<type>;stream=watch` for the others.
 */
export function watchContentType(serializer: SerializerInfo): string {
  return serializer.mediaType === 'application/json' ? serializer.mediaType : `${serializer.mediaType};stream=watch`;
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];

/**
 * kube's isPrettyPrint: a non-empty `pretty` query parameter decides (strconv.ParseBool, an invalid
 * value meaning false); otherwise curl, Wget and browsers get indented output.
 */
export function isPrettyPrint(prettyQuery: string | undefined, userAgent: string | undefined): boolean {
  if (prettyQuery) return GO_TRUE.includes(prettyQuery);
  const agent = userAgent ?? '';
  return agent.startsWith('curl') || agent.startsWith('Wget') || agent.startsWith('Mozilla/5.0');
}

/** Whether the response is indented: `pretty=1` in the media type, or isPrettyPrint. */
export function wantsPretty(options: MediaTypeOptions, prettyQuery: string | undefined, userAgent: string | undefined): boolean {
  return options.pretty || isPrettyPrint(prettyQuery, userAgent);
}
