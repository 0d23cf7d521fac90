// POST .../serviceaccounts/<name>/token: the body is a TokenRequest (JSON, YAML or protobuf, as
// kubectl's typed client sends it); the answer is the TokenRequest with its status filled, 201.
import type { KubeContext } from '../../server/context.js';
import type { KubeObject } from '../../registry/resource.js';
import type { EndpointDeps, SubresourceHandler } from '../../endpoints/handlers/deps.js';
import { readBody } from '../../endpoints/read-body.js';
import { newBadRequest } from '../../endpoints/status.js';
import { decodeBody, negotiateInputFormat } from '../../endpoints/negotiation/decode.js';
import { decodeProtobufBody, isProtobufContentType } from '../../endpoints/protobuf/index.js';
import { parseWriteQuery } from '../../endpoints/handlers/params.js';
import { writeObject } from '../../endpoints/handlers/io.js';
import { addWarning } from '../../endpoints/warnings.js';
import {
  createServiceAccountToken,
  TOKEN_REQUEST_API_VERSION,
  TOKEN_REQUEST_GROUP,
  TOKEN_REQUEST_KIND,
  TOKEN_REQUEST_VERSION,
  type TokenRequestDeps,
} from './serviceaccount-token.js';

async function decodeTokenRequest(ctx: KubeContext, deps: EndpointDeps): Promise<KubeObject> {
  const contentType = ctx.get('content-type') || undefined;
  const raw = await readBody(ctx.req, deps.maxRequestBodyBytes);
  let body: KubeObject | null;
  if (isProtobufContentType(contentType)) {
    body = decodeProtobufBody(raw, { group: TOKEN_REQUEST_GROUP, version: TOKEN_REQUEST_VERSION, kind: TOKEN_REQUEST_KIND }).object as KubeObject;
  } else {
    body = decodeBody(raw, negotiateInputFormat(contentType), { kind: TOKEN_REQUEST_KIND, version: TOKEN_REQUEST_VERSION }).object as KubeObject | null;
  }
  if (body === null) throw newBadRequest(`the object provided is unrecognized (must be of type ${TOKEN_REQUEST_KIND}): Object 'Kind' is missing in 'null'`);
  if (body.apiVersion !== undefined && body.apiVersion !== TOKEN_REQUEST_API_VERSION) {
    throw newBadRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${TOKEN_REQUEST_API_VERSION})`);
  }
  if (body.kind !== undefined && body.kind !== TOKEN_REQUEST_KIND) {
    throw newBadRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${TOKEN_REQUEST_KIND})`);
  }
  return body;
}

export function serviceAccountTokenHandler(tokenDeps: TokenRequestDeps): SubresourceHandler {
  return async (ctx, _store, deps) => {
    const info = ctx.state.requestInfo;
    parseWriteQuery(ctx, 'CreateOptions');
    const request = await decodeTokenRequest(ctx, deps);
    const { tokenRequest, warnings } = await createServiceAccountToken(info.namespace, info.name, request, tokenDeps);
    for (const warning of warnings) addWarning(ctx, warning);
    writeObject(ctx, 201, tokenRequest);
  };
}
