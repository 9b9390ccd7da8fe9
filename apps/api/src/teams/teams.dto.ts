import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ROLES } from '@mmreplay/teams';

export class CreateTeamDto {
  @ApiProperty({ example: 'kernel-mm', description: '2 to 40 lower-case letters, digits or dashes' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,39}$/, { message: 'teamId must be 2 to 40 lower-case letters, digits or dashes, starting with a letter or digit' })
  teamId!: string;

  @ApiPropertyOptional({ example: 'Memory management' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;

  @ApiPropertyOptional({ example: 'alice', description: 'a first member, made owner, with a token (shown once)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, { message: 'owner must be a member name (letters, digits, . _ @ -)' })
  owner?: string;
}

export class AddMemberDto {
  @ApiProperty({ example: 'bob' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, { message: 'member must be 1 to 64 letters, digits, . _ @ or -' })
  member!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: (typeof ROLES)[number];
}

export class IssueTokenDto {
  @ApiProperty({ example: 'bob' }) @IsString() @IsNotEmpty() @MaxLength(64) member!: string;
  @ApiPropertyOptional({ example: 'ci' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: ROLES, description: "at most the member's role" }) @IsOptional() @IsIn(ROLES) role?: (typeof ROLES)[number];
  @ApiPropertyOptional({ example: '2030-01-01T00:00:00Z', description: 'ISO-8601; absent: never expires' }) @IsOptional() @IsISO8601() expiresAt?: string;
}

export class ActivityQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'the `next` cursor of the previous page' }) @IsOptional() @Matches(/^\d{1,30}$/) before?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) actor?: string;
  @ApiPropertyOptional({ example: 'audit', description: 'an action (`audit.cancelled`) or its prefix (`audit`)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;
  @ApiPropertyOptional({ description: 'admin only: the team' }) @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{1,39}$/) team?: string;
}
