import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllowHosts } from '../outbound/allow-list.ts';
import { createOutboundPolicy } from '../outbound/outbound-policy.ts';
import { webhookEventsOf } from './outbox.ts';
import { checkWebhookUrl, resolvedProblem, webhookUrlPattern } from './webhook-url.ts';

const strict = createOutboundPolicy({ allowHosts: [] });
const dev = createOutboundPolicy({ allowHosts: parseAllowHosts('127.0.0.1:*,receiver.internal:8080') });

describe('webhook URLs', () => {
  it('admits public host names over https, and allow-listed hosts over http too', () => {
    expect(checkWebhookUrl('https://hooks.slack.com/services/T0/B0/x', strict)).toEqual({ url: 'https://hooks.slack.com/services/T0/B0/x' });
    expect(checkWebhookUrl('https://Example.COM:8443/h?token=a', strict)).toEqual({ url: 'https://example.com:8443/h?token=a' });
    expect(checkWebhookUrl('http://127.0.0.1:9000/hook', dev)).toEqual({ url: 'http://127.0.0.1:9000/hook' });
    expect(checkWebhookUrl('http://receiver.internal:8080/', dev)).toEqual({ url: 'http://receiver.internal:8080/' });
  });

  it.each([
    ['http://127.0.0.1:9000/hook', /127\.0\.0\.1 is a loopback address/], ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://10.0.0.1/', /private/], ['https://[::1]/', /loopback/], ['https://[fd00::1]/', /unique-local/], ['https://2130706433/', /loopback/],
    ['https://0x7f000001/', /loopback/], ['https://[::ffff:127.0.0.1]/', /loopback/], ['https://8.8.8.8/', /not an IP address/],
    ['https://localhost/', /not a public host name/], ['https://intranet/', /not a public host name/], ['http://example.com/', /https/],
    ['https://user:pw@example.com/', /credentials/], ['ftp://example.com/', /https/], ['not a url', /not a URL/],
    ['https://example.com/#x', /fragment/], ['http://receiver.internal:8080/', /https/],
  ])('refuses %s', (url, problem) => {
    const checked = checkWebhookUrl(url, strict);
    expect(checked).toHaveProperty('problem');
    expect((checked as { problem: string }).problem).toMatch(problem);
  });

  it('declares exactly what it admits before DNS: every string matching the pattern passes the check', () => {
    for (const policy of [strict, dev]) {
      const pattern = new RegExp(webhookUrlPattern(policy.allowHosts));
      fc.assert(fc.property(fc.stringMatching(pattern), (url) => {
        fc.pre(url.length <= 2000);
        expect(checkWebhookUrl(url, policy), url).toHaveProperty('url');
      }), { numRuns: 500 });
    }
    expect(new RegExp(webhookUrlPattern([])).test('https://127.0.0.1/')).toBe(false);
    expect(new RegExp(webhookUrlPattern([])).test('http://example.com/')).toBe(false);
  });

  it('refuses at creation a name that resolves to a non-public address, and lets an unresolvable one through', async () => {
    const lookup = async (host: string) => (host === 'evil.example.com' ? [{ address: '93.184.216.34' }, { address: '10.1.2.3' }] : host === 'ok.example.com' ? [{ address: '93.184.216.34' }] : Promise.reject(new Error('ENOTFOUND')));
    expect(await resolvedProblem('https://evil.example.com/h', strict, { lookup })).toBe('evil.example.com resolves to a private address');
    expect(await resolvedProblem('https://ok.example.com/h', strict, { lookup })).toBeNull();
    expect(await resolvedProblem('https://nowhere.example.com/h', strict, { lookup })).toBeNull();
    expect(await resolvedProblem('https://slow.example.com/h', strict, { lookup: () => new Promise(() => undefined), timeoutMs: 50 })).toBeNull();
    // Allow-listed hosts are trusted, as for connections.
    expect(await resolvedProblem('http://127.0.0.1:9/h', dev, { lookup })).toBeNull();
  });
});

describe('webhook events of job events', () => {
  it('sends every status change with the previous status, and failed batches only', () => {
    expect(webhookEventsOf('j', [
      { type: 'status', data: { status: 'running' } }, { type: 'progress', data: { processed: 1 } },
      { type: 'batch', data: { batchId: 'b1', object: 'people', status: 'succeeded', attempt: 1, succeeded: 5, failed: 0 } },
      { type: 'batch', data: { batchId: 'b2', object: 'people', status: 'failed', attempt: 3, succeeded: 0, failed: 5 } },
      { type: 'status', data: { status: 'completed_with_errors' } },
    ], 'pending')).toEqual([
      { type: 'job.status_changed', data: { jobId: 'j', status: 'running', previousStatus: 'pending' } },
      { type: 'batch.failed', data: { jobId: 'j', batchId: 'b2', object: 'people', attempt: 3, succeeded: 0, failed: 5 } },
      { type: 'job.status_changed', data: { jobId: 'j', status: 'completed_with_errors', previousStatus: 'running' } },
    ]);
    expect(webhookEventsOf('j', [{ type: 'progress', data: {} }], null)).toEqual([]);
  });
});
