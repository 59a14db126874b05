import type { ValidationError } from '@nestjs/common';
import { firstProblem } from './validation.pipe';

const error = (property: string, constraints?: Record<string, string>, children: ValidationError[] = []) =>
  ({ property, constraints, children }) as ValidationError;

describe('firstProblem', () => {
  it('names a top-level field', () => {
    expect(firstProblem([error('name', { isString: 'name must be a string' })])).toEqual({
      field: 'name',
      message: 'name must be a string',
    });
  });

  it('names a nested field by its path and says so in the message', () => {
    const errors = [
      error('properties', undefined, [error('1', undefined, [error('name', { isDefined: 'name is required' })])]),
    ];

    expect(firstProblem(errors)).toEqual({ field: 'properties[1].name', message: 'properties[1].name is required' });
  });

  it('takes the first error, depth first', () => {
    const errors = [
      error('properties', undefined, [error('0', undefined, [error('value', { isString: 'value must be a string' })])]),
      error('name', { isString: 'name must be a string' }),
    ];

    expect(firstProblem(errors)?.field).toBe('properties[0].value');
  });

  it('keeps messages that do not start with the property', () => {
    expect(firstProblem([error('extra', { whitelistValidation: 'property extra should not exist' })])).toEqual({
      field: 'extra',
      message: 'property extra should not exist',
    });
  });

  it('has nothing to say without constraints', () => {
    expect(firstProblem([])).toBeNull();
  });
});
