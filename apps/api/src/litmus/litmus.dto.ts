import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { LITMUS_MAX_TEXT } from './litmus.service.js';

export class LitmusRequestDto {
  @ApiProperty({
    description: 'a C litmus test in the format of tools/memory-model (herd7)',
    example:
      'C SB\n{}\nP0(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n\tr0 = READ_ONCE(*y);\n}\nP1(int *x, int *y)\n{\n\tint r0;\n\tWRITE_ONCE(*y, 1);\n\tr0 = READ_ONCE(*x);\n}\nexists (0:r0=0 /\\ 1:r0=0)\n',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(LITMUS_MAX_TEXT)
  test!: string;
}
