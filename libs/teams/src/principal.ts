import { roleAtLeast } from './directory.js';
import type { Role } from './team-events.js';

/**
 * Who is calling. An admin (the bootstrap token from configuration) manages teams and their
 * tokens and belongs to no team; a member acts within exactly one team, with a role.
 */
export interface Principal {
  kind: 'admin' | 'member';
  /** null for an admin */
  team: string | null;
  /** the member's name (for an admin: `admin`); recorded as the actor of what it does */
  member: string;
  role: Role | 'admin';
  tokenId: string;
}

/** read: list and query; write: start and cancel runs and audits; manage: the team's members and tokens. */
export type Permission = 'read' | 'write' | 'manage' | 'admin';

const needs: Record<Exclude<Permission, 'admin'>, Role> = { read: 'viewer', write: 'member', manage: 'owner' };

export function can(p: Principal, permission: Permission): boolean {
  if (p.kind === 'admin') return permission === 'admin' || permission === 'manage';
  if (permission === 'admin') return false;
  return roleAtLeast(p.role as Role, needs[permission]);
}

/** Who an event was caused by, as recorded in its metadata. */
export interface Actor {
  actor: string;
  tokenId?: string;
}

export const actorOf = (p: Principal): Actor => ({ actor: p.member, tokenId: p.tokenId });
