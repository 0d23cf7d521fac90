// kube's printPod (pkg/printers/internalversion): NAME READY STATUS RESTARTS AGE, and IP, NODE,
// NOMINATED NODE, READINESS GATES with -o wide. STATUS is the phase refined by container states.
import type { KubeObject } from '../../registry/resource.js';
import { column, translateAge, type PrinterColumn } from '../printing.js';

type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

const isRestartableInit = (c: Item | undefined) => c?.restartPolicy === 'Always';
const conditionTrue = (pod: KubeObject, type: string) => itemsOf(pod.status?.conditions).some((c) => c.type === type && c.status === 'True');

interface PodSummary {
  ready: string;
  reason: string;
  restarts: string;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(t: Item, prefix: string): string {
  if (t.reason) return `${prefix}${t.reason}`;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode ?? 0}`;
}

export function summarizePod(pod: KubeObject, now: number = Date.now()): PodSummary {
  const spec: Item = pod.spec ?? {};
  const status: Item = pod.status ?? {};
  const initSpecs = new Map(itemsOf(spec.initContainers).map((c) => [c.name, c]));
  let total = itemsOf(spec.containers).length + itemsOf(spec.initContainers).filter(isRestartableInit).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;
  let reason: string = status.reason || status.phase || '';
  if (itemsOf(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = itemsOf(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const finishedAt = c.lastState?.terminated?.finishedAt;
    lastRestart = later(lastRestart, finishedAt);
    const restartable = isRestartableInit(initSpecs.get(c.name));
    if (restartable) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, finishedAt);
    }
    const state: Item = c.state ?? {};
    if (state.terminated && (state.terminated.exitCode ?? 0) === 0) continue;
    if (restartable && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (state.terminated) reason = terminatedReason(state.terminated, 'Init:');
    else if (state.waiting?.reason && state.waiting.reason !== 'PodInitializing') reason = `Init:${state.waiting.reason}`;
    else reason = `Init:${i}/${itemsOf(spec.initContainers).length}`;
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = itemsOf(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      const state: Item = c.state ?? {};
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      if (state.waiting?.reason) reason = state.waiting.reason;
      else if (state.terminated) reason = terminatedReason(state.terminated, '');
      else if (c.ready && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${translateAge(lastRestart, now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

function readinessGates(pod: KubeObject): string {
  const gates = itemsOf(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = itemsOf(pod.status?.conditions);
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}

export const podColumns: PrinterColumn[] = [
  { column: column('Ready', 'string', 'Ready containers out of all containers of the pod.'), cell: (p) => summarizePod(p).ready },
  { column: column('Status', 'string', 'The phase of the pod, or what its containers are doing.'), cell: (p) => summarizePod(p).reason },
  { column: column('Restarts', 'string', 'How many times the containers of the pod restarted.'), cell: (p) => summarizePod(p).restarts },
];

export const podWideColumns: PrinterColumn[] = [
  { column: column('IP', 'string', 'The IP address of the pod.', 1), cell: (p) => itemsOf(p.status?.podIPs)[0]?.ip || '<none>' },
  { column: column('Node', 'string', 'The node the pod runs on.', 1), cell: (p) => p.spec?.nodeName || '<none>' },
  { column: column('Nominated Node', 'string', 'The node the scheduler nominated for the pod.', 1), cell: (p) => p.status?.nominatedNodeName || '<none>' },
  { column: column('Readiness Gates', 'string', 'Readiness gates that are true, out of all of them.', 1), cell: readinessGates },
];
