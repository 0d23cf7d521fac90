// kube's tokens controller (pkg/controller/serviceaccount/tokens_controller.go, v1.32; it runs in
// kube-controller-manager, here in the server): a Secret of type kubernetes.io/service-account-token
// naming an account gets the account's uid annotation, a legacy token signed for it (`token`), the
// cluster's CA (`ca.crt`) and its namespace (`namespace`); a token Secret whose account does not
// exist (or exists with another uid) is deleted, as are an account's token Secrets when the account
// goes; a deleted token Secret leaves the account's `secrets` list. Since kube 1.24 no Secret is
// created for an account: only Secrets someone made are filled.
import type { Logger } from 'pino';
import type { Storage } from '../storage/interface.js';
import type { KubeObject } from '../registry/resource.js';
import type { RequestContext, Store } from '../registry/store.js';
import { StatusError } from '../endpoints/status.js';
import { SERVICE_ACCOUNT_NAME_KEY } from './core/secrets.js';

export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SERVICE_ACCOUNT_UID_KEY = 'kubernetes.io/service-account.uid';

const MAX_RETRIES = 10;
const WATCH_RETRY_MS = 500;

const CONTROLLER: RequestContext = {
  user: { name: 'system:kube-controller-manager', groups: ['system:authenticated'] },
  dryRun: false,
  fieldManager: 'kube-controller-manager',
  subresource: '',
};

export interface TokensControllerDeps {
  storage: Storage;
  secrets: Store;
  serviceAccounts: Store;
  /** Signs a legacy token for the account into the named Secret. */
  generateToken(sa: { namespace: string; name: string; uid: string }, secretName: string): Promise<string>;
  /** The CA a client of this server trusts (kube: --root-ca-file, else the controller's own CA). */
  rootCA?: string;
  logger: Logger;
}

const decoded = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0));
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const ignore = (...codes: number[]) => (err: unknown) => {
  if (err instanceof StatusError && codes.includes(err.code)) return undefined;
  throw err;
};

/** serviceaccount.IsServiceAccountToken: a token Secret for this account (a uid annotation must match). */
function isTokenFor(secret: KubeObject, sa: { name: string; uid: string }): boolean {
  if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return false;
  const annotations = secret.metadata?.annotations ?? {};
  if (annotations[SERVICE_ACCOUNT_NAME_KEY] !== sa.name) return false;
  const uid = annotations[SERVICE_ACCOUNT_UID_KEY] ?? '';
  return uid === '' || uid === sa.uid;
}

export class ServiceAccountTokensController {
  private readonly queue = new Map<string, () => Promise<void>>();
  private readonly retries = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly watchers: Array<() => void> = [];
  private running = false;
  private stopped = false;

  constructor(private readonly deps: TokensControllerDeps) {}

