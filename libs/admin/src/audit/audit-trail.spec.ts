import { maskSecretValues } from './audit-trail';

describe('maskSecretValues', () => {
  it('masks the value of every secret property, however deep', () => {
    const provider = {
      name: 'github',
      properties: [
        { name: 'WEBHOOK_SECRET', value: 'enc:v1:k:iv:tag:ct', secret: true },
        { name: 'team', value: 'platform', secret: false },
      ],
    };

    expect(maskSecretValues({ providers: [provider] })).toEqual({
      providers: [
        {
          name: 'github',
          properties: [
            { name: 'WEBHOOK_SECRET', value: '****', secret: true },
            { name: 'team', value: 'platform', secret: false },
          ],
        },
      ],
    });
    expect(provider.properties[0].value).toBe('enc:v1:k:iv:tag:ct');
  });

  it('leaves everything else as it is', () => {
    expect(maskSecretValues(null)).toBeNull();
    expect(maskSecretValues(['a', 1])).toEqual(['a', 1]);
    expect(maskSecretValues({ run: 1, secret: 'yes', value: 'kept' })).toEqual({
      run: 1,
      secret: 'yes',
      value: 'kept',
    });
  });
});
