import { IsDateTime } from '../validation/is-date-time';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches, ValidateNested } from 'class-validator';
import { KEY_ID_PATTERN } from './api-key-repository';
import { RetiredKeyDto } from './rotate-api-key.dto';
import { CreateApiKeyDto } from './create-api-key.dto';

/** A key created elsewhere, by its hash: what a gateway sends so every service knows the same key. */
export class ImportApiKeyDto extends CreateApiKeyDto {
  @ApiProperty({
    description: 'SHA-256 of the key, 64 lowercase hex digits; the key itself never travels.',
  })
  @Matches(/^[0-9a-f]{64}$/, {
    message: 'keyHash must be 64 lowercase hex digits (SHA-256 of the key)',
  })
  readonly keyHash!: string;

  @ApiProperty({ example: 'key_3kTMd8h5Ws0vQp7x' })
  @Matches(KEY_ID_PATTERN, { message: 'keyId must be key_ and 16 base62 characters' })
  readonly keyId!: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' })
  @IsDateTime({ message: 'createdAt must be an ISO 8601 timestamp' })
  readonly createdAt!: string;

  @ApiPropertyOptional({
    type: RetiredKeyDto,
    description: 'The key this one rotates, and when it stops working (a rotation, replicated)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetiredKeyDto)
  readonly retires?: RetiredKeyDto;
}
