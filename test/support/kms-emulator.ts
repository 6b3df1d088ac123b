import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the emulator answered, as a test inspects it. */
export interface KmsCall {
  /** `Encrypt`, `Decrypt`, `DescribeKey`, … (X-Amz-Target without `TrentService.`). */
  operation: string;
  /** The key id as the caller named it (Decrypt may name none). */
  keyId?: string;
  encryptionContext?: Record<string, string>;
  /** The access key id of the SigV4 credential the request was signed with. */
  accessKeyId?: string;
  /** `ok` or the error type sent back. */
  outcome: string;
}

/** What one access key may do: actions, and optionally the encryption-context purposes they may name. */
export type KmsGrant = { actions: string[]; purposes?: string[] };

interface EmulatedKey {
  id: string;
  arn: string;
  material: Buffer;
  state: 'Enabled' | 'Disabled';
}

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const BLOB_MAGIC = Buffer.from('SREMU1');

class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The encryption context as AAD: its entries in key order, so the same map gives the same bytes. */
const contextAad = (context: Record<string, string> = {}): Buffer =>
  Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : 1))));

/**
 * A small AWS KMS on 127.0.0.1 for tests: the JSON 1.1 protocol (POST /, X-Amz-Target:
 * TrentService.<Operation>, application/x-amz-json-1.1) for CreateKey, DescribeKey,
 * Encrypt, Decrypt, GenerateDataKey, EnableKey and DisableKey. Inside, real AES-256-GCM
 * with the encryption context as AAD, so a Decrypt under another context fails with
 * InvalidCiphertextException as KMS's does. Signatures are not verified; the access key
 * id of the SigV4 credential is read, so grants per access key can play the IAM
 * policies of deploy/aws-kms. No real KMS is reachable from the machines this runs on.
 */
