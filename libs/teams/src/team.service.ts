import { timingSafeEqual } from 'node:crypto';
import { LogFollower, WrongExpectedVersionError, type EventStore } from '@mmreplay/event-store';
import type { EventData } from '@mmreplay/events';
import { TeamDirectory, roleAtLeast, type TeamInfo, type TokenInfo } from './directory.js';
import { InvalidTeamRequestError, TeamConflictError, TeamObjectNotFoundError } from './errors.js';
import type { Actor, Principal } from './principal.js';
import { ROLES, TEAM_STREAM_PREFIX, teamEvent, teamStream, type ActivityMetadata, type Role } from './team-events.js';
import { hashToken, newToken } from './tokens.js';

export interface TeamServiceOptions {
  /** the bootstrap admin token (e.g. from `MMREPLAY_ADMIN_TOKEN`); at least 16 characters */
  adminToken?: string;
  clock?: () => Date;
  onError?: (error: unknown) => void;
}

export interface IssueTokenRequest {
  member: string;
  /** what the token is for */
  name?: string;
  /** at most the member's role; default the member's role */
  role?: Role;
  /** ISO-8601, in the future; absent: never expires */
  expiresAt?: string;
}

export interface IssuedToken {
  /** shown once: only its hash is stored */
  token: string;
  info: TokenInfo;
}

export interface CreateTeamRequest {
  teamId: string;
  name?: string;
  /** a first member, made owner, with a token */
  owner?: string;
}

const TEAM_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
const MEMBER = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/**
 * Teams, members and API tokens, kept as events in `team-<id>` streams, with an in-memory read
 * model rebuilt from the log at start and kept current by a subscription (so a token created by the
 * admin script in another process works at once).
 */
export class TeamService {
  private readonly directory = new TeamDirectory();
  private readonly follower: LogFollower;
  private readonly adminHash: Buffer | undefined;
  private readonly clock: () => Date;

