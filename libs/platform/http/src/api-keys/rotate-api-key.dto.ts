import { IsDateTime } from '../validation/is-date-time';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { KEY_ID_PATTERN } from './api-key-repository';

export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 86_400;

/** POST /v1/api-keys/{keyId}/rotation. */
export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROTATION_OVERLAP_SECONDS,
    default: DEFAULT_ROTATION_OVERLAP_SECONDS,
    description: 'How long the old key keeps working beside the new one; 0 retires it at once.',
  })
  @IsOptional()
  @IsInt({ message: 'overlapSeconds must be a whole number of seconds' })
  @Min(0, { message: 'overlapSeconds must be 0 or more' })
  @Max(MAX_ROTATION_OVERLAP_SECONDS, {
    message: `overlapSeconds must be at most ${MAX_ROTATION_OVERLAP_SECONDS} (30 days)`,
  })
  readonly overlapSeconds?: number;
}

/** In an import that finishes a rotation: the old key and when it stops working, on every service. */
export class RetiredKeyDto {
  @ApiProperty({ example: 'key_3kTMd8h5Ws0vQp7x' })
  @Matches(KEY_ID_PATTERN, { message: 'retires.keyId must be key_ and 16 base62 characters' })
  readonly keyId!: string;

  @ApiProperty({ example: '2027-01-01T00:00:00.000Z' })
  @IsDateTime({ message: 'retires.expiresAt must be an ISO 8601 date-time' })
  readonly expiresAt!: string;
}
