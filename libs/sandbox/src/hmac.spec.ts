import { createHmac } from 'node:crypto';
import { ScriptSandbox } from './script-sandbox';
import { scriptInput } from './testing/script-input.fixture';

const hmacOf = (algorithm: string, key: string, data: string | Buffer, encoding: 'hex' | 'base64' = 'hex') =>
  createHmac(algorithm, key).update(data).digest(encoding);

describe('HMAC', () => {
  const sandbox = new ScriptSandbox();
  afterAll(() => sandbox.dispose());
  const run = async (source: string, body = Buffer.from('{}')) =>
    (await sandbox.run('match', source, scriptInput({ body }))).value;

  it.each(['sha1', 'sha256', 'sha512'])('%s matches node:crypto in hex and base64', async (algorithm) => {
    const value = await run(
      `return [HMAC.${algorithm}('some data', 'key'), HMAC.${algorithm}('some data', 'key', 'base64')]`,
    );
    expect(value).toEqual([hmacOf(algorithm, 'key', 'some data'), hmacOf(algorithm, 'key', 'some data', 'base64')]);
  });

  it('signs strings as UTF-8', async () => {
    const value = await run("return HMAC.sha256('grüße 🚀', 'schlüssel')");
    expect(value).toBe(hmacOf('sha256', 'schlüssel', Buffer.from('grüße 🚀', 'utf8')));
  });

  it.each([
    ['generateHmacSHA1', 'sha1'],
    ['generateHmacSHA256', 'sha256'],
    ['generateHmacSHA512', 'sha512'],
  ])('FlexDeploy %s gives hex', async (helper, algorithm) => {
    expect(await run(`return HMAC.${helper}('data', 'key')`)).toBe(hmacOf(algorithm, 'key', 'data'));
  });

  it('compares in constant time, false for anything but equal strings', async () => {
    const value = await run(
      "return [HMAC.equals('abc', 'abc'), HMAC.equals('abc', 'abd'), HMAC.equals('abc', 'abcd'), HMAC.equals('1', 1), HMAC.equals()]",
    );
    expect(value).toEqual([true, false, false, false, false]);
  });

  describe('over the pristine payload', () => {
    // Spacing and escapes a JSON re-serialisation would change; non-ASCII text in several scripts.
    const whitespaceHeavy = Buffer.from(
      '{\n\t"ref" :  "refs/heads/main" ,\r\n  "msg": "caf\\u00e9 ünïcödé 日本語 🚀",\n  "n":1.50   }\n\n',
      'utf8',
    );

    it('is the body decoded byte for byte', async () => {
      const value = await run('return FLX_PRISTINE_PAYLOAD', whitespaceHeavy);
      expect(Buffer.from(value as string, 'utf8').equals(whitespaceHeavy)).toBe(true);
    });

    it('signs the raw bytes the sender signed', async () => {
      const value = await run("return HMAC.sha256(FLX_PRISTINE_PAYLOAD, 'key')", whitespaceHeavy);
      expect(value).toBe(hmacOf('sha256', 'key', whitespaceHeavy));
    });

    it('signs the raw bytes even when they are not valid UTF-8', async () => {
      const latin1 = Buffer.from('{"name":"caf\xe9"}', 'latin1'); // é as one byte 0xE9: invalid UTF-8
      const value = await run(
        "return [HMAC.sha256(FLX_PRISTINE_PAYLOAD, 'key'), FLX_PRISTINE_PAYLOAD.includes('\\uFFFD')]",
        latin1,
      );
      expect(value).toEqual([hmacOf('sha256', 'key', latin1), true]);
    });

    it('keeps a byte order mark', async () => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]);
      const value = await run(
        "return [HMAC.sha1(FLX_PRISTINE_PAYLOAD, 'k'), FLX_PRISTINE_PAYLOAD.charCodeAt(0), PAYLOAD]",
        withBom,
      );
      expect(value).toEqual([hmacOf('sha1', 'k', withBom), 0xfeff, { a: 1 }]);
    });

    it('signs a modified copy as that string', async () => {
      const value = await run("return HMAC.sha256(FLX_PRISTINE_PAYLOAD + 'x', 'key')", whitespaceHeavy);
      expect(value).toBe(hmacOf('sha256', 'key', Buffer.concat([whitespaceHeavy, Buffer.from('x')])));
    });
  });
});
