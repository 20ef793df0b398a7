/** Roles, from most to least privileged. Tenant keys and tokens carry engineer or viewer; admin is platform-wide. */
export const ROLES = ['admin', 'engineer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** How a caller proved who it is; mirrors `freight.audit_events.actor_type`. */
export const ACTOR_TYPES = ['api_key', 'jwt', 'admin_env', 'cli', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * The authenticated caller of one request or command. `tenantId` is null only for admins, who act
 * across tenants; everyone else is confined to exactly one tenant.
 */
export interface Principal {
  actorType: ActorType;
  /** Key id, JWT `sub`, or a fixed name for the bootstrap key, the CLI and the system. */
  actorId: string;
  role: Role;
  tenantId: string | null;
}

/** Who performed a state change, and under which request: what every audit row records. */
export interface Actor {
  principal: Principal;
  requestId: string | null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The principal of internal work (startup reconciliation), never of a request. */
export const SYSTEM_PRINCIPAL: Principal = { actorType: 'system', actorId: 'freight', role: 'admin', tenantId: null };
