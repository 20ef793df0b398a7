import type { ApiKeyService } from '../../shared/tenancy/api-keys.ts';
import type { TenantService } from '../../shared/tenancy/tenants.ts';
import type { Tenant } from '../../shared/tenancy/tenant-model.ts';
import type { Actor } from '../../shared/auth/principal.ts';
import type { Command } from './args.ts';

export interface CommandDeps {
  tenants: TenantService;
  apiKeys: ApiKeyService;
  actor: Actor;
}

/** What a command produced: a value for `--json`, and lines for people. */
export interface CommandOutput {
  value: unknown;
  text: string[];
}

function tenantLine(t: Tenant): string {
  return `${t.id}  ${t.slug.padEnd(20)}  ${t.status.padEnd(12)}  ${t.namespace}  ${t.name}`;
}

/** Runs one CLI command through the same services (and audit trail) as the API. */
export async function runCommand(command: Exclude<Command, { kind: 'help' }>, deps: CommandDeps): Promise<CommandOutput> {
  const { tenants, apiKeys, actor } = deps;
  switch (command.kind) {
    case 'tenant-create': {
      const { tenant, created } = await tenants.create(actor, command);
      return { value: tenant, text: [`${created ? 'Created' : 'Already existed'}: ${tenant.slug} (${tenant.id}), namespace ${tenant.namespace}, status ${tenant.status}`] };
    }
    case 'tenant-list': {
      const all: Tenant[] = [];
      let cursor: string | undefined;
      do {
        const page = await tenants.list(actor, { limit: 500, cursor });
        all.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { value: all, text: all.length ? all.map(tenantLine) : ['No tenants.'] };
    }
    case 'key-create': {
      const tenant = await tenants.resolve(actor, command.tenant);
      const { apiKey, plaintext } = await apiKeys.create(actor, {
        tenantId: tenant.id, role: command.role, environment: command.environment, name: command.name ?? `${command.role} key`,
      });
      return {
        value: { ...apiKey, key: plaintext },
        text: [
          `Created ${apiKey.role} key ${apiKey.id} (${apiKey.prefix}…) for tenant ${tenant.slug}.`,
          'The key is shown only now; store it somewhere safe:',
          '',
          `  ${plaintext}`,
          '',
        ],
      };
    }
    case 'key-list': {
      const tenant = await tenants.resolve(actor, command.tenant);
      const keys = await apiKeys.list(actor, tenant.id);
      const lines = keys.map((k) => `${k.id}  ${k.prefix}…  ${k.role.padEnd(8)}  ${k.environment}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
      return { value: keys, text: lines.length ? lines : [`No keys for ${tenant.slug}.`] };
    }
    case 'key-revoke': {
      const key = await apiKeys.revoke(actor, command.keyId);
      return { value: key, text: [`Revoked ${key.id} (${key.prefix}…) at ${key.revokedAt ?? 'unknown time'}.`] };
    }
  }
}
