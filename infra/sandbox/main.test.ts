import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { basicAuth } from './test-client.ts';

describe('infra/sandbox/main.ts', () => {
  it('starts every sandbox of the registry on ephemeral ports, logs their URLs and keys as JSON, and exits 0 on SIGTERM', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--affinity-port', '0', '--attio-port', '0', '--process-street-port', '0', '--tallyfy-port', '0', '--size', '200', '--seed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let ready: {
        affinityUrl: string; affinityBasicPassword: string; attioUrl: string; attioBearer: string;
        processStreetUrl: string; processStreetApiKey: string; tallyfyUrl: string; tallyfyToken: string; tallyfyOrganizationId: string;
      } | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        const entry = JSON.parse(line) as { msg: string } & typeof ready;
        if (entry.msg === 'sandboxes ready') {
          ready = entry;
          break;
        }
      }
      if (!ready) throw new Error('main.ts never reported ready');
      expect((await fetch(`${ready.affinityUrl}/persons?page_size=1`, { headers: { authorization: basicAuth(ready.affinityBasicPassword) } })).status).toBe(200);
      expect((await fetch(`${ready.attioUrl}/v2/objects`, { headers: { authorization: `Bearer ${ready.attioBearer}` } })).status).toBe(200);
      expect((await fetch(`${ready.processStreetUrl}/users`, { headers: { 'x-api-key': ready.processStreetApiKey } })).status).toBe(200);
      const members = await fetch(`${ready.tallyfyUrl}/organizations/${ready.tallyfyOrganizationId}/users`, {
        headers: { authorization: `Bearer ${ready.tallyfyToken}`, 'x-tallyfy-client': 'APIClient' },
      });
      expect(members.status).toBe(200);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
