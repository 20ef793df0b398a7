/**
 * `checkAttioContract`: holds one exchange with the Attio sandbox against the schemas of Attio's
 * published OpenAPI document (hand-written in this folder). Request bodies are checked only on answers
 * below 400 and when read (a refused or never-parsed body says nothing about the client); every response
 * is checked: 200 against the operation's body, its documented error statuses against their exact
 * type/code, any other error status against the generic error shape.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { ContractChecker, ContractViolation } from '../../core/contract.ts';
import { createRouter, splitPath } from '../../core/router.ts';
import { documentedError, genericError } from './errors.ts';
import { OPERATIONS, type Operation } from './operations.ts';

// ajv-formats is CommonJS (`module.exports = plugin; plugin.default = plugin`): depending on the loader's
// interop its namespace's default is the plugin or an object holding it.
type FormatsPlugin = (ajv: Ajv2020) => unknown;
const formatsDefault = (formats as unknown as { default: FormatsPlugin | { default: FormatsPlugin } }).default;
const addFormats: FormatsPlugin = typeof formatsDefault === 'function' ? formatsDefault : formatsDefault.default;

interface CompiledOperation {
  op: Operation;
  request?: ValidateFunction;
  responses: Map<number, ValidateFunction>;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Builds a checker over `operations` (the Attio table by default; tests pass their own). */
export function createAttioContractChecker(operations: readonly Operation[] = OPERATIONS): ContractChecker {
  // strict: an unknown keyword in a hand-written schema is a typo, not an extension.
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const router = createRouter<CompiledOperation>();
  const generic = new Map<number, ValidateFunction>();
  for (const op of operations) {
    const responses = new Map<number, ValidateFunction>([[200, ajv.compile(op.ok)]]);
    for (const [status, error] of Object.entries(op.errors)) responses.set(Number(status), ajv.compile(documentedError(Number(status), error)));
    const compiled: CompiledOperation = { op, responses, ...(op.request ? { request: ajv.compile(op.request) } : {}) };
    for (const pattern of op.patterns) router.add(op.method, pattern, compiled);
  }
  const genericFor = (status: number) => {
    let validate = generic.get(status);
    if (!validate) {
      validate = ajv.compile(genericError(status));
      generic.set(status, validate);
    }
    return validate;
  };

  return (exchange) => {
    const match = router.match(exchange.method, splitPath(exchange.path));
    if (match.kind !== 'found') {
      return [{ method: exchange.method, route: exchange.path, status: exchange.status, where: 'response', errors: ['no Attio operation with a published schema answers this method and path'] }];
    }
    const { op, request, responses } = match.handler;
    const violations: ContractViolation[] = [];
    const violation = (where: 'request' | 'response', errors: string[]) => violations.push({ method: op.method, route: op.route, status: exchange.status, where, errors });

    if (exchange.status < 400) {
      const queryErrors = checkQuery(op, exchange.query);
      if (request && !request(exchange.requestBody)) violation('request', describe(request.errors));
      if (!request && exchange.requestBody !== undefined) queryErrors.push('a body was sent to an operation that takes none');
      if (queryErrors.length > 0) violation('request', queryErrors);
    }

    const validate = responses.get(exchange.status) ?? (exchange.status >= 400 ? genericFor(exchange.status) : undefined);
    if (!validate) violation('response', [`status ${exchange.status} is not a response of this operation`]);
    else if (!validate(exchange.responseBody)) violation('response', describe(validate.errors));
    return violations;
  };
}

function checkQuery(op: Operation, query: URLSearchParams): string[] {
  const allowed = new Set(op.query?.allowed ?? []);
  const errors = [...new Set(query.keys())].filter((key) => !allowed.has(key)).map((key) => `query parameter "${key}" is not defined for this operation`);
  for (const key of op.query?.required ?? []) if (!query.has(key)) errors.push(`query parameter "${key}" is required`);
  return errors;
}

export const checkAttioContract: ContractChecker = createAttioContractChecker();
