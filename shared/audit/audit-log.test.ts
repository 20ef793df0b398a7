import { describe, expect, it } from 'vitest';
import { parseActionFilter, parseActorFilter } from './audit-log.ts';

describe('audit filters', () => {
  it('reads `type:id` actors only for known actor types', () => {
    expect(parseActorFilter('api_key:0d8a')).toEqual({ type: 'api_key', id: '0d8a' });
    expect(parseActorFilter('system:freight')).toEqual({ type: 'system', id: 'freight' });
    expect(parseActorFilter('auth0|abc:def')).toEqual({ id: 'auth0|abc:def' });
  });
  it('turns a trailing * into a prefix match and escapes LIKE wildcards', () => {
    expect(parseActionFilter('job.cancel')).toEqual({ exact: 'job.cancel' });
    expect(parseActionFilter('job.*')).toEqual({ like: 'job.%' });
    expect(parseActionFilter('a_b%*')).toEqual({ like: 'a\\_b\\%%' });
  });
});
