import { IsUUID } from 'class-validator';
import { IsOmittable } from '../../validation/validators';

export class ListFunctionsQueryDto {
  @IsUUID('all', { message: '$property must be the id of a provider' })
  @IsOmittable()
  providerId?: string;
}
