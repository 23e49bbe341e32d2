import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';

export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Ids the caller chooses (grant, hold, refund …): also part of command ids, so kept plain. */
export const IsResourceId = (field: string): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(RESOURCE_ID_PATTERN, {
      message: `${field} must be 1–128 characters of A–Z, a–z, 0–9, _ . : or -`,
    }),
  );
