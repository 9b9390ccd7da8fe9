import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../http/openapi.js';
import { LitmusRequestDto } from './litmus.dto.js';
import { LitmusResultModel } from './litmus.models.js';
import { runLitmus, type LitmusAnswer } from './litmus.service.js';

@ApiTags('litmus')
@ApiBearerAuth()
@Controller()
export class LitmusController {
  @Post('litmus')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a C litmus test (tools/memory-model format) under the Linux-kernel memory model: final states, witnesses, Observation, as herd7 answers' })
  @ApiOkResponse({ type: LitmusResultModel })
  @ApiProblems(400, 401, 413, 429)
  check(@Body() body: LitmusRequestDto): LitmusAnswer {
    return runLitmus(body.test);
  }
}
