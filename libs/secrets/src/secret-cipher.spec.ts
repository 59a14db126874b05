import { randomBytes } from 'node:crypto';
import { SecretCipher, SecretDecryptionError, SecretsKeyMissingError } from './secret-cipher';

describe('SecretCipher', () => {
  const a = { id: 'a', key: randomBytes(32) };
  const b = { id: 'b', key: randomBytes(32) };

  it('encrypts with AES-256-GCM as enc:v1:<keyId>:<iv>:<tag>:<ciphertext>, and decrypts', () => {
    const cipher = new SecretCipher([a]);

    const stored = cipher.encrypt('s3cret ✓');

    const [prefix, version, keyId, iv, tag, ciphertext, ...rest] = stored.split(':');
    expect([prefix, version, keyId, rest]).toEqual(['enc', 'v1', 'a', []]);
    expect(Buffer.from(iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64')).toHaveLength(16);
    expect(Buffer.from(ciphertext, 'base64')).toHaveLength(Buffer.byteLength('s3cret ✓'));
    expect(stored).not.toContain('s3cret');
    expect(cipher.decrypt(stored)).toBe('s3cret ✓');
  });

  it('uses a fresh iv every time', () => {
    const cipher = new SecretCipher([a]);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('encrypts with the first key and decrypts with any, found by key id (rotation)', () => {
    const old = new SecretCipher([a]).encrypt('old');
    const rotated = new SecretCipher([b, a]);

    expect(rotated.keyId).toBe('b');
    expect(rotated.keyIdOf(rotated.encrypt('new'))).toBe('b');
    expect(rotated.decrypt(old)).toBe('old');
  });

  it('returns a value without the enc: prefix as it is (plaintext stored before encryption)', () => {
    const cipher = new SecretCipher([a]);
    expect(cipher.isEncrypted('plain')).toBe(false);
    expect(cipher.keyIdOf('plain')).toBeNull();
    expect(cipher.decrypt('plain')).toBe('plain');
    expect(new SecretCipher([]).decrypt('plain')).toBe('plain');
  });

  it('names a key it does not have', () => {
    const stored = new SecretCipher([a]).encrypt('x');

    expect(() => new SecretCipher([b]).decrypt(stored)).toThrow(SecretDecryptionError);
    expect(() => new SecretCipher([b]).decrypt(stored)).toThrow(
      "it was encrypted with key 'a', which SECRETS_KEYS does not list (it has 'b')",
    );
  });

  it('refuses a wrong key under the right id, and an altered value', () => {
    const stored = new SecretCipher([a]).encrypt('x');
    const impostor = new SecretCipher([{ id: 'a', key: b.key }]);
    const parts = stored.split(':');
    parts[5] = Buffer.from('y').toString('base64');

    expect(() => impostor.decrypt(stored)).toThrow(/key 'a' does not decrypt it/);
    expect(() => new SecretCipher([a]).decrypt(parts.join(':'))).toThrow(/key 'a' does not decrypt it/);
    // The key id is authenticated: a value cannot be moved under another id.
    const moved = stored.replace('enc:v1:a:', 'enc:v1:b:');
    expect(() => new SecretCipher([a, { id: 'b', key: a.key }]).decrypt(moved)).toThrow(/does not decrypt/);
  });

  it('refuses a malformed value', () => {
    expect(() => new SecretCipher([a]).decrypt('enc:v2:a:x:y:z')).toThrow(/not in the enc:v1:/);
    expect(() => new SecretCipher([a]).decrypt('enc:v1:a:AAAA:AAAA:AAAA')).toThrow(/wrong length/);
  });

  it('cannot encrypt or decrypt without a key', () => {
    const stored = new SecretCipher([a]).encrypt('x');
    const none = new SecretCipher([]);

    expect(none.keyId).toBeUndefined();
    expect(() => none.encrypt('x')).toThrow(SecretsKeyMissingError);
    expect(() => none.decrypt(stored)).toThrow(SecretsKeyMissingError);
    expect(() => none.decrypt(stored)).toThrow(/SECRETS_KEYS/);
  });
});
