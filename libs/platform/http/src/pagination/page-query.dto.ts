import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;
export const MAX_CURSOR_LENGTH = 1_024;

/** `?limit=&cursor=` of every listing. Extend it to add a listing's own filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  // Only plain digits become a number; anything else stays a string and fails @IsInt with a clear message.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  @Max(MAX_PAGE_LIMIT, { message: `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}` })
  readonly limit: number = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ description: "Opaque: the previous page's nextCursor." })
  @IsOptional()
  @IsString()
  @Length(1, MAX_CURSOR_LENGTH, { message: 'cursor must be a nextCursor returned by this listing' })
  readonly cursor?: string;
}
