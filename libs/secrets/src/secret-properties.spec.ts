import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher';
import { decryptProperties, reencryptProperties, SecretPropertyError } from './secret-properties';

describe('secret properties', () => {
  const keyA = { id: 'a', key: randomBytes(32) };
  const keyB = { id: 'b', key: randomBytes(32) };
  const a = new SecretCipher([keyA]);
  const b = new SecretCipher([keyB]);

  it('decrypts secret values only', () => {
    const stored = [
      { name: 'token', value: a.encrypt('s3cret'), secret: true },
      { name: 'team', value: 'enc:not-a-secret', secret: false },
      { name: 'legacy', value: 'plain', secret: true },
    ];

    expect(decryptProperties(stored, a)).toEqual([
      { name: 'token', value: 's3cret', secret: true },
      { name: 'team', value: 'enc:not-a-secret', secret: false },
      { name: 'legacy', value: 'plain', secret: true },
    ]);
  });

  it('names the property it cannot decrypt', () => {
    const stored = [{ name: 'token', value: a.encrypt('s3cret'), secret: true }];

    expect(() => decryptProperties(stored, b)).toThrow(SecretPropertyError);
    expect(() => decryptProperties(stored, b)).toThrow(
      /^secret property 'token' cannot be decrypted: it was encrypted with key 'a'/,
    );
  });

  it('re-encrypts what is not under the first key yet, and counts it', () => {
    const rotating = new SecretCipher([keyB, keyA]);
    const current = b.encrypt('current');
    const stored = [
      { name: 'old', value: a.encrypt('old'), secret: true },
      { name: 'legacy', value: 'plain', secret: true },
      { name: 'current', value: current, secret: true },
      { name: 'team', value: 'platform', secret: false },
    ];

    const { properties, changed } = reencryptProperties(stored, rotating);

    expect(changed).toBe(2);
    expect(properties.map((p) => rotating.keyIdOf(p.value))).toEqual(['b', 'b', 'b', null]);
    expect(properties[2].value).toBe(current);
    expect(decryptProperties(properties, b).map((p) => p.value)).toEqual(['old', 'plain', 'current', 'platform']);
  });
});
