import { createServer, type Server } from 'node:http';
import { loadConfig } from '@hookline/config';
import { HttpEgress, isPublicAddress } from './http-egress';

describe('HttpEgress', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(2048));
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () =>
        res.setHeader('x-echo', 'yes').end(JSON.stringify({ method: req.method, url: req.url, body })),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const egress = (env: Record<string, string>) =>
    new HttpEgress(loadConfig({ ...env, SCRIPT_HTTP_MAX_RESPONSE_BYTES: '1024' }));

  it('calls a host allowed by name for private addresses, and returns status, headers and body', async () => {
    const res = await egress({ SCRIPT_HTTP_PRIVATE_HOSTS: '127.0.0.1' }).request({
      method: 'post',
      url: `http://127.0.0.1:${port}/hook?x=1`,
      body: 'hello',
    });

    expect(res.status).toBe(200);
    expect(res.headers['x-echo']).toBe('yes');
    expect(JSON.parse(res.body)).toEqual({ method: 'POST', url: '/hook?x=1', body: 'hello' });
  });

  it('refuses a host that is not on the allow-list', async () => {
    await expect(egress({}).request({ method: 'GET', url: 'https://example.com/' })).rejects.toThrow(
      "host 'example.com' is not allowed; list it in SCRIPT_HTTP_HOSTS",
    );
  });

  it('refuses an allowed name that resolves to loopback, checked after DNS resolution', async () => {
    await expect(
      egress({ SCRIPT_HTTP_HOSTS: '*' }).request({ method: 'GET', url: `http://localhost:${port}/` }),
    ).rejects.toThrow(/host 'localhost' resolves to the non-public address (127\.0\.0\.1|::1)/);
  });

  it('refuses private addresses even with a wildcard allow-list', async () => {
    await expect(
      egress({ SCRIPT_HTTP_HOSTS: '*' }).request({ method: 'GET', url: 'http://10.1.2.3/' }),
    ).rejects.toThrow(/non-public address 10\.1\.2\.3/);
  });

  it('cuts a response over the size cap', async () => {
    await expect(
      egress({ SCRIPT_HTTP_PRIVATE_HOSTS: '127.0.0.1' }).request({
        method: 'GET',
        url: `http://127.0.0.1:${port}/big`,
      }),
    ).rejects.toThrow('larger than 1024 bytes');
  });

  it('refuses schemes other than http and https', async () => {
    await expect(
      egress({ SCRIPT_HTTP_HOSTS: '*' }).request({ method: 'GET', url: 'file:///etc/passwd' }),
    ).rejects.toThrow('only http and https URLs can be called, not file:');
  });

  it.each([
    ['127.0.0.1', false],
    ['10.0.0.5', false],
    ['172.20.1.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
  ])('classifies %s as public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
