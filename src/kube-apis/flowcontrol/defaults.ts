// kube's SetDefaults_* for flowcontrol/v1: matchingPrecedence 1000; a Limited level's shares 30 and
// lendablePercent 0; queuing 64 queues, hand size 8, queue length limit 50; an Exempt level's shares
// and lendablePercent 0.
import type { KubeObject } from '../../registry/resource.js';

export function defaultFlowSchema(obj: KubeObject): void {
  const spec = obj.spec;
  if (!spec || typeof spec !== 'object') return;
  if (spec.matchingPrecedence === undefined || spec.matchingPrecedence === 0) spec.matchingPrecedence = 1000;
}

export function defaultPriorityLevel(obj: KubeObject): void {
  const spec = obj.spec;
  if (!spec || typeof spec !== 'object') return;
  const limited = spec.limited;
  if (limited && typeof limited === 'object') {
    limited.nominalConcurrencyShares ??= 30;
    limited.lendablePercent ??= 0;
    const queuing = limited.limitResponse?.queuing;
    if (queuing && typeof queuing === 'object') {
      if (!queuing.queues) queuing.queues = 64;
      if (!queuing.handSize) queuing.handSize = 8;
      if (!queuing.queueLengthLimit) queuing.queueLengthLimit = 50;
    }
  }
  const exempt = spec.exempt;
  if (exempt && typeof exempt === 'object') {
    exempt.nominalConcurrencyShares ??= 0;
    exempt.lendablePercent ??= 0;
  }
}