  async start(): Promise<void> {
    const { secrets, serviceAccounts } = this.deps;
    await this.watch(secrets.prefix(''), (type, secret) => {
      if (secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return;
      const ns = secret.metadata.namespace ?? '';
      const name = secret.metadata.name;
      if (type === 'DELETED') {
        const annotations = secret.metadata.annotations ?? {};
        const account = { name: annotations[SERVICE_ACCOUNT_NAME_KEY] ?? '', uid: annotations[SERVICE_ACCOUNT_UID_KEY] ?? '' };
        this.enqueue(`unreference ${ns}/${name}`, () => this.removeSecretReference(ns, account, name));
      } else this.enqueue(`secret ${ns}/${name}`, () => this.syncSecret(ns, name));
    });
    await this.watch(serviceAccounts.prefix(''), (type, sa) => {
      if (type !== 'DELETED') return;
      const ns = sa.metadata.namespace ?? '';
      const account = { name: sa.metadata.name, uid: sa.metadata.uid ?? '' };
      this.enqueue(`account ${ns}/${account.name}/${account.uid}`, () => this.deleteTokens(ns, account));
    });
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.watchers) stop();
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** A token Secret that exists: deleted without its account, else filled in where it lacks something. */
  private async syncSecret(namespace: string, name: string): Promise<void> {
    const secret = await this.deps.secrets.get(namespace, name).catch(ignore(404));
    if (!secret || secret.type !== SERVICE_ACCOUNT_TOKEN_TYPE || secret.metadata.deletionTimestamp) return;
    const annotations = secret.metadata.annotations ?? {};
    const saName = annotations[SERVICE_ACCOUNT_NAME_KEY] ?? '';
    const saUID = annotations[SERVICE_ACCOUNT_UID_KEY] ?? '';
    const sa = saName ? await this.deps.serviceAccounts.get(namespace, saName).catch(ignore(404)) : undefined;
    if (!sa || (saUID && sa.metadata.uid !== saUID)) {
      // NotFound: gone already; Conflict: the uid precondition failed (another Secret by that name).
      await this.deps.secrets.delete(namespace, name, { preconditions: { uid: secret.metadata.uid } }, CONTROLLER).catch(ignore(404, 409));
      return;
    }
    if (!this.updateNeeded(secret)) return;
    const account = { namespace, name: sa.metadata.name as string, uid: sa.metadata.uid as string };
    await this.deps.secrets
      .update(
        namespace,
        name,
        async (current) => {
          if (!current || current.metadata.uid !== secret.metadata.uid) throw new StatusError(409, 'Conflict', 'the token Secret changed');
          const next = structuredClone(current);
          const data = (next.data ??= {});
          if (this.deps.rootCA && !decoded(data['ca.crt']).equals(Buffer.from(this.deps.rootCA))) data['ca.crt'] = base64(this.deps.rootCA);
          if (decoded(data.namespace).length === 0) data.namespace = base64(namespace);
          if (decoded(data.token).length === 0) data.token = base64(await this.deps.generateToken(account, name));
          next.metadata.annotations = { ...next.metadata.annotations, [SERVICE_ACCOUNT_NAME_KEY]: account.name, [SERVICE_ACCOUNT_UID_KEY]: account.uid };
          return next;
        },
        CONTROLLER,
      )
      // Changed or gone meanwhile: the watch brings it back if there is still work.
      .catch(ignore(404, 409));
  }

  /** secretUpdateNeeded: the CA differs, or the namespace or token is missing. */
  private updateNeeded(secret: KubeObject): boolean {
    const data = secret.data ?? {};
    const needsCA = !!this.deps.rootCA && !decoded(data['ca.crt']).equals(Buffer.from(this.deps.rootCA));
    return needsCA || decoded(data.namespace).length === 0 || decoded(data.token).length === 0;
  }

  /** An account went: its token Secrets go too. */
  private async deleteTokens(namespace: string, account: { name: string; uid: string }): Promise<void> {
    const { items } = await this.deps.secrets.list(namespace, {});
    for (const secret of items as KubeObject[]) {
      if (!isTokenFor(secret, account)) continue;
      await this.deps.secrets.delete(namespace, secret.metadata.name, { preconditions: { uid: secret.metadata.uid } }, CONTROLLER).catch(ignore(404, 409));
    }
  }

  /** A token Secret went: the account (when it is still the same one) stops listing it. */
  private async removeSecretReference(namespace: string, account: { name: string; uid: string }, secretName: string): Promise<void> {
    if (!account.name) return;
    const sa = await this.deps.serviceAccounts.get(namespace, account.name).catch(ignore(404));
    if (!sa || (account.uid && sa.metadata.uid !== account.uid)) return;
    const listed = (refs: unknown) => (Array.isArray(refs) ? refs : []).some((ref) => (ref as { name?: unknown } | null)?.name === secretName);
    if (!listed(sa.secrets)) return;
    await this.deps.serviceAccounts
      .update(
        namespace,
        account.name,
        (current) => {
          if (!current || (account.uid && current.metadata.uid !== account.uid)) throw new StatusError(404, 'NotFound', 'the service account is gone');
          const next = structuredClone(current);
          next.secrets = (next.secrets as Array<{ name?: string }>).filter((ref) => ref?.name !== secretName);
          return next;
        },
        CONTROLLER,
      )
      .catch(ignore(404, 409));
  }

  private enqueue(key: string, work: () => Promise<void>, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.enqueue(key, work);
      }, delayMs);
      this.timers.add(timer);
      return;
    }
    this.queue.set(key, work);
    void this.drain();
  }

  /** One item at a time, in order; a failed item is retried with a growing delay, ten times at most. */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped && this.queue.size > 0) {
        const [key, work] = this.queue.entries().next().value as [string, () => Promise<void>];
        this.queue.delete(key);
        try {
          await work();
          this.retries.delete(key);
        } catch (err) {
          const attempt = (this.retries.get(key) ?? 0) + 1;
          this.deps.logger.warn({ err, key, attempt }, 'service account token controller: sync failed');
          if (attempt >= MAX_RETRIES) this.retries.delete(key);
          else {
            this.retries.set(key, attempt);
            this.enqueue(key, work, Math.min(10_000, 100 * 2 ** attempt));
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Watches a prefix from now (current objects first); a watch that ends is started again. */
  private async watch(prefix: string, onEvent: (type: string, obj: KubeObject) => void): Promise<void> {
    const watcher = await this.deps.storage.watch(prefix, { resourceVersion: '', recursive: true, sendInitialEvents: true });
    this.watchers.push(() => watcher.stop());
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) return;
        if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') onEvent(event.type, event.object as KubeObject);
      }
    })()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'service account token controller watch ended'))
      .finally(() => {
        if (this.stopped) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.watch(prefix, onEvent).catch((err: unknown) => this.deps.logger.warn({ err }, 'service account token controller could not watch again'));
        }, WATCH_RETRY_MS);
        this.timers.add(timer);
      });
  }
}
