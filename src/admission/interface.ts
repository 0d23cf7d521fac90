// Admission: mutating then validating plugins between decoding and storage (kube's admission.Interface).
import type { UserInfo } from '../auth/user.js';
import type { KubeObject, ResourceDefinition } from '../registry/resource.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  resource: ResourceDefinition;
  subresource: string;
  namespace: string;
  name: string;
  /** The object being written (mutable for mutating plugins); absent for DELETE. */
  object?: KubeObject;
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
  /** The operation's options as the client sent them (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions). */
  options?: Record<string, unknown>;
  /** Adds a `Warning: 299` header to the response. */
  warn?(text: string): void;
  /**
   * admission.Attributes.AddAnnotationWithLevel: an annotation on the request's audit event when the
   * request is audited at `level` (default Metadata) or above; the first value of a key stays.
   */
  addAuditAnnotation?(key: string, value: string, level?: 'Metadata' | 'Request'): void;
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating phase: may change attrs.object. */
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Validating phase: may only refuse (throw a StatusError). */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

/** Runs every plugin's admit, then (separately) every plugin's validate, in order. */
export class AdmissionChain {
  private readonly plugins: AdmissionPlugin[] = [];

  add(plugin: AdmissionPlugin): void {
    this.plugins.push(plugin);
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.admit) await plugin.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.plugins) if (plugin.validate) await plugin.validate(attrs);
  }
}
