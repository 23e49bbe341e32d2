import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { IsAmount, IsQuantity, IsDateTime } from '@burndown/http';

const MAX_PROPERTIES = 50;

/** The DTO's rules, shared with the fast check (usage-event-fast-check.ts). */
export const USAGE_EVENT_PATTERNS = {
  id: /^[\x21-\x7e]{1,128}$/,
  customerId: /^[A-Za-z0-9_-]{1,64}$/,
  type: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
} as const;

export function isFlatProperties(
  value: unknown,
): value is Record<string, string | number | boolean> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length <= MAX_PROPERTIES &&
    Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v))
  );
}

/** Flat string/number/boolean properties: they feed rating dimensions (model, region, tier). */
function IsFlatProperties() {
  return ValidateBy({
    name: 'isFlatProperties',
    validator: {
      validate: (value: unknown) => isFlatProperties(value),
      defaultMessage: () =>
        `properties must be an object of at most ${MAX_PROPERTIES} string, number or boolean values`,
    },
  });
}

export class UsageEventDto {
  @ApiProperty({
    example: 'evt-0001',
    description: 'Idempotency key of the event: repeats burn once.',
  })
  @IsString()
  @Matches(USAGE_EVENT_PATTERNS.id, { message: 'id must be 1–128 printable ASCII characters' })
  readonly id!: string;

  @ApiProperty({ example: 'acme' })
  @IsString()
  @Matches(USAGE_EVENT_PATTERNS.customerId, {
    message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly customerId!: string;

  @ApiProperty({ example: 'llm.tokens' })
  @IsString()
  @Matches(USAGE_EVENT_PATTERNS.type, {
    message:
      'type must be 1–128 characters of A–Z, a–z, 0–9, ., _ or -, starting with a letter or digit',
  })
  readonly type!: string;

  @ApiProperty({
    oneOf: [
      { type: 'string', pattern: '^(0|[1-9][0-9]{0,29})(\\.[0-9]{1,18})?$' },
      { type: 'integer', minimum: 0 },
    ],
    example: '1500',
    description: 'Non-negative decimal as a string, or a JSON integer.',
  })
  @IsQuantity()
  readonly quantity!: string | number;

  @ApiPropertyOptional({
    example: '2026-11-22T10:00:00Z',
    description: 'When the usage happened; defaults to receipt.',
  })
  @IsOptional()
  @IsDateTime({ message: 'timestamp must be an ISO-8601 date-time' })
  readonly timestamp?: string;

  @ApiPropertyOptional({ example: { model: 'gpt-4o' } })
  @IsOptional()
  @IsFlatProperties()
  readonly properties?: Record<string, string | number | boolean>;

  @ApiPropertyOptional({
    example: '1250000',
    description:
      "What the model provider charged for this event, in millionths of the rate card currency's minor unit; rating computes it from the card's provider prices when absent.",
  })
  @IsOptional()
  @IsAmount()
  readonly providerCostMicros?: string;
}
