import type { EventData, EventMetadataInput } from '@mmreplay/events';

// Teams, their members and their API tokens are events in one stream per team (`team-<id>`), so
// who was given or lost access, and by whom, is in the log like everything else.

export const TEAM_STREAM_PREFIX = 'team-';
export const teamStream = (teamId: string): string => TEAM_STREAM_PREFIX + teamId;

/** What a member may do. An owner manages the team's members and tokens; a viewer only reads. */
export type Role = 'owner' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'member', 'viewer'];

export interface TeamCreated {
  teamId: string;
  name: string;
}

export interface MemberAdded {
  teamId: string;
  member: string;
  role: Role;
}

export interface MemberRemoved {
  teamId: string;
  member: string;
}

/** Only the SHA-256 of the token is kept: the token itself is shown once, to whoever created it. */
export interface TokenIssued {
  teamId: string;
  tokenId: string;
  /** what the token is for, e.g. `ci` or `alice laptop` */
  name: string;
  member: string;
  role: Role;
  hash: string;
  /** ISO-8601; null: never */
  expiresAt: string | null;
}

export interface TokenRevoked {
  teamId: string;
  tokenId: string;
}

export interface TeamEventMap {
  TeamCreated: TeamCreated;
  MemberAdded: MemberAdded;
  MemberRemoved: MemberRemoved;
  TokenIssued: TokenIssued;
  TokenRevoked: TokenRevoked;
}

export type TeamEventType = keyof TeamEventMap;
export const TEAM_EVENT_TYPES: readonly TeamEventType[] = ['TeamCreated', 'MemberAdded', 'MemberRemoved', 'TokenIssued', 'TokenRevoked'];

/**
 * What the activity log shows for an event: set in the metadata of every event a command causes,
 * so the log is read from the metadata alone.
 */
export interface ActivityMetadata extends EventMetadataInput {
  actor: string;
  team: string;
  /** e.g. `token.issued`, `audit.cancelled` */
  action: string;
  /** e.g. `token:1f2e3d4c`, `audit:9a8b...` */
  target: string;
  tokenId?: string;
}

export function teamEvent<K extends TeamEventType>(type: K, data: TeamEventMap[K], metadata: ActivityMetadata): EventData<TeamEventMap[K], K> {
  return { type, data, metadata: { ...metadata, schemaVersion: 1 } };
}
