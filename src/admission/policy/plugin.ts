// kube's ValidatingAdmissionPolicy admission plugin (its validating dispatcher): every policy that
// matches the request (matchConstraints) is evaluated for each of its bindings that matches too
// (matchResources), once per parameter object. A failed validation acts as the binding's
// validationActions say: Deny refuses the request, Warn adds a warning, Audit records the
// `validation.policy.admission.k8s.io/validation_failure` audit annotation. A policy's
// auditAnnotations become `<policy>/<key>` audit annotations. Configuration errors (params) refuse
// under failurePolicy Fail whatever the actions. Every policy is evaluated before the first denial
// is returned, so warnings and audit annotations of all of them are recorded.
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectCache } from '../object-cache.js';
import type { Storage, StoredObject } from '../../storage/interface.js';
import type { ValidatingAdmissionPolicyBindingSpec, ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';
import { newForbidden, newNotFound, StatusError, type StatusReason } from '../../endpoints/status.js';
import { isExemptAdmissionConfigurationResource } from '../rules.js';
import { matchAttributes, requestVariable, type MatchDeps } from '../webhook/invocations.js';
import { admissionVariables } from '../cel/variables.js';
import { bindingMatches, matchResources } from './match.js';
import { evaluatePolicy } from './evaluate.js';
import type { ParamLookup } from './params.js';
import { AuditAnnotationCollector, validationFailureAnnotation, VALIDATION_FAILURE_ANNOTATION } from './audit-annotations.js';

export interface PolicyDeps extends MatchDeps {
  params: ParamLookup;
  storage: Storage;
  namespaceKey(name: string): string;
}

/** A denial: the policy, the binding (absent for a policy's own configuration error), the message and reason. */
export interface Denial {
  policy: string;
  binding?: string;
  message: string;
  /** The Status reason the validation names ('' → Invalid). */
  reason: string;
}

const REASON_CODES: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

/** kube's denial: admission.NewForbidden with the policy's message, then the validation's reason and code. */
export function policyDenied(attrs: AdmissionAttributes, denial: Denial): StatusError {
  const message = denial.binding !== undefined
    ? `ValidatingAdmissionPolicy '${denial.policy}' with binding '${denial.binding}' denied request: ${denial.message}`
    : `ValidatingAdmissionPolicy '${denial.policy}' denied request: ${denial.message}`;
  const name = attrs.name || attrs.object?.metadata?.name || attrs.oldObject?.metadata?.name || '';
  const forbidden = newForbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
  const reason = denial.reason || 'Invalid';
  const details = { ...(forbidden.status.details ?? {}), causes: [...(forbidden.status.details?.causes ?? []), { message }] };
  return new StatusError(REASON_CODES[reason] ?? 422, reason as StatusReason, forbidden.status.message ?? '', details);
}

/** The bindings of each policy, by policy name, in the cache's order. */
function bindingsByPolicy(bindings: ObjectCache): Map<string, StoredObject[]> {
  const out = new Map<string, StoredObject[]>();
  for (const binding of bindings.items()) {
    const name = ((binding.spec ?? {}) as ValidatingAdmissionPolicyBindingSpec).policyName ?? '';
    const list = out.get(name);
    if (list) list.push(binding);
    else out.set(name, [binding]);
  }
  return out;
}

export function validatingAdmissionPolicy(policies: ObjectCache, bindings: ObjectCache, deps: PolicyDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionPolicy',
    async validate(attrs) {
      if (bindings.items().length === 0) return;
      const match = matchAttributes(attrs);
      if (isExemptAdmissionConfigurationResource(match.resource)) return;
      const byPolicy = bindingsByPolicy(bindings);
      const denials: Denial[] = [];
      let namespaceObject: StoredObject | null | undefined;
      for (const policy of policies.items()) {
        const policyName = policy.metadata.name;
        const policyBindings = byPolicy.get(policyName);
        if (!policyBindings) continue;
        const spec = (policy.spec ?? {}) as ValidatingAdmissionPolicySpec;
        const failurePolicy = spec.failurePolicy ?? 'Fail';
        const configError = (message: string, binding?: string) => {
          if (failurePolicy === 'Ignore') return;
          const text = binding === undefined ? `failed to configure policy: ${message}` : `failed to configure binding: ${message}`;
          denials.push({ policy: policyName, binding, message: text, reason: '' });
        };
        const invocation = await matchResources(spec.matchConstraints, match, attrs.name, deps);
        if (invocation === 'NotFound') throw newNotFound({ group: '', resource: 'namespaces' }, match.namespace);
        if (!invocation) continue;
        const paramResource = spec.paramKind ? deps.params.resolve(spec.paramKind) : undefined;
        if (spec.paramKind && !paramResource) {
          configError(`failed to find resource referenced by paramKind: '${spec.paramKind.apiVersion ?? ''}, Kind=${spec.paramKind.kind ?? ''}'`);
          continue;
        }
        const request = requestVariable(attrs, match, invocation);
        const annotations = new AuditAnnotationCollector();
        for (const binding of policyBindings) {
          const bindingName = binding.metadata.name;
          const bindingSpec = (binding.spec ?? {}) as ValidatingAdmissionPolicyBindingSpec;
          const bound = await bindingMatches(bindingSpec.matchResources, match, attrs.name, deps);
          if (bound === 'NotFound') throw newNotFound({ group: '', resource: 'namespaces' }, match.namespace);
          if (!bound) continue;
          const collected = paramResource ? await deps.params.collect(paramResource, bindingSpec.paramRef, match.namespace) : { params: [null] };
          if ('error' in collected) {
            configError(collected.error, bindingName);
            continue;
          }
          if (collected.params.length === 0) continue;
          if (namespaceObject === undefined) {
            namespaceObject = match.namespace ? await deps.storage.get(deps.namespaceKey(match.namespace), { ignoreNotFound: true }) : null;
          }
          const actions = bindingSpec.validationActions ?? [];
          for (const param of collected.params) {
            const vars = admissionVariables({ object: attrs.object, oldObject: attrs.oldObject, request, params: param, namespaceObject, authorizer: deps.authorizer, attrs });
            const result = await evaluatePolicy(spec, failurePolicy, vars);
            for (const failure of result.failures) {
              for (const action of actions) {
                if (action === 'Deny') denials.push({ policy: policyName, binding: bindingName, message: failure.message, reason: failure.reason });
                else if (action === 'Warn') attrs.warn?.(`Validation failed for ValidatingAdmissionPolicy '${policyName}' with binding '${bindingName}': ${failure.message}`);
                else if (action === 'Audit') attrs.addAuditAnnotation?.(VALIDATION_FAILURE_ANNOTATION, validationFailureAnnotation(policyName, bindingName, actions, failure));
              }
            }
            for (const annotation of result.auditAnnotations) {
              if ('error' in annotation) denials.push({ policy: policyName, binding: bindingName, message: annotation.error, reason: '' });
              else annotations.add(annotation.key, annotation.value);
            }
          }
        }
        annotations.publish(policyName, attrs);
      }
      if (denials.length > 0) throw policyDenied(attrs, denials[0]);
    },
  };
}
