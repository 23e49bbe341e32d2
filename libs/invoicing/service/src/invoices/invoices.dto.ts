import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsAmount } from '@burndown/http';
import type { InvoiceLineInput, TaxRate } from '@burndown/invoicing-domain';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ID_RULE = '1–64 letters, digits, ".", "_" or "-", starting with a letter or digit';
/**
 * Longer than other ids: a subscription's invoices are named after it and its period, a credit
 * note after its invoice and its refund.
 */
const INVOICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class InvoiceIdParam {
  @Matches(INVOICE_ID, {
    message:
      'invoiceId must be 1–200 letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  readonly invoiceId!: string;
}

export class InvoiceLineDto {
  @ApiPropertyOptional({ description: 'Defaults to line-<n>.' })
  @IsOptional()
  @Matches(ID, { message: `lineId must be ${ID_RULE}` })
  readonly lineId?: string;

  @ApiProperty({ example: 'Boost pack, 2,000 credits' })
  @IsString()
  @Length(1, 500)
  readonly description!: string;

  @ApiPropertyOptional({ example: '1', description: 'Whole units, as a string; default 1.' })
  @IsOptional()
  @IsAmount()
  readonly quantity?: string;

  @ApiProperty({ example: '1900', description: 'Minor units per unit, as a string.' })
  @IsAmount()
  readonly unitPrice!: string;

  @ApiPropertyOptional({ example: '2000000000', description: 'Micro-credits granted when paid.' })
  @IsOptional()
  @IsAmount()
  readonly credits?: string;
}

export class TaxRateDto {
  @ApiProperty({ example: 'VAT 20 %' })
  @IsString()
  @Length(1, 100)
  readonly name!: string;

  @ApiProperty({
    example: '200000',
    description: 'Parts per million of the amount (20 % = 200000).',
  })
  @IsAmount()
  readonly ratePpm!: string;

  @ApiProperty({ description: 'True when prices include the tax.' })
  @IsBoolean()
  readonly inclusive!: boolean;
}

export class AddLinesDto {
  @ApiProperty({ type: [InvoiceLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  readonly lines!: InvoiceLineDto[];
}

export class DraftInvoiceDto extends AddLinesDto {
  @ApiPropertyOptional({ description: 'Defaults to inv_<uuid>.' })
  @IsOptional()
  @Matches(ID, { message: `invoiceId must be ${ID_RULE}` })
  readonly invoiceId?: string;

  @ApiProperty({ example: 'acme' })
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, {
    message: 'customerId must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -',
  })
  readonly customerId!: string;

  @ApiProperty({ example: 'USD', description: 'ISO 4217 code.' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code such as USD' })
  readonly currency!: string;

  @ApiPropertyOptional({ type: TaxRateDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaxRateDto)
  readonly taxRate?: TaxRateDto;
}

export class RecordPaymentDto {
  @ApiProperty({ example: 'pay_123', description: 'The payment reported twice is one payment.' })
  @Matches(ID, { message: `paymentId must be ${ID_RULE}` })
  readonly paymentId!: string;

  @ApiProperty({ example: '1900', description: "Minor units: the invoice's whole total." })
  @IsAmount()
  readonly amount!: string;

  @ApiPropertyOptional({ enum: ['manual'], description: 'Default manual.' })
  @IsOptional()
  @IsIn(['manual'], { message: 'provider must be manual (Stripe reports its own payments)' })
  readonly provider?: 'manual';
}

export class ReasonDto {
  @ApiProperty({ example: 'sent twice' })
  @IsString()
  @Length(1, 500)
  readonly reason!: string;
}

export const toLines = (lines: readonly InvoiceLineDto[], offset = 0): InvoiceLineInput[] =>
  lines.map((line, index) => ({
    lineId: line.lineId ?? `line-${offset + index + 1}`,
    description: line.description,
    quantity: BigInt(line.quantity ?? '1'),
    unitPrice: BigInt(line.unitPrice),
    credits: BigInt(line.credits ?? '0'),
  }));

export const toTaxRate = (dto: TaxRateDto | undefined): TaxRate | null =>
  dto === undefined
    ? null
    : { name: dto.name, ratePpm: BigInt(dto.ratePpm), inclusive: dto.inclusive };
