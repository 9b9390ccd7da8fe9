import type { RecordedEvent } from '@mmreplay/events';
import type { MemberAdded, MemberRemoved, Role, TeamCreated, TokenIssued, TokenRevoked } from './team-events.js';
import { TEAM_STREAM_PREFIX } from './team-events.js';

// The teams read model: a pure fold of the `team-<id>` streams.

export interface MemberInfo {
  member: string;
  role: Role;
  addedAt: string;
  addedBy: string;
}

export interface TeamInfo {
  teamId: string;
  name: string;
  createdAt: string;
  createdBy: string;
  members: MemberInfo[];
  /** revision of the team's stream: the expected revision of its next append */
  revision: bigint;
}

/** A token as listed: never its secret nor its hash. */
export interface TokenInfo {
  tokenId: string;
  teamId: string;
  name: string;
  member: string;
  role: Role;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

interface StoredToken extends TokenInfo {
  hash: string;
}

export class TeamDirectory {
  private readonly teams = new Map<string, TeamInfo>();
  private readonly tokens = new Map<string, StoredToken>();
  private readonly byHash = new Map<string, StoredToken>();

  apply(event: RecordedEvent): void {
    if (!event.streamId.startsWith(TEAM_STREAM_PREFIX)) return;
    const at = String(event.metadata.recordedAt ?? '');
    const actor = String(event.metadata.actor ?? 'unknown');
    const team = this.teams.get(event.streamId.slice(TEAM_STREAM_PREFIX.length));
    if (team) team.revision = event.revision;
    switch (event.type) {
      case 'TeamCreated': {
        const d = event.data as TeamCreated;
        this.teams.set(d.teamId, { teamId: d.teamId, name: d.name, createdAt: at, createdBy: actor, members: [], revision: event.revision });
        break;
      }
      case 'MemberAdded': {
        const d = event.data as MemberAdded;
        const t = this.teams.get(d.teamId);
        if (t && !t.members.some((m) => m.member === d.member)) t.members.push({ member: d.member, role: d.role, addedAt: at, addedBy: actor });
        break;
      }
      case 'MemberRemoved': {
        const d = event.data as MemberRemoved;
        const t = this.teams.get(d.teamId);
        if (t) t.members = t.members.filter((m) => m.member !== d.member);
        // Removing a member revokes their tokens for good: adding them again gives them no old token back.
        for (const token of this.tokens.values()) {
          if (token.teamId === d.teamId && token.member === d.member && token.revokedAt === null) Object.assign(token, { revokedAt: at, revokedBy: actor });
        }
        break;
      }
      case 'TokenIssued': {
        const d = event.data as TokenIssued;
        const token: StoredToken = {
          tokenId: d.tokenId,
          teamId: d.teamId,
          name: d.name,
          member: d.member,
          role: d.role,
          expiresAt: d.expiresAt,
          createdAt: at,
          createdBy: actor,
          revokedAt: null,
          revokedBy: null,
          hash: d.hash,
        };
        this.tokens.set(d.tokenId, token);
        this.byHash.set(d.hash, token);
        break;
      }
      case 'TokenRevoked': {
        const d = event.data as TokenRevoked;
        const token = this.tokens.get(d.tokenId);
        if (token && token.revokedAt === null) Object.assign(token, { revokedAt: at, revokedBy: actor });
        break;
      }
    }
  }

  team(teamId: string): TeamInfo | undefined {
    return this.teams.get(teamId);
  }

  listTeams(): TeamInfo[] {
    return [...this.teams.values()];
  }

  token(tokenId: string): TokenInfo | undefined {
    const t = this.tokens.get(tokenId);
    return t && withoutHash(t);
  }

  listTokens(teamId: string): TokenInfo[] {
    return [...this.tokens.values()].filter((t) => t.teamId === teamId).map(withoutHash);
  }

  /** The live token with this hash: not revoked, not expired, its member still in the team with a role. */
  tokenByHash(hash: string, now: Date): (TokenInfo & { role: Role }) | undefined {
    const t = this.byHash.get(hash);
    if (!t || t.revokedAt !== null) return undefined;
    if (t.expiresAt !== null && Date.parse(t.expiresAt) <= now.getTime()) return undefined;
    const member = this.teams.get(t.teamId)?.members.find((m) => m.member === t.member);
    if (!member) return undefined;
    // A token never grants more than its member has now.
    return { ...withoutHash(t), role: weaker(t.role, member.role) };
  }
}

const rank: Record<Role, number> = { viewer: 0, member: 1, owner: 2 };
export const weaker = (a: Role, b: Role): Role => (rank[a] <= rank[b] ? a : b);
export const roleAtLeast = (role: Role, least: Role): boolean => rank[role] >= rank[least];

function withoutHash(t: StoredToken): TokenInfo {
  const { hash: _hash, ...info } = t;
  return { ...info };
}
