import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreateCustomerDto {
  @ApiProperty({
    example: 'acme',
    description: 'Your id for the customer; also the id of its wallet.',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, {
    message: 'id must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
  })
  readonly id!: string;

  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @Length(1, 200)
  readonly name!: string;
}
