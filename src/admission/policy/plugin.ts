// kube's ValidatingAdmissionPolicy admission plugin: every binding whose policy matches the request
// (matchConstraints, the binding's matchResources, matchConditions) evaluates the policy's validations
// once per parameter object; failures act as the binding's validationActions say: Deny refuses the
// request with kube's message, Warn adds a warning, Audit is recorded nowhere yet.
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectCache } from '../object-cache.js';
import type { Storage, StoredObject } from '../../storage/interface.js';
import type { ValidatingAdmissionPolicyBindingSpec, ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';
import { newForbidden, newNotFound, StatusError, type StatusReason } from '../../endpoints/status.js';
import { isExemptAdmissionConfigurationResource } from '../rules.js';
import { matchAttributes, requestVariable, type MatchDeps } from '../webhook/invocations.js';
import { evaluateMatchConditions } from '../webhook/conditions.js';
import { toCel } from '../cel/environment.js';
import { bindingMatches, matchResources } from './match.js';
import { compilePolicy, evaluatePolicy, type Failure } from './evaluate.js';
import type { ParamLookup } from './params.js';

export interface PolicyDeps extends MatchDeps {
  params: ParamLookup;
  storage: Storage;
  namespaceKey(name: string): string;
}

const REASON_CODES: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

/** kube's denial: admission.NewForbidden with the policy's message, then the validation's reason and code. */
export function policyDenied(attrs: AdmissionAttributes, policy: string, binding: string, failure: Failure): StatusError {
  const message = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: ${failure.message}`;
  const name = attrs.name || attrs.object?.metadata?.name || attrs.oldObject?.metadata?.name || '';
  const forbidden = newForbidden({ group: attrs.resource.group, resource: attrs.resource.resource }, name, message);
  const reason = failure.reason || 'Invalid';
  const details = { ...(forbidden.status.details ?? {}), causes: [...(forbidden.status.details?.causes ?? []), { message }] };
  return new StatusError(REASON_CODES[reason] ?? 422, reason as StatusReason, forbidden.status.message ?? '', details);
}

export function validatingAdmissionPolicy(policies: ObjectCache, bindings: ObjectCache, deps: PolicyDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionPolicy',
    async validate(attrs) {
      if (bindings.items().length === 0) return;
      const match = matchAttributes(attrs);
      if (isExemptAdmissionConfigurationResource(match.resource)) return;
      const byName = new Map(policies.items().map((p) => [p.metadata.name, p]));
      let namespaceObject: StoredObject | null | undefined;
      for (const binding of bindings.items()) {
        const bindingSpec = (binding.spec ?? {}) as ValidatingAdmissionPolicyBindingSpec;
        const policy = byName.get(bindingSpec.policyName ?? '');
        if (!policy) continue;
        const spec = (policy.spec ?? {}) as ValidatingAdmissionPolicySpec;
        const failurePolicy = spec.failurePolicy ?? 'Fail';
        const invocation = await matchResources(spec.matchConstraints, match, attrs.name, deps);
        if (invocation === 'NotFound') throw newNotFound({ group: '', resource: 'namespaces' }, match.namespace);
        if (!invocation) continue;
        const bound = await bindingMatches(bindingSpec.matchResources, match, attrs.name, deps);
        if (bound === 'NotFound') throw newNotFound({ group: '', resource: 'namespaces' }, match.namespace);
        if (!bound) continue;
        const request = requestVariable(attrs, match, invocation);
        if (namespaceObject === undefined) {
          namespaceObject = match.namespace ? await deps.storage.get(deps.namespaceKey(match.namespace), { ignoreNotFound: true }) : null;
        }
        const failures: Failure[] = [];
        const deny = (message: string) => failures.push({ message, reason: '' });
        let params: Array<StoredObject | null> = [null];
        if (spec.paramKind) {
          const ref = bindingSpec.paramRef;
          if (!ref) {
            if (failurePolicy === 'Fail') deny('failed to configure binding: no paramRef in binding');
            params = [];
          } else {
            const found = await deps.params.find(spec.paramKind, ref, match.namespace);
            if (found === undefined) {
              if (failurePolicy === 'Fail') deny(`failed to configure policy: failed to find resource referenced by paramKind: '${spec.paramKind.apiVersion}, Kind=${spec.paramKind.kind}'`);
              params = [];
            } else if (found.length === 0) {
              if ((ref.parameterNotFoundAction ?? 'Deny') === 'Deny') deny('no params found for policy binding with `Deny` parameterNotFoundAction');
              params = [];
            } else params = found;
          }
        }
        for (const param of params) {
          const input = { object: attrs.object ?? null, oldObject: attrs.oldObject ?? null, request, params: param, namespaceObject };
          if (spec.matchConditions && spec.matchConditions.length > 0) {
            const vars = { object: toCel(input.object), oldObject: toCel(input.oldObject), request: toCel(request), params: toCel(param), namespaceObject: toCel(namespaceObject), authorizer: null, variables: {} };
            const result = evaluateMatchConditions(spec.matchConditions, vars, failurePolicy);
            if ('error' in result) {
              deny(result.error);
              continue;
            }
            if (!result.matches) continue;
          }
          failures.push(...evaluatePolicy(compilePolicy(spec), failurePolicy, input));
        }
        const actions = bindingSpec.validationActions ?? [];
        for (const failure of failures) {
          if (actions.includes('Warn')) attrs.warn?.(`Validation failed for ValidatingAdmissionPolicy '${policy.metadata.name}' with binding '${binding.metadata.name}': ${failure.message}`);
        }
        if (failures.length > 0 && actions.includes('Deny')) throw policyDenied(attrs, policy.metadata.name, binding.metadata.name, failures[0]);
      }
    },
  };
}
