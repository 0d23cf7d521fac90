// kube's MutatingAdmissionWebhook: matching webhooks are called one after the other, each on the
// object as the previous ones left it; JSONPatch answers are applied in order; a webhook with
// reinvocationPolicy IfNeeded is called once more when a later webhook changed the object.
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { KubeObject } from '../../registry/resource.js';
import type { ObjectCache } from '../object-cache.js';
import { newInternalError, isStatusError } from '../../endpoints/status.js';
import { applyJsonPatch } from '../../endpoints/patch/json-patch.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { callWebhook } from './call.js';
import { callFailure, ErrCallingWebhook, webhookDenied } from './errors.js';
import { recordFailedOpen, recordMutation, recordPatch, recordWebhookAnnotations } from './audit-annotations.js';
import { appliesToObject, candidateInvocations, type MatchDeps, type WebhookInvocation } from './invocations.js';

/** Replaces the object's content in place: the store holds the same reference. */
function replaceContent(target: KubeObject, source: KubeObject): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

/** The defaults of the object's kind: the resource's own, unless the subresource carries another kind (scale). */
function defaulterFor(attrs: AdmissionAttributes): ((obj: KubeObject) => void) | undefined {
  const def = attrs.resource;
  const sub = attrs.subresource ? def.subresources.find((s) => s.name === attrs.subresource) : undefined;
  if (sub && (sub.kind !== def.kind || (sub.group !== undefined && sub.group !== def.group))) return undefined;
  return def.strategy.defaults;
}

/** Calls one webhook and applies its patch; returns whether the object changed. Leaves kube's audit annotations. */
async function mutateWith(invocation: WebhookInvocation, attrs: AdmissionAttributes, deps: MatchDeps, round: number): Promise<boolean> {
  const name = invocation.hook.name ?? '';
  let changed = false;
  try {
    changed = await callAndPatch(invocation, attrs, deps, round);
    return changed;
  } catch (err) {
    if (err instanceof ErrCallingWebhook) {
      if (invocation.hook.failurePolicy === 'Ignore') {
        recordFailedOpen(attrs, 'mutation', round, invocation.index, name);
        return false;
      }
      throw callFailure(err);
    }
    throw err;
  } finally {
    recordMutation(attrs, round, invocation.index, invocation.configuration, name, changed);
  }
}

async function callAndPatch(invocation: WebhookInvocation, attrs: AdmissionAttributes, deps: MatchDeps, round: number): Promise<boolean> {
  const name = invocation.hook.name ?? '';
  const response = await callWebhook(invocation, attrs, true, deps.resolver);
  recordWebhookAnnotations(attrs, name, response.auditAnnotations);
  for (const warning of response.warnings ?? []) attrs.warn?.(warning);
  if (!response.allowed) throw webhookDenied(name, response.status);
  if (response.patch && response.patchType !== 'JSONPatch') throw new ErrCallingWebhook(name, `unsupported patch type ${JSON.stringify(response.patchType ?? '')}`);
  const object = attrs.object;
  if (!response.patch || !object) return false;
  const requestVersion = object.apiVersion;
  const seenAs = invocation.kind.group ? `${invocation.kind.group}/${invocation.kind.version}` : invocation.kind.version;
  const patch = Buffer.from(response.patch, 'base64');
  let patched: KubeObject;
  try {
    patched = applyJsonPatch({ ...object, apiVersion: seenAs }, patch) as KubeObject;
  } catch (err) {
    throw newInternalError(isStatusError(err) ? err.status.message ?? err.message : err);
  }
  const operations: unknown = JSON.parse(patch.toString('utf8'));
  // An empty patch is no mutation (and no patch annotation), as in kube.
  if (Array.isArray(operations) && operations.length === 0) return false;
  recordPatch(attrs, round, invocation.index, invocation.configuration, name, operations);
  patched.apiVersion = requestVersion;
  // kube decodes the patched object and applies the defaulter before comparing.
  defaulterFor(attrs)?.(patched);
  if (deepEqual(patched, object)) return false;
  replaceContent(object, patched);
  return true;
}

export function mutatingAdmissionWebhook(configs: ObjectCache, deps: MatchDeps): AdmissionPlugin {
  return {
    name: 'MutatingAdmissionWebhook',
    async admit(attrs) {
      const invocations = await candidateInvocations(configs, attrs, deps);
      if (invocations.length === 0) return;
      const reinvoke = new Set<string>();
      const called: WebhookInvocation[] = [];
      for (const invocation of invocations) {
        // objectSelector and matchConditions see the object as the webhooks before left it.
        if (!(await appliesToObject(invocation, attrs, deps))) continue;
        const changed = await mutateWith(invocation, attrs, deps, 0);
        if (changed) for (const earlier of called) if (earlier.hook.reinvocationPolicy === 'IfNeeded') reinvoke.add(earlier.id);
        called.push(invocation);
      }
      for (const invocation of invocations) if (reinvoke.has(invocation.id) && (await appliesToObject(invocation, attrs, deps))) await mutateWith(invocation, attrs, deps, 1);
    },
  };
}
