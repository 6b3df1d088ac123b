import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where webhooks may go (SPEC §5.2): never to loopback, private, link-local, metadata or
 * otherwise special addresses, unless the host is listed in
 * STRONGROOM_WEBHOOK_ALLOWED_HOSTS; development may also allow loopback.
 */
export interface DestinationPolicy {
  /** Host names or addresses (lower case) whose addresses are never refused. */
  allowedHosts: ReadonlySet<string>;
  /** Loopback addresses (127.0.0.0/8, ::1) allowed: development's default. */
  allowLoopback: boolean;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Every range a webhook must not reach by default (RFC 6890 special-purpose, and cloud metadata). */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, and the metadata address 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  REFUSED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local, including the fd00:ec2::254 metadata address
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  REFUSED.addSubnet(net, prefix, 'ipv6');

/** An IPv4-mapped IPv6 address as its IPv4 form; anything else as it is. */
const unmapped = (address: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
};

/** Whether `address` may be connected to for a URL whose host is `host`. */
export function addressAllowed(policy: DestinationPolicy, host: string, address: string): boolean {
  if (policy.allowedHosts.has(host.toLowerCase()) || policy.allowedHosts.has(address)) return true;
  const plain = unmapped(address);
  const family = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (policy.allowLoopback && LOOPBACK.check(plain, family)) return true;
  return !REFUSED.check(plain, family);
}

/** A failure of one attempt, by class: what is recorded, never a response body beyond an excerpt. */
export class DeliveryError extends Error {
  constructor(
    readonly errorClass: 'ADDRESS_NOT_ALLOWED' | 'DNS' | 'TIMEOUT' | 'CONNECTION' | 'BAD_URL',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A DNS lookup that resolves the name itself and hands the socket only addresses the
 * policy allows: the address checked is the address connected to, so a name that
 * answers differently the second time (DNS rebinding) gains nothing.
 */
function checkedLookup(policy: DestinationPolicy, host: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) {
        callback(new DeliveryError('DNS', `could not resolve ${hostname}`), '', 4);
        return;
      }
      const allowed = (addresses as LookupAddress[]).filter((a) => addressAllowed(policy, host, a.address));
      if (allowed.length === 0) {
        callback(
          new DeliveryError('ADDRESS_NOT_ALLOWED', `${hostname} resolves to no allowed address`),
          '',
          4,
        );
        return;
      }
      if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      else callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** What a receiver answered. */
export interface DeliveryResponse {
  statusCode: number;
  /** Seconds the receiver asked to wait (Retry-After), when it said. */
  retryAfterSeconds?: number;
  /** At most 256 characters of the body. */
  excerpt: string;
}

const EXCERPT_BYTES = 256;

function retryAfterOf(response: IncomingMessage, now: number): number | undefined {
  const header = response.headers['retry-after'];
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - now) / 1000));
}

/**
 * POSTs `body` to `url` once: the address checked at connect time, no redirect followed
 * (a 3xx is a failed attempt), `timeoutMs` for the whole exchange, a fresh connection
 * each time. Resolves with the status; rejects with a DeliveryError when no response came.
 */
export function postWebhook(
  policy: DestinationPolicy,
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<DeliveryResponse> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.reject(new DeliveryError('BAD_URL', 'not a URL'));
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // Node does not look up an address literal: it is checked here instead.
  if (isIP(host) && !addressAllowed(policy, host, host))
    return Promise.reject(new DeliveryError('ADDRESS_NOT_ALLOWED', `${host} is not an allowed address`));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
        lookup: checkedLookup(policy, host),
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) response.destroy();
        });
        const done = () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            retryAfterSeconds: retryAfterOf(response, Date.now()),
            excerpt: Buffer.concat(chunks)
              .subarray(0, EXCERPT_BYTES)
              .toString('utf8')
              .slice(0, EXCERPT_BYTES),
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new DeliveryError('TIMEOUT', `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new DeliveryError('TIMEOUT', `no answer within ${timeoutMs} ms`)));
    req.on('error', (error) =>
      reject(
        error instanceof DeliveryError ? error : new DeliveryError('CONNECTION', 'the connection failed'),
      ),
    );
    req.end(body);
  });
}