export async function startKmsEmulator() {
  const keys = new Map<string, EmulatedKey>();
  const calls: KmsCall[] = [];
  const grants = new Map<string, KmsGrant[]>();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  function createKey(): EmulatedKey {
    const id = randomUUID();
    const key: EmulatedKey = {
      id,
      arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`,
      material: randomBytes(32),
      state: 'Enabled',
    };
    keys.set(id, key);
    return key;
  }

  function keyNamed(keyId: unknown): EmulatedKey {
    if (typeof keyId !== 'string') throw new KmsError('ValidationException', 'KeyId is required');
    const id = keyId.startsWith('arn:') ? keyId.slice(keyId.lastIndexOf('/') + 1) : keyId;
    const key = keys.get(id);
    if (!key) throw new KmsError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  }

  const usable = (key: EmulatedKey): EmulatedKey => {
    if (key.state !== 'Enabled') throw new KmsError('DisabledException', `${key.arn} is disabled.`);
    return key;
  };

  const metadata = (key: EmulatedKey) => ({
    KeyId: key.id,
    Arn: key.arn,
    AWSAccountId: ACCOUNT,
    Enabled: key.state === 'Enabled',
    KeyState: key.state,
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    KeyManager: 'CUSTOMER',
    Origin: 'AWS_KMS',
    CreationDate: Date.now() / 1000,
  });

  function seal(key: EmulatedKey, plaintext: Buffer, context?: Record<string, string>): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(contextAad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const id = Buffer.from(key.id);
    return Buffer.concat([BLOB_MAGIC, Buffer.from([id.length]), id, iv, cipher.getAuthTag(), body]);
  }

  function open(blob: Buffer, context: Record<string, string> | undefined, named?: string) {
    const invalid = () => new KmsError('InvalidCiphertextException', '');
    if (!blob.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) throw invalid();
    const idLength = blob[BLOB_MAGIC.length] ?? 0;
    const at = BLOB_MAGIC.length + 1;
    const key = keys.get(blob.subarray(at, at + idLength).toString());
    if (!key) throw invalid();
    if (named !== undefined && keyNamed(named) !== key) {
      throw new KmsError(
        'IncorrectKeyException',
        'The key ID in the request does not identify the key that encrypted the ciphertext.',
      );
    }
    usable(key);
    const iv = blob.subarray(at + idLength, at + idLength + 12);
    const tag = blob.subarray(at + idLength + 12, at + idLength + 28);
    const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
    decipher.setAAD(contextAad(context));
    decipher.setAuthTag(tag);
    try {
      return {
        key,
        plaintext: Buffer.concat([decipher.update(blob.subarray(at + idLength + 28)), decipher.final()]),
      };
    } catch {
      throw invalid();
    }
  }

  type Body = Record<string, unknown>;
  const b64 = (value: unknown): Buffer => Buffer.from(typeof value === 'string' ? value : '', 'base64');
  const contextOf = (body: Body) => body.EncryptionContext as Record<string, string> | undefined;

  const operations: Record<string, (body: Body) => Body> = {
    CreateKey: () => ({ KeyMetadata: metadata(createKey()) }),
    DescribeKey: (body) => ({ KeyMetadata: metadata(keyNamed(body.KeyId)) }),
    EnableKey: (body) => {
      keyNamed(body.KeyId).state = 'Enabled';
      return {};
    },
    DisableKey: (body) => {
      keyNamed(body.KeyId).state = 'Disabled';
      return {};
    },
    Encrypt: (body) => {
      const key = usable(keyNamed(body.KeyId));
      return {
        CiphertextBlob: seal(key, b64(body.Plaintext), contextOf(body)).toString('base64'),
        KeyId: key.arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    GenerateDataKey: (body) => {
      const key = usable(keyNamed(body.KeyId));
      const plaintext = randomBytes(Number(body.NumberOfBytes ?? (body.KeySpec === 'AES_128' ? 16 : 32)));
      return {
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: seal(key, plaintext, contextOf(body)).toString('base64'),
        KeyId: key.arn,
      };
    },
    Decrypt: (body) => {
      const { key, plaintext } = open(
        b64(body.CiphertextBlob),
        contextOf(body),
        typeof body.KeyId === 'string' ? body.KeyId : undefined,
      );
      return {
        Plaintext: plaintext.toString('base64'),
        KeyId: key.arn,
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  };

  /** The grants of deploy/aws-kms played per access key: an action outside them is AccessDenied. */
  function authorize(accessKeyId: string | undefined, operation: string, body: Body): void {
    const granted = accessKeyId === undefined ? undefined : grants.get(accessKeyId);
    if (!granted) return;
    const purpose = contextOf(body)?.purpose;
    const allowed = granted.some(
      (g) =>
        g.actions.includes(operation) &&
        (g.purposes === undefined || (purpose !== undefined && g.purposes.includes(purpose))),
    );
    if (!allowed) {
      throw new KmsError(
        'AccessDeniedException',
        `${accessKeyId} is not authorized to perform: kms:${operation}`,
      );
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^TrentService\./, '');
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    let body: Body = {};
    const call: KmsCall = { operation, accessKeyId, outcome: 'ok' };
    try {
      if (!target.startsWith('TrentService.') || !operations[operation]) {
        throw new KmsError('UnknownOperationException', `unknown target ${target}`);
      }
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        throw new KmsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      }
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
      call.keyId = typeof body.KeyId === 'string' ? body.KeyId : undefined;
      call.encryptionContext = contextOf(body);
      authorize(accessKeyId, operation, body);
      const answer = operations[operation]!(body);
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer));
    } catch (error) {
      const failure =
        error instanceof KmsError ? error : new KmsError('KMSInternalException', 'internal', 500);
      call.outcome = failure.type;
      res.writeHead(failure.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': failure.type,
      });
      res.end(JSON.stringify({ __type: failure.type, message: failure.message }));
    } finally {
      calls.push(call);
    }
  }

  async function listen(onPort: number): Promise<void> {
    server = createServer((req, res) => void handle(req, res));
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(onPort, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }

  await listen(0);

  return {
    get endpoint(): string {
      return `http://127.0.0.1:${port}`;
    },
    region: REGION,
    createKey,
    disableKey: (keyId: string) => void (keyNamed(keyId).state = 'Disabled'),
    enableKey: (keyId: string) => void (keyNamed(keyId).state = 'Enabled'),
    /** Every request answered so far, oldest first. */
    calls,
    /** Limits an access key to `list` (as an IAM policy would); without an entry it may do anything. */
    grant(accessKeyId: string, list: KmsGrant[]): void {
      grants.set(accessKeyId, list);
    },
    /** KMS unreachable: the port closed, open connections cut. */
    async stop(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
    },
    /** Back on the same port, with the same keys. */
    async restart(): Promise<void> {
      await listen(port);
    },
    /** The variables a Strongroom process needs to use this KMS (the AWS SDK's own). */
    awsEnv(accessKeyId = 'AKIDSTRONGROOMTEST'): Record<string, string> {
      return {
        AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${port}`,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: 'emulator-secret-not-checked',
        // Never ask an instance metadata endpoint for credentials or a region.
        AWS_EC2_METADATA_DISABLED: 'true',
      };
    },
  };
}

export type KmsEmulator = Awaited<ReturnType<typeof startKmsEmulator>>;
