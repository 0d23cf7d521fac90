// kube's ValidatingAdmissionPolicy status controller (kube-controller-manager's
// validatingadmissionpolicy-status-controller): a policy whose metadata.generation is newer than its
// status.observedGeneration is type-checked and gets `status: {observedGeneration, typeChecking:
// {expressionWarnings}}` through the status subresource. Policies are handled one at a time; a failed
// write is retried.
import type { Logger } from 'pino';
import type { ObjectCache } from '../object-cache.js';
import type { RequestContext, Store } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import type { ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';
import { MASTERS_GROUP } from '../../auth/user.js';
import { typeCheckPolicy, type SchemaSource } from './type-checking.js';

export const POLICY_STATUS_CONTROLLER = 'validatingadmissionpolicy-status-controller';
const RETRY_MS = 1000;

const CONTROLLER: RequestContext = {
  user: { name: 'system:kube-controller-manager', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: POLICY_STATUS_CONTROLLER,
  subresource: 'status',
};

function generationOf(policy: KubeObject): number {
  return typeof policy.metadata.generation === 'number' ? policy.metadata.generation : 0;
}

function observedGenerationOf(policy: KubeObject): number {
  const observed = (policy.status as { observedGeneration?: unknown } | undefined)?.observedGeneration;
  return typeof observed === 'number' ? observed : 0;
}

/** Starts reconciling; returns a stop function. */
export function startPolicyStatusController(policies: ObjectCache, store: Store, source: SchemaSource, logger?: Pick<Logger, 'warn'>): () => void {
  const queue = new Set<string>();
  let running = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  /** The generation last written for each policy, by uid (the cache may not show the write yet). */
  const written = new Map<string, number>();

  const reconcile = async (name: string): Promise<void> => {
    const policy = policies.items().find((p) => p.metadata.name === name);
    if (!policy || generationOf(policy) <= observedGenerationOf(policy) || written.get(policy.metadata.uid ?? name) === generationOf(policy)) return;
    const generation = generationOf(policy);
    const warnings = typeCheckPolicy((policy.spec ?? {}) as ValidatingAdmissionPolicySpec, source);
    const typeChecking = warnings.length > 0 ? { expressionWarnings: warnings } : {};
    await store.update('', name, (current) => {
      if (!current || current.metadata.uid !== policy.metadata.uid || generationOf(current) !== generation) throw new Error('the policy changed meanwhile');
      return { ...current, status: { ...(current.status ?? {}), observedGeneration: generation, typeChecking } };
    }, CONTROLLER);
    written.set(policy.metadata.uid ?? name, generation);
  };

  const drain = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      while (queue.size > 0 && !stopped) {
        const [name] = queue;
        queue.delete(name);
        try {
          await reconcile(name);
        } catch (err) {
          logger?.warn({ err: (err as Error).message, policy: name }, 'validating admission policy status not updated; retrying');
          clearTimeout(retry);
          retry = setTimeout(() => enqueueAll(), RETRY_MS);
        }
      }
    } finally {
      running = false;
    }
  };

  const enqueueAll = (): void => {
    if (stopped) return;
    for (const policy of policies.items()) if (generationOf(policy) > observedGenerationOf(policy)) queue.add(policy.metadata.name);
    void drain();
  };

  policies.onChange(enqueueAll);
  enqueueAll();
  return () => {
    stopped = true;
    clearTimeout(retry);
  };
}
