/**
 * `checkAffinityContract`: holds one exchange with the Affinity sandbox against what Affinity publishes
 * (hand-written schemas in this folder): v2 against its OpenAPI document, v1 against the v1 docs. The
 * Affinity API is read here with GETs only, so the request side is its query: every parameter must be
 * one the operation defines, with a value in range. Every response is checked: 200 against the
 * operation's body; a v2 error against the documented status schema (or the spec's default `Errors`);
 * a v1 error against the statuses the docs list.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { ContractChecker, ContractViolation } from '../../core/contract.ts';
import { createRouter, splitPath } from '../../core/router.ts';
import type { Schema } from './common.ts';
import { OPERATIONS, type Operation, type QueryRule } from './operations.ts';
import { error as v1Error, ERROR_STATUSES } from './v1-shapes.ts';
import { errors as v2Errors } from './v2-shapes.ts';

// ajv-formats is CommonJS: depending on the loader's interop its namespace's default is the plugin or an object holding it.
type FormatsPlugin = (ajv: Ajv2020) => unknown;
const formatsDefault = (formats as unknown as { default: FormatsPlugin | { default: FormatsPlugin } }).default;
const addFormats: FormatsPlugin = typeof formatsDefault === 'function' ? formatsDefault : formatsDefault.default;

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Builds a checker over `operations` (the Affinity table by default; tests pass their own). */
export function createAffinityContractChecker(operations: readonly Operation[] = OPERATIONS): ContractChecker {
  // strict: an unknown keyword in a hand-written schema is a typo, not an extension.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // v1 bodies depend on the query flags: one compiled validator per distinct schema, built on first use.
  const compiled = new Map<string, ValidateFunction>();
  const compile = (schema: Schema): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(key, validate);
    }
    return validate;
  };
  const router = createRouter<Operation>();
  for (const op of operations) for (const pattern of op.patterns) router.add(op.method, pattern, op);

  return (exchange) => {
    const match = router.match(exchange.method, splitPath(exchange.path));
    if (match.kind !== 'found') {
      return [{ method: exchange.method, route: exchange.path, status: exchange.status, where: 'response', errors: ['no published Affinity operation answers this method and path'] }];
    }
    const op = match.handler;
    const violations: ContractViolation[] = [];
    const violation = (where: 'request' | 'response', errors: string[]) => violations.push({ method: op.method, route: op.route, status: exchange.status, where, errors });

    if (exchange.status < 400) {
      const queryErrors = checkQuery(op.query, exchange.query);
      if (exchange.requestBody !== undefined) queryErrors.push('a body was sent to a GET');
      if (queryErrors.length > 0) violation('request', queryErrors);
    }

    let validate: ValidateFunction;
    if (exchange.status < 400) {
      if (exchange.status !== 200) {
        violation('response', [`status ${exchange.status} is not a response of this operation`]);
        return violations;
      }
      validate = compile(typeof op.ok === 'function' ? op.ok(exchange.query) : op.ok);
    } else if (op.version === 'v1') {
      if (!ERROR_STATUSES.includes(exchange.status)) violation('response', [`status ${exchange.status} is not among the error codes the v1 docs list`]);
      validate = compile(v1Error);
    } else {
      const documented = op.errors.find((s) => s === exchange.status);
      validate = compile(documented ? v2Errors[documented] : v2Errors.default);
    }
    if (!validate(exchange.responseBody)) violation('response', describe(validate.errors));
    return violations;
  };
}

function checkQuery(rule: QueryRule, query: URLSearchParams): string[] {
  const allowed = (key: string) => rule.allowed.some((a) => (a.endsWith('*') ? key.startsWith(a.slice(0, -1)) : a === key));
  const errors = [...new Set(query.keys())].filter((key) => !allowed(key)).map((key) => `query parameter "${key}" is not defined for this operation`);
  if (rule.limit && query.has(rule.limit.name)) {
    const n = Number(query.get(rule.limit.name));
    if (!Number.isInteger(n) || n < rule.limit.min || n > rule.limit.max) errors.push(`${rule.limit.name} must be an integer in ${rule.limit.min}…${rule.limit.max}`);
  }
  for (const [name, values] of Object.entries(rule.enums ?? {})) {
    for (const v of query.getAll(name)) if (!values.includes(v)) errors.push(`${name}=${v} is not one of ${values.join(', ')}`);
  }
  for (const name of rule.integers ?? []) {
    for (const v of query.getAll(name)) if (!/^[1-9]\d*$/.test(v)) errors.push(`${name}=${v} is not a positive integer`);
  }
  for (const name of rule.booleans ?? []) {
    for (const v of query.getAll(name)) if (v !== 'true' && v !== 'false') errors.push(`${name}=${v} is not a boolean`);
  }
  return errors;
}

export const checkAffinityContract: ContractChecker = createAffinityContractChecker();
