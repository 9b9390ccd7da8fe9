import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { UnknownScenarioError } from '@mmreplay/model';
import { ApiError } from '../http/problem.js';
import { ApiProblems } from '../http/openapi.js';
import { allInvariants, describeScenario, listScenarios } from './scenario-description.js';

export class ScenarioQueryDto {
  @ApiPropertyOptional({ description: 'show the paths as this named variant patches them', example: 'unlock-before-remove' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  variant?: string;
}

@ApiTags('scenarios')
@ApiBearerAuth()
@Controller()
export class ScenariosController {
  @Get('scenarios')
  @ApiOperation({ summary: 'The built-in scenarios: parameters, switches, named variants, invariants' })
  @ApiOkResponse({ description: 'a list of scenarios' })
  @ApiProblems(401)
  list() {
    return listScenarios();
  }

  @Get('scenarios/:name')
  @ApiOperation({ summary: 'One scenario, with its threads and their kernel paths step by step (labels, instructions, kernel source references)' })
  @ApiOkResponse({ description: 'the scenario and its paths' })
  @ApiProblems(401, 404, 422)
  get(@Param('name') name: string, @Query() q: ScenarioQueryDto) {
    try {
      return describeScenario(name, q.variant);
    } catch (e) {
      if (e instanceof UnknownScenarioError) throw new ApiError('not-found', e.message);
      throw e;
    }
  }

  @Get('invariants')
  @ApiOperation({ summary: 'Every invariant mmreplay checks, with its reference and kind' })
  @ApiProblems(401)
  invariants() {
    return allInvariants();
  }
}
