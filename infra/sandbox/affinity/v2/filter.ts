import { AffinityApiError } from '../errors.ts';

/**
 * Affinity Filtering Language (spec `info.description`, "Filtering"), as far as the notes endpoints
 * document it: conditions `property operator value`, `&` (binds tighter) and `|`, parentheses, `!`
 * negation, insignificant spaces, double-quoted values with backslash escapes. Each endpoint names its
 * properties and their operators; anything else, a malformed expression or a value of the wrong type
 * answers 400 (a `validation` error on `filter`: the spec's 400 for a bad parameter).
 */
export type FilterType = 'int32' | 'datetime';
export type FilterOperator = '=' | '>' | '<' | '>=' | '<=';

export interface FilterProperty<T> {
  type: FilterType;
  operators: readonly FilterOperator[];
  /** The item's value; null never matches a comparison (inferred: the spec does not say how null compares). */
  read(item: T): number | string | null;
}

export type FilterProperties<T> = Readonly<Record<string, FilterProperty<T>>>;
export type Predicate<T> = (item: T) => boolean;

/** `2025-02-04T10:48:24Z`, the spec's examples (RFC 3339; fractions and offsets accepted). */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SPECIAL = new Set('\\*~!&=><$^|"\'()][/'.split(''));
/** Every operator of the grammar: an operator the property does not allow is refused, not misread. */
const OPERATORS = ['>=', '<=', '!=', '=^', '=$', '=~', '=*', '=[]', '=', '>', '<'] as const;

const bad = (message: string) => new AffinityApiError(400, `Invalid filter: ${message}`, 'filter');

export function parseFilter<T>(text: string, properties: FilterProperties<T>): Predicate<T> {
  let at = 0;
  const skip = () => {
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
  };
  const peek = (s: string) => {
    skip();
    return text.startsWith(s, at);
  };
  const eat = (s: string) => {
    if (!peek(s)) return false;
    at += s.length;
    return true;
  };

  function property(): string {
    skip();
    const m = /^[A-Za-z][A-Za-z0-9_.]*/.exec(text.slice(at));
    if (!m) throw bad(`property expected at ${at}`);
    at += m[0].length;
    return m[0];
  }

  function value(): string {
    skip();
    if (text.charAt(at) === '"') {
      let out = '';
      for (at += 1; at < text.length; at += 1) {
        const c = text.charAt(at);
        if (c === '"') {
          at += 1;
          return out;
        }
        if (c === '\\') at += 1;
        out += text.charAt(at);
      }
      throw bad('unterminated quoted value');
    }
    let out = '';
    while (at < text.length && !SPECIAL.has(text.charAt(at)) && !/\s/.test(text.charAt(at))) out += text.charAt(at++);
    if (text.charAt(at) === '\\') throw bad('escapes are only allowed in quoted values');
    if (out === '') throw bad(`value expected at ${at}`);
    return out;
  }

  function condition(): Predicate<T> {
    const name = property();
    const prop = properties[name];
    if (!prop) throw bad(`unknown property ${name}; allowed: ${Object.keys(properties).join(', ')}`);
    skip();
    const op = OPERATORS.find((o) => text.startsWith(o, at));
    if (!op) throw bad(`operator expected after ${name}`);
    at += op.length;
    if (!(prop.operators as readonly string[]).includes(op)) throw bad(`operator ${op} is not allowed on ${name}; allowed: ${prop.operators.join(', ')}`);
    const raw = value();
    const operand = typed(name, prop.type, raw);
    return (item) => compare(prop.read(item), op as FilterOperator, operand, prop.type);
  }

  function unary(): Predicate<T> {
    if (eat('!')) {
      const inner = unary();
      return (item) => !inner(item);
    }
    if (eat('(')) {
      const inner = or();
      if (!eat(')')) throw bad(`) expected at ${at}`);
      return inner;
    }
    return condition();
  }

  function and(): Predicate<T> {
    const parts = [unary()];
    while (eat('&')) parts.push(unary());
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (item) => parts.every((p) => p(item));
  }

  function or(): Predicate<T> {
    const parts = [and()];
    while (eat('|')) parts.push(and());
    return parts.length === 1 ? (parts[0] as Predicate<T>) : (item) => parts.some((p) => p(item));
  }

  if (text.trim() === '') throw bad('empty filter');
  const predicate = or();
  skip();
  if (at < text.length) throw bad(`unexpected ${text.charAt(at)} at ${at}`);
  return predicate;
}

function typed(name: string, type: FilterType, raw: string): number {
  if (type === 'int32') {
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < -(2 ** 31) || n >= 2 ** 31) throw bad(`${name} takes an int32, not ${raw}`);
    return n;
  }
  const t = DATETIME.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(t)) throw bad(`${name} takes a datetime such as 2025-02-04T10:48:24Z, not ${raw}`);
  return t;
}

function compare(actual: number | string | null, op: FilterOperator, operand: number, type: FilterType): boolean {
  if (actual === null) return false;
  const a = type === 'datetime' ? Date.parse(String(actual)) : Number(actual);
  switch (op) {
    case '=':
      return a === operand;
    case '>':
      return a > operand;
    case '<':
      return a < operand;
    case '>=':
      return a >= operand;
    case '<=':
      return a <= operand;
  }
}
