import { DomainError, FieldError } from '@mmreplay/model';

/** A team request whose field is not acceptable (bad name, unknown role, expiry in the past). */
export class InvalidTeamRequestError extends FieldError {
  readonly code = 'INVALID_TEAM_REQUEST';
  readonly kind = 'invalid';
}

/** A team, member or token that does not exist (or that the caller may not see). */
export class TeamObjectNotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly kind = 'not-found';
  constructor(
    readonly object: 'team' | 'member' | 'token',
    readonly id: string,
  ) {
    super(`no ${object} '${id}'`);
  }
}

/** A team id that is taken, or a member that is already in the team. */
export class TeamConflictError extends DomainError {
  readonly code = 'CONFLICT';
  readonly kind = 'conflict';
  constructor(message: string) {
    super(message);
  }
}
