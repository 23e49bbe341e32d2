import { IsDateTime } from '../validation/is-date-time';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN } from '../validation/customer-id.param';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  Matches,
  IsString,
  Length,
} from 'class-validator';
import { SCOPES, type Scope } from '../auth/scopes';

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'ingestion gateway',
    description: 'Who or what uses the key; 1–100 characters.',
  })
  @IsString()
  @Length(1, 100, { message: 'name must be 1–100 characters' })
  readonly name!: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['ingest'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  readonly scopes!: Scope[];

  @ApiPropertyOptional({
    example: '2027-06-30T00:00:00Z',
    description: 'From then on the key is refused on every service; omitted: it does not expire.',
  })
  @IsOptional()
  @IsDateTime({ message: 'expiresAt must be an ISO 8601 date-time' })
  readonly expiresAt?: string;

  @ApiPropertyOptional({
    example: 'acme',
    description:
      "Binds the key to one customer: it reaches only that customer's wallet, ledger, entitlements, revenue, invoices, subscriptions and usage (404 for any other), never admin routes.",
  })
  @IsOptional()
  @Matches(CUSTOMER_ID_PATTERN, {
    message: 'customerId must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly customerId?: string;
}
