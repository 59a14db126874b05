import { ValidationFailedError } from '../errors/api-error';
import { maskSecrets, resolveProperties, SECRET_MASK } from './provider-properties';

describe('maskSecrets', () => {
  it('hides secret values only', () => {
    expect(
      maskSecrets([
        { name: 'token', value: 's3cret', secret: true },
        { name: 'team', value: 'platform', secret: false },
      ]),
    ).toEqual([
      { name: 'token', value: SECRET_MASK, secret: true },
      { name: 'team', value: 'platform', secret: false },
    ]);
  });
});

describe('resolveProperties', () => {
  const stored = [
    { name: 'token', value: 's3cret', secret: true },
    { name: 'team', value: 'platform', secret: false },
  ];

  it('defaults secret to false', () => {
    expect(resolveProperties([{ name: 'a', value: 'b' }])).toEqual([{ name: 'a', value: 'b', secret: false }]);
  });

  it('keeps the stored value of a secret sent as the mask', () => {
    expect(resolveProperties([{ name: 'token', value: SECRET_MASK, secret: true }], stored)).toEqual([
      { name: 'token', value: 's3cret', secret: true },
    ]);
  });

  it('takes a new value for a secret', () => {
    expect(resolveProperties([{ name: 'token', value: 'rotated', secret: true }], stored)).toEqual([
      { name: 'token', value: 'rotated', secret: true },
    ]);
  });

  it('takes the mask literally for a property that is not secret', () => {
    // Otherwise turning a secret into a plain property would reveal its stored value.
    expect(resolveProperties([{ name: 'token', value: SECRET_MASK, secret: false }], stored)).toEqual([
      { name: 'token', value: SECRET_MASK, secret: false },
    ]);
  });

  it('refuses the mask for a secret with nothing stored under its name', () => {
    expect(() => resolveProperties([{ name: 'other', value: SECRET_MASK, secret: true }], stored)).toThrow(
      expect.objectContaining({ body: expect.objectContaining({ field: 'properties[0].value' }) }),
    );
  });

  it('refuses a name listed twice, naming the second', () => {
    const sent = [
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
      { name: 'a', value: '3' },
    ];

    expect(() => resolveProperties(sent)).toThrow(ValidationFailedError);
    expect(() => resolveProperties(sent)).toThrow(
      expect.objectContaining({
        body: {
          error: 'validation_failed',
          field: 'properties[2].name',
          message: "property 'a' is listed more than once",
        },
      }),
    );
  });
});