  constructor(
    private readonly store: EventStore,
    options: TeamServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    if (options.adminToken !== undefined) {
      if (options.adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
        throw new InvalidTeamRequestError('adminToken', `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
      }
      this.adminHash = Buffer.from(hashToken(options.adminToken), 'hex');
    }
    this.follower = new LogFollower(store, { filter: { streamPrefix: [TEAM_STREAM_PREFIX] }, apply: (e) => this.directory.apply(e), onError: options.onError });
  }

  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): void {
    this.follower.stop();
  }

  /** The principal a bearer token stands for, or undefined (unknown, revoked, expired, member removed). */
  authenticate(token: string): Principal | undefined {
    const hash = hashToken(token);
    if (this.adminHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) {
      return { kind: 'admin', team: null, member: 'admin', role: 'admin', tokenId: 'admin' };
    }
    const t = this.directory.tokenByHash(hash, this.clock());
    return t && { kind: 'member', team: t.teamId, member: t.member, role: t.role, tokenId: t.tokenId };
  }

  teams(): TeamInfo[] {
    return this.directory.listTeams().map(copyTeam);
  }

  team(teamId: string): TeamInfo {
    const t = this.directory.team(teamId);
    if (!t) throw new TeamObjectNotFoundError('team', teamId);
    return copyTeam(t);
  }

  tokens(teamId: string): TokenInfo[] {
    this.team(teamId);
    return this.directory.listTokens(teamId);
  }

  /** Creates a team; with `owner`, also its first member (an owner) and a token for them, in one append. */
  async createTeam(req: CreateTeamRequest, by: Actor): Promise<{ team: TeamInfo; token?: IssuedToken }> {
    if (typeof req.teamId !== 'string' || !TEAM_ID.test(req.teamId)) {
      throw new InvalidTeamRequestError('teamId', 'must be 2 to 40 lower-case letters, digits or dashes, starting with a letter or digit');
    }
    const name = req.name ?? req.teamId;
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw new InvalidTeamRequestError('name', 'must be 1 to 100 characters');
    if (req.owner !== undefined) checkMember(req.owner, 'owner');
    const teamId = req.teamId;
    const events: EventData[] = [teamEvent('TeamCreated', { teamId, name }, meta(by, teamId, 'team.created', `team:${teamId}`))];
    let issued: { token: string; tokenId: string } | undefined;
    if (req.owner !== undefined) {
      events.push(teamEvent('MemberAdded', { teamId, member: req.owner, role: 'owner' }, meta(by, teamId, 'member.added', `member:${req.owner}`)));
      const t = newToken();
      issued = t;
      events.push(
        teamEvent(
          'TokenIssued',
          { teamId, tokenId: t.tokenId, name: `${req.owner} (first token)`, member: req.owner, role: 'owner', hash: t.hash, expiresAt: null },
          meta(by, teamId, 'token.issued', `token:${t.tokenId}`),
        ),
      );
    }
    try {
      const result = await this.store.appendToStream(teamStream(teamId), events, { expectedRevision: 'no-stream' });
      await this.follower.waitFor(result.position);
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) throw new TeamConflictError(`team '${teamId}' already exists`);
      throw e;
    }
    const team = this.team(teamId);
    return issued ? { team, token: { token: issued.token, info: this.directory.token(issued.tokenId)! } } : { team };
  }

  async addMember(teamId: string, member: string, role: Role, by: Actor): Promise<TeamInfo> {
    const team = this.team(teamId);
    checkMember(member, 'member');
    checkRole(role, 'role');
    if (team.members.some((m) => m.member === member)) throw new TeamConflictError(`'${member}' is already a member of team '${teamId}'`);
    await this.append(team, [teamEvent('MemberAdded', { teamId, member, role }, meta(by, teamId, 'member.added', `member:${member}`))]);
    return this.team(teamId);
  }

  /** Removes a member; their tokens stop working at once. */
  async removeMember(teamId: string, member: string, by: Actor): Promise<TeamInfo> {
    const team = this.team(teamId);
    if (!team.members.some((m) => m.member === member)) throw new TeamObjectNotFoundError('member', member);
    await this.append(team, [teamEvent('MemberRemoved', { teamId, member }, meta(by, teamId, 'member.removed', `member:${member}`))]);
    return this.team(teamId);
  }

  async issueToken(teamId: string, req: IssueTokenRequest, by: Actor): Promise<IssuedToken> {
    const team = this.team(teamId);
    const member = team.members.find((m) => m.member === req.member);
    if (!member) throw new InvalidTeamRequestError('member', `'${req.member}' is not a member of team '${teamId}'`);
    const role = req.role ?? member.role;
    checkRole(role, 'role');
    if (!roleAtLeast(member.role, role)) throw new InvalidTeamRequestError('role', `a token of ${req.member} can be at most '${member.role}'`);
    const name = req.name ?? req.member;
    if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw new InvalidTeamRequestError('name', 'must be 1 to 100 characters');
    let expiresAt: string | null = null;
    if (req.expiresAt !== undefined) {
      const t = Date.parse(req.expiresAt);
      if (Number.isNaN(t)) throw new InvalidTeamRequestError('expiresAt', 'must be an ISO-8601 date-time');
      if (t <= this.clock().getTime()) throw new InvalidTeamRequestError('expiresAt', 'must be in the future');
      expiresAt = new Date(t).toISOString();
    }
    const t = newToken();
    await this.append(team, [
      teamEvent(
        'TokenIssued',
        { teamId, tokenId: t.tokenId, name, member: req.member, role, hash: t.hash, expiresAt },
        meta(by, teamId, 'token.issued', `token:${t.tokenId}`),
      ),
    ]);
    return { token: t.token, info: this.directory.token(t.tokenId)! };
  }

  async revokeToken(teamId: string, tokenId: string, by: Actor): Promise<TokenInfo> {
    const team = this.team(teamId);
    const token = this.directory.token(tokenId);
    if (!token || token.teamId !== teamId) throw new TeamObjectNotFoundError('token', tokenId);
    if (token.revokedAt === null) {
      await this.append(team, [teamEvent('TokenRevoked', { teamId, tokenId }, meta(by, teamId, 'token.revoked', `token:${tokenId}`))]);
    }
    return this.directory.token(tokenId)!;
  }

  /** Appends at the team's known revision: a concurrent change makes this fail (`WrongExpectedVersionError`). */
  private async append(team: TeamInfo, events: EventData[]): Promise<void> {
    const result = await this.store.appendToStream(teamStream(team.teamId), events, { expectedRevision: team.revision });
    await this.follower.waitFor(result.position);
  }
}

function meta(by: Actor, team: string, action: string, target: string): ActivityMetadata {
  return { actor: by.actor, ...(by.tokenId ? { tokenId: by.tokenId } : {}), team, action, target };
}

function checkMember(member: unknown, field: string): void {
  if (typeof member !== 'string' || !MEMBER.test(member)) {
    throw new InvalidTeamRequestError(field, 'must be 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
  }
}

function checkRole(role: unknown, field: string): asserts role is Role {
  if (!ROLES.includes(role as Role)) throw new InvalidTeamRequestError(field, `must be one of ${ROLES.join(', ')}`);
}

const copyTeam = (t: TeamInfo): TeamInfo => ({ ...t, members: t.members.map((m) => ({ ...m })) });
