import { Body, Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, ActivityService, TeamObjectNotFoundError, TeamService, type Principal, type TeamInfo } from '@mmreplay/teams';
import { Caller, Requires, teamOf } from '../http/auth.js';
import { ApiProblems } from '../http/openapi.js';
import { ApiError } from '../http/problem.js';
import { ActivityQueryDto, AddMemberDto, CreateTeamDto, IssueTokenDto } from './teams.dto.js';

/** An admin reaches every team; a member only their own, and another team is not found. */
function scoped(caller: Principal, teamId: string): string {
  if (caller.kind !== 'admin' && caller.team !== teamId) throw new TeamObjectNotFoundError('team', teamId);
  return teamId;
}

const teamJson = (t: TeamInfo) => ({ teamId: t.teamId, name: t.name, createdAt: t.createdAt, createdBy: t.createdBy, members: t.members });

@ApiTags('teams')
@ApiBearerAuth()
@Controller()
export class TeamsController {
  constructor(
    @Inject(TeamService) private readonly teams: TeamService,
    @Inject(ActivityService) private readonly activity: ActivityService,
  ) {}

  @Get('me')
  @Requires('read', 'admin')
  @ApiOperation({ summary: 'Who the token is: team, member, role' })
  me(@Caller() caller: Principal) {
    return { kind: caller.kind, team: caller.team, member: caller.member, role: caller.role, tokenId: caller.tokenId };
  }

  @Post('teams')
  @Requires('admin')
  @ApiOperation({ summary: 'Create a team (admin); with `owner`, also its first member and their token, shown once' })
  @ApiCreatedResponse({ description: '{team, token?: {token, ...}}' })
  @ApiProblems(400, 401, 403, 409)
  async create(@Body() body: CreateTeamDto, @Caller() caller: Principal) {
    const { team, token } = await this.teams.createTeam(body, actorOf(caller));
    return { team: teamJson(team), ...(token ? { token: { ...token.info, token: token.token } } : {}) };
  }

  @Get('teams')
  @Requires('admin')
  @ApiOperation({ summary: 'Every team (admin)' })
  @ApiProblems(401, 403)
  list() {
    return this.teams.teams().map(teamJson);
  }

  @Get('teams/:teamId')
  @Requires('read', 'admin')
  @ApiOperation({ summary: 'A team and its members' })
  @ApiProblems(401, 403, 404)
  get(@Param('teamId') teamId: string, @Caller() caller: Principal) {
    return teamJson(this.teams.team(scoped(caller, teamId)));
  }

  @Post('teams/:teamId/members')
  @Requires('manage')
  @ApiOperation({ summary: 'Add a member (owner or admin)' })
  @ApiProblems(400, 401, 403, 404, 409)
  async addMember(@Param('teamId') teamId: string, @Body() body: AddMemberDto, @Caller() caller: Principal) {
    return teamJson(await this.teams.addMember(scoped(caller, teamId), body.member, body.role, actorOf(caller)));
  }

  @Delete('teams/:teamId/members/:member')
  @Requires('manage')
  @ApiOperation({ summary: 'Remove a member (owner or admin): their tokens stop working' })
  @ApiProblems(401, 403, 404, 409)
  async removeMember(@Param('teamId') teamId: string, @Param('member') member: string, @Caller() caller: Principal) {
    if (caller.kind === 'member' && caller.member === member)
      throw new ApiError('conflict', 'an owner cannot remove themselves; ask another owner or an admin');
    return teamJson(await this.teams.removeMember(scoped(caller, teamId), member, actorOf(caller)));
  }

  @Get('teams/:teamId/tokens')
  @Requires('manage')
  @ApiOperation({ summary: "The team's tokens (never their secrets)" })
  @ApiProblems(401, 403, 404)
  tokens(@Param('teamId') teamId: string, @Caller() caller: Principal) {
    return this.teams.tokens(scoped(caller, teamId));
  }

  @Post('teams/:teamId/tokens')
  @Requires('manage')
  @ApiOperation({ summary: 'Issue a token for a member: the token is in this answer only (it is stored hashed)' })
  @ApiCreatedResponse({ description: '{token, tokenId, member, role, expiresAt, ...}' })
  @ApiProblems(400, 401, 403, 404, 409)
  async issue(@Param('teamId') teamId: string, @Body() body: IssueTokenDto, @Caller() caller: Principal) {
    const { token, info } = await this.teams.issueToken(scoped(caller, teamId), body, actorOf(caller));
    return { ...info, token };
  }

  @Delete('teams/:teamId/tokens/:tokenId')
  @Requires('manage')
  @ApiOperation({ summary: 'Revoke a token: it stops working at once' })
  @ApiProblems(401, 403, 404, 409)
  async revoke(@Param('teamId') teamId: string, @Param('tokenId') tokenId: string, @Caller() caller: Principal) {
    return this.teams.revokeToken(scoped(caller, teamId), tokenId, actorOf(caller));
  }

  @Get('activity')
  @Requires('read', 'admin')
  @ApiOperation({ summary: "The team's audit log: who started, cancelled, issued or revoked what, newest first" })
  @ApiOkResponse({ description: '{entries: [{at, actor, action, target, tokenId}], next}' })
  @ApiProblems(400, 401, 403)
  activityLog(@Query() q: ActivityQueryDto, @Caller() caller: Principal) {
    const { team: asked, ...options } = q;
    let team: string;
    if (caller.kind === 'admin') {
      if (!asked) throw ApiError.invalid('team', 'an admin names the team');
      team = asked;
    } else {
      team = teamOf(caller);
      if (asked !== undefined && asked !== team) throw new TeamObjectNotFoundError('team', asked);
    }
    return this.activity.list(team, options);
  }
}
