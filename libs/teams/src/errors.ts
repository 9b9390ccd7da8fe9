/** A team request whose field is not acceptable (bad name, unknown role, expiry in the past). */
export class InvalidTeamRequestError extends Error {
  readonly code = 'INVALID_TEAM_REQUEST';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidTeamRequestError';
  }
}

/** A team, member or token that does not exist (or that the caller may not see). */
export class TeamObjectNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly kind: 'team' | 'member' | 'token',
    readonly id: string,
  ) {
    super(`no ${kind} '${id}'`);
    this.name = 'TeamObjectNotFoundError';
  }
}

/** A team id that is taken, or a member that is already in the team. */
export class TeamConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'TeamConflictError';
  }
}
