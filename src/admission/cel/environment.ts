// The CEL environment of admission (kube's admission CEL: matchConditions of webhooks, and
// ValidatingAdmissionPolicy): the Kubernetes libraries of the CRD environment, with the variables
// object, oldObject, request, params, namespaceObject and variables, typed dyn, and kube's authz
// library with its `authorizer` variable.
import type { Environment } from '@marcbachmann/cel-js';
import { newKubeCelEnvironment } from '../../apiextensions/schema/cel-library.js';
import { registerAuthorizerLibrary } from './authorizer-library.js';
import { celIssue, checkFieldsInScope } from '../../apiextensions/schema/cel-fields.js';
import { NAMESPACE_TYPE, REQUEST_TYPE } from './request-types.js';

const TYPED_VARIABLES = new Map([['request', REQUEST_TYPE], ['namespaceObject', NAMESPACE_TYPE]]);

export const ADMISSION_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'] as const;

const shared = new Map<boolean, Environment>();

/**
 * The environment, with the `authorizer` variable (validations, variables, matchConditions and
 * auditAnnotations) or without it (messageExpressions), as kube compiles them.
 */
export function admissionCelEnvironment(withAuthorizer = true): Environment {
  let env = shared.get(withAuthorizer);
  if (!env) {
    env = newKubeCelEnvironment().clone();
    for (const name of ADMISSION_VARIABLES) env.registerVariable(name, 'dyn');
    if (withAuthorizer) registerAuthorizerLibrary(env);
    shared.set(withAuthorizer, env);
  }
  return env;
}

/** A compiled expression; it returns a promise when it calls the authorizer. */
export type CelProgram = ((ctx: Record<string, unknown>) => unknown) & { check?: () => { valid: boolean; type?: string; error?: Error } };

/** Compiles an expression; returns the program or the compile error's text (first line). */
export function compileAdmissionExpression(expression: string, opts: { authorizer?: boolean } = {}): { program?: CelProgram; error?: string } {
  try {
    const program = admissionCelEnvironment(opts.authorizer ?? true).parse(expression) as unknown as CelProgram;
    const checked = program.check?.();
    if (checked && !checked.valid) return { error: firstLine(checked.error) };
    // `request` and `namespaceObject` have declared types in kube: their undefined fields do not compile.
    const undefinedField = checkFieldsInScope((program as { ast?: unknown }).ast, TYPED_VARIABLES);
    if (undefinedField) return { error: celIssue(expression, undefinedField.offset, undefinedField.message) };
    return { program };
  } catch (err) {
    return { error: firstLine(err) };
  }
}

/** The checked result type of a compiled program ('bool', 'string', 'dyn', ...), when known. */
export function resultType(program: CelProgram): string | undefined {
  const checked = program.check?.();
  return checked?.valid ? checked.type : undefined;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/** JSON → CEL values: integral numbers become ints (bigint), as kube's unstructured conversion does. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCel(v);
    return out;
  }
  return value;
}
