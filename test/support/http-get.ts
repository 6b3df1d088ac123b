import { get, type Agent } from 'node:http';

interface Answer {
  status: number;
  body: string;
  /** Whether the request went out on a connection `agent` kept from an earlier one. */
  reused: boolean;
}

function getFrom(port: number, path: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: 3_000, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, reused: req.reusedSocket }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** One plain-HTTP GET to 127.0.0.1: status and body, or a rejection when the connection fails. */
export async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const { status, body } = await getFrom(port, path);
  return { status, body };
}

/** The same through `agent` (a keep-alive one, say), saying whether its connection was reused. */
export const httpGetThrough = (agent: Agent, port: number, path: string): Promise<Answer> =>
  getFrom(port, path, agent);
