import { describe, expect, it } from 'vitest';
import { routeTemplateOf } from './api-metrics.ts';

describe('routeTemplateOf', () => {
  it('takes the last matched route that is not a catch-all middleware', () => {
    expect(routeTemplateOf([
      { method: 'ALL', path: '*' }, { method: 'ALL', path: '/v1/*' }, { method: 'GET', path: '/v1/jobs/:jobId' }, { method: 'GET', path: '/v1/jobs/:jobId' },
    ])).toBe('/v1/jobs/:jobId');
  });
  it('collapses unmatched paths into one label value', () => {
    expect(routeTemplateOf([{ method: 'ALL', path: '*' }, { method: 'ALL', path: '/v1/*' }])).toBe('unmatched');
  });
});
