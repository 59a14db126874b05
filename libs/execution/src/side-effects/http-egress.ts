import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HOOKLINE_CONFIG, type HooklineConfig } from '@hookline/config';
import { AllowList } from './allow-list';

export interface EgressRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface EgressResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Loopback, private, link-local, shared, multicast and reserved ranges, v4 and v6. */
const NON_PUBLIC = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['224.0.0.0', 3],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [
    ['::', 127],
    ['::1', 128],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
})();

export function isPublicAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address is judged by its IPv4 part (BlockList maps IPv4 the other way).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  return !NON_PUBLIC.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * HTTP calls of function scripts: only to allowed hosts, never to a non-public address unless
 * that host is allowed by name for it. The address is checked after DNS resolution and the
 * connection goes to that checked address, so a second, different answer cannot slip through.
 */
@Injectable()
export class HttpEgress {
  private readonly hosts: AllowList;
  private readonly privateHosts: AllowList;
  private readonly maxBytes: number;

  constructor(@Inject(HOOKLINE_CONFIG) config: HooklineConfig) {
    this.hosts = new AllowList(config.sideEffects.httpHosts);
    this.privateHosts = new AllowList(config.sideEffects.httpPrivateHosts);
    this.maxBytes = config.sideEffects.httpMaxResponseBytes;
  }

  async request(req: EgressRequest): Promise<EgressResponse> {
    const url = parseUrl(req.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!this.hosts.allows(host) && !this.privateHosts.names(host)) {
      throw new Error(`host '${host}' is not allowed; list it in SCRIPT_HTTP_HOSTS`);
    }
    const address = await this.resolve(host);
    return this.send(url, address, req);
  }

  private async resolve(host: string): Promise<{ address: string; family: number }> {
    const answers = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
    if (answers.length === 0) throw new Error(`host '${host}' did not resolve`);
    const blocked = answers.find((answer) => !isPublicAddress(answer.address));
    if (blocked && !this.privateHosts.names(host)) {
      throw new Error(
        `host '${host}' resolves to the non-public address ${blocked.address}; allow it by name in SCRIPT_HTTP_PRIVATE_HOSTS`,
      );
    }
    return answers[0];
  }

  private send(url: URL, target: { address: string; family: number }, req: EgressRequest): Promise<EgressResponse> {
    const timeoutMs = Math.min(req.timeoutMs ?? DEFAULT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS * 6);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<EgressResponse>((resolve, reject) => {
      const outgoing = send(
        url,
        {
          method: req.method.toUpperCase(),
          headers: req.headers,
          timeout: timeoutMs,
          // Connect to the address that was checked, whatever DNS would answer now.
          lookup: (_hostname, options, callback) => {
            if ((options as { all?: boolean }).all) {
              (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
            } else {
              callback(null, target.address, target.family);
            }
          },
        },
        (response) => this.read(response, resolve, reject, url),
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(req.body);
    });
  }

  private read(response: IncomingMessage, resolve: (r: EgressResponse) => void, reject: (e: Error) => void, url: URL) {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.maxBytes) {
        response.destroy();
        reject(new Error(`the response of ${url.host} is larger than ${this.maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', reject);
    response.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
    });
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`'${raw}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`only http and https URLs can be called, not ${url.protocol}`);
  }
  return url;
}
