/**
 * Contract checking: every exchange a sandbox answers can be held against the vendor's published
 * schemas (request body as parsed, response body as sent, status). Off by default: it costs a schema
 * validation per request, which benchmarks do not want; tests and the demo turn it on.
 */
export interface ContractExchange {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
}

export interface ContractViolation {
  method: string;
  route: string;
  status: number;
  where: 'request' | 'response';
  errors: string[];
}

/** [] when the exchange matches the vendor's published schema; an exchange on a route with no schema is itself a violation. */
export type ContractChecker = (exchange: ContractExchange) => ContractViolation[];

export interface ContractSnapshot {
  checked: number;
  violations: number;
  /** Violations per `METHOD route` (the vendor's path template), every one counted. */
  byRoute: Record<string, number>;
  /** The first `kept` violations in full (the rest are counted only: a broken shape repeats thousands of times). */
  recent: ContractViolation[];
  kept: number;
}

export interface ContractRecorder {
  check(exchange: ContractExchange): void;
  snapshot(): ContractSnapshot;
  reset(): void;
}

/**
 * Runs `checker` over exchanges and keeps the outcome. The first violations are the useful ones (later
 * ones are mostly the same shape again), so the list keeps the first `keep` and counts the rest by route.
 * A checker that throws is a violation too: a silent pass would hide exactly the case it choked on.
 */
export function createContractRecorder(checker: ContractChecker, options: { keep?: number } = {}): ContractRecorder {
  const keep = options.keep ?? 100;
  let checked = 0;
  let violations = 0;
  let byRoute: Record<string, number> = {};
  let recent: ContractViolation[] = [];

  const add = (found: ContractViolation) => {
    violations += 1;
    const key = `${found.method} ${found.route}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
    if (recent.length < keep) recent.push(found);
  };

  return {
    check(exchange) {
      checked += 1;
      let found: ContractViolation[];
      try {
        found = checker(exchange);
      } catch (error) {
        found = [{ method: exchange.method, route: exchange.path, status: exchange.status, where: 'response', errors: [`contract checker failed: ${error instanceof Error ? error.message : String(error)}`] }];
      }
      for (const violation of found) add(violation);
    },
    snapshot: () => ({ checked, violations, byRoute: { ...byRoute }, recent: recent.map((v) => ({ ...v, errors: [...v.errors] })), kept: keep }),
    reset() {
      checked = 0;
      violations = 0;
      byRoute = {};
      recent = [];
    },
  };
}
