import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { loadReadmeVerifier } from '../../test/helpers/webhook-snippet.ts';
import { deliveryBody } from './payload.ts';
import { newSigningSecret, signatureHeader } from './signing.ts';
import type { WebhookEnvelope } from './webhook-model.ts';

const envelope: WebhookEnvelope = {
  id: '5b0b5f0e-2a43-4a8f-9d5c-0f9a3f5e8c21', type: 'job.status_changed', createdAt: '2026-12-02T23:00:00.000Z',
  tenantId: '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11', data: { jobId: 'j-1', status: 'completed', previousStatus: 'running', note: 'é ✓' },
};

describe('Freight-Signature', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', () => {
    // Known answer, computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(signatureHeader('whsec_test', 1_700_000_000, '{"a":1}'))
      .toBe('t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789');
  });

  it('secrets are whsec_ and 32 random bytes', () => {
    const a = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSigningSecret()).not.toBe(a);
  });
});

describe('the README verification snippet', () => {
  it('verifies a real delivery over HTTP, byte for byte, and refuses tampering, another secret and stale timestamps', async () => {
    const verify = await loadReadmeVerifier();
    const secret = newSigningSecret();
    const received: Array<{ headers: IncomingHttpHeaders; raw: Buffer }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = deliveryBody(envelope, 'freight');
      const now = Math.floor(Date.now() / 1000);
      const res = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, {
        method: 'POST', body, headers: { 'content-type': 'application/json', 'freight-signature': signatureHeader(secret, now, body) },
      });
      await res.body.dump();
      const [got] = received;
      if (!got) throw new Error('nothing received');
      const header = String(got.headers['freight-signature']);
      expect(verify(secret, header, got.raw)).toBe(true);
      expect(verify(secret, header, got.raw.toString('utf8'))).toBe(true);
      expect(JSON.parse(got.raw.toString('utf8'))).toEqual(envelope);

      const tampered = Buffer.from(got.raw.toString('utf8').replace('completed', 'failed'));
      expect(verify(secret, header, tampered)).toBe(false);
      expect(verify(newSigningSecret(), header, got.raw)).toBe(false);
      expect(verify(secret, header, got.raw, now + 301)).toBe(false);
      expect(verify(secret, header, got.raw, now - 301)).toBe(false);
      expect(verify(secret, header, got.raw, now + 299)).toBe(true);
      expect(verify(secret, header.replace(/v1=[0-9a-f]{2}/, 'v1=00'), got.raw)).toBe(false);
      expect(verify(secret, header.replace(/^t=\d+/, `t=${now + 1}`), got.raw)).toBe(false);
      expect(verify(secret, 'garbage', got.raw)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
