/** Topic values are UTF-8 JSON. */
export const encodeEvent = (event: object): Buffer => Buffer.from(JSON.stringify(event));

export const decodeEvent = <T>(value: Buffer | null): T => {
  if (!value || value.length === 0) throw new Error('empty record value');
  return JSON.parse(value.toString('utf8')) as T;
};
