import { mergeResponses } from './reply-publisher';

describe('mergeResponses', () => {
  it('lets a later function replace status and body, and merges headers', () => {
    expect(
      mergeResponses([
        { status: 201, body: 'first', headers: { a: '1', b: '1' } },
        null,
        { headers: { b: '2' } },
        { body: { second: true }, headers: {} },
      ]),
    ).toEqual({ status: 201, body: { second: true }, headers: { a: '1', b: '2' } });
  });

  it('is null when no function shaped the response', () => {
    expect(mergeResponses([null, null])).toBeNull();
  });
});
