import { randomBytes } from 'node:crypto';
import { SecretCipher } from '@hookline/secrets';
import { ValidationFailedError } from '../errors/api-error';
import { maskSecrets, resolveProperties, SECRET_MASK } from './provider-properties';

describe('maskSecrets', () => {
  it('hides secret values only', () => {
    expect(
      maskSecrets([
        { name: 'token', value: 'enc:v1:k:a:b:c', secret: true },
        { name: 'team', value: 'platform', secret: false },
      ]),
    ).toEqual([
      { name: 'token', value: SECRET_MASK, secret: true },
      { name: 'team', value: 'platform', secret: false },
    ]);
  });
});

describe('resolveProperties', () => {
  const cipher = new SecretCipher([{ id: 'k1', key: randomBytes(32) }]);
  const noKey = new SecretCipher([]);
  const stored = [
    { name: 'token', value: cipher.encrypt('s3cret'), secret: true },
    { name: 'team', value: 'platform', secret: false },
  ];

  it('defaults secret to false and keeps plain values as sent', () => {
    expect(resolveProperties([{ name: 'a', value: 'b' }], [], cipher)).toEqual([
      { name: 'a', value: 'b', secret: false },
    ]);
  });

  it('encrypts a secret value', () => {
    const [token] = resolveProperties([{ name: 'token', value: 'new', secret: true }], [], cipher);

    expect(token.value).toMatch(/^enc:v1:k1:/);
    expect(cipher.decrypt(token.value)).toBe('new');
  });

  it('keeps the stored ciphertext of a secret sent as the mask', () => {
    expect(resolveProperties([{ name: 'token', value: SECRET_MASK, secret: true }], stored, cipher)).toEqual([
      { name: 'token', value: stored[0].value, secret: true },
    ]);
  });

  it('keeps a stored ciphertext even without a key', () => {
    expect(resolveProperties([{ name: 'token', value: SECRET_MASK, secret: true }], stored, noKey)).toEqual([
      { name: 'token', value: stored[0].value, secret: true },
    ]);
  });

  it('encrypts a kept value that was stored in plaintext', () => {
    const [token] = resolveProperties(
      [{ name: 'team', value: SECRET_MASK, secret: true }],
      [{ name: 'team', value: 'platform', secret: false }],
      cipher,
    );

    expect(cipher.decrypt(token.value)).toBe('platform');
  });

  it('takes the mask literally for a property that is not secret', () => {
    // Otherwise turning a secret into a plain property would reveal its stored value.
    expect(resolveProperties([{ name: 'token', value: SECRET_MASK, secret: false }], stored, cipher)).toEqual([
      { name: 'token', value: SECRET_MASK, secret: false },
    ]);
  });

  it('refuses the mask for a secret with nothing stored under its name', () => {
    expect(() => resolveProperties([{ name: 'other', value: SECRET_MASK, secret: true }], stored, cipher)).toThrow(
      expect.objectContaining({ body: expect.objectContaining({ field: 'properties[0].value' }) }),
    );
  });

  it('refuses a new secret without a key, naming it', () => {
    const sent = [
      { name: 'team', value: 'platform' },
      { name: 'token', value: 'new', secret: true },
    ];

    expect(() => resolveProperties(sent, [], noKey)).toThrow(
      expect.objectContaining({
        body: {
          error: 'secrets_key_missing',
          field: 'properties[1].value',
          message: expect.stringContaining("secret property 'token' cannot be stored"),
        },
      }),
    );
  });

  it('refuses a name listed twice, naming the second', () => {
    const sent = [
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
      { name: 'a', value: '3' },
    ];

    expect(() => resolveProperties(sent, [], cipher)).toThrow(ValidationFailedError);
    expect(() => resolveProperties(sent, [], cipher)).toThrow(
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
