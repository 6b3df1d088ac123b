import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createExecCommand, type ExecCommandDeps } from '../../services/cli/commands/exec.js';
import type { CommandContext } from '../../services/cli/command.js';
import { loadConfig } from '../../services/core/config/config.js';
import { DomainError } from '../../services/protocol/domain-error.js';
import { createLogger } from '../../services/core/logging/logger.js';
import type {
  ResolverConnectionOptions,
  RunContext,
  SecretResolverClient,
} from '../../services/sdk/resolver-client-types.js';
import { MissingSecretsError } from '../../services/sdk/sdk-errors.js';

/** Runs the exec command in-process with captured output, a fake signal source and an optional remote client. */
async function exec(
  args: string[],
  deps: Partial<ExecCommandDeps> = {},
  signals = new EventEmitter(),
  env: Record<string, string> = {},
) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collected = { stdout: '', stderr: '', err: [] as string[] };
  stdout.on('data', (c: Buffer) => (collected.stdout += c.toString()));
  stderr.on('data', (c: Buffer) => (collected.stderr += c.toString()));
  const context: CommandContext = {
    config: loadConfig({ STRONGROOM_DATA_DIR: '/nonexistent/strongroom' }),
    args,
    logger: createLogger({ level: 'silent', name: 'test' }),
    env: { PATH: process.env.PATH, ...env },
    out: () => {},
    err: (line) => collected.err.push(line),
  };
  const signalSource = signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>;
  const code = await createExecCommand({ stdout, stderr, signalSource, ...deps })(context);
  // Let the last chunks reach the collectors.
  await new Promise((resolve) => setImmediate(resolve));
  return { code, ...collected };
}

const remoteArgs = [
  '--names', 'DB_PASSWORD',
  '--workspace', 'w1', '--workflow', 'wf1', '--run', 'r1', '--trigger', 'schedule',
  '--workflow-owner', 'owner-1', '--step', 'step-3',
  '--resolver', 'resolver.internal:50051', '--ca', 'ca.pem', '--cert', 'runner.pem', '--key', 'runner-key.pem',
  '--deadline-ms', '1500',
]; // prettier-ignore

describe('createExecCommand with a remote client factory', () => {
  it('passes the run context and connection options, masks the output and closes the client', async () => {
    const calls: Array<{
      options: ResolverConnectionOptions;
      context?: RunContext;
      names?: readonly string[];
    }> = [];
    let closed = false;
    const client = (options: ResolverConnectionOptions): SecretResolverClient => {
      const call: (typeof calls)[number] = { options };
      calls.push(call);
      return {
        async resolve(context, names) {
          Object.assign(call, { context, names });
          return [{ name: 'DB_PASSWORD', value: 'db-pa55word', scope: 'WORKSPACE', version: 4 }];
        },
        close: () => void (closed = true),
      };
    };
    const script = 'console.log("pw=" + process.env.DB_PASSWORD)';
    const result = await exec([...remoteArgs, '--', process.execPath, '-e', script], {
      createRemoteClient: client,
    });
    expect(result).toMatchObject({ code: 0, stdout: 'pw=***\n' });
    expect(calls[0]).toEqual({
      options: {
        address: 'resolver.internal:50051',
        caPath: 'ca.pem',
        certPath: 'runner.pem',
        keyPath: 'runner-key.pem',
        deadlineMs: 1500,
      },
      context: {
        workspaceId: 'w1',
        workflowId: 'wf1',
        runId: 'r1',
        trigger: 'SCHEDULE',
        triggeredBy: '',
        workflowOwner: 'owner-1',
        stepId: 'step-3',
      },
      names: ['DB_PASSWORD'],
    });
    expect(closed).toBe(true);
  });

  it('exits 3 without starting the command when the resolver fails', async () => {
    const failing = (error: unknown) => () => ({ resolve: () => Promise.reject(error) });
    const missing = await exec([...remoteArgs, '--', 'false'], {
      createRemoteClient: failing(new MissingSecretsError(['DB_PASSWORD'])),
    });
    expect(missing.code).toBe(3);
    expect(missing.err.join('\n')).toContain('1 secret not found: DB_PASSWORD; false was not started');
    const down = await exec([...remoteArgs, '--', 'false'], {
      createRemoteClient: failing(new DomainError('UNAVAILABLE', 'the resolver is unavailable')),
    });
    expect(down).toMatchObject({
      code: 3,
      err: ['strongroom exec: the resolver is unavailable; false was not started'],
    });
    const badFactory = await exec([...remoteArgs, '--', 'false'], {
      createRemoteClient: () => {
        throw new DomainError('BAD_USER_INPUT', 'cannot read the runner certificate runner.pem');
      },
    });
    expect(badFactory).toMatchObject({ code: 3 });
    expect(badFactory.err[0]).toContain('cannot read the runner certificate runner.pem');
    const unknown = await exec([...remoteArgs, '--', 'false'], {
      createRemoteClient: failing(new Error('socket hang up at 10.0.0.7')),
    });
    expect(unknown.code).toBe(3);
    expect(unknown.err.join('\n')).not.toContain('10.0.0.7');
  });

  it('defaults the resolver address to the configured resolver port and requires a complete context', async () => {
    const seen: ResolverConnectionOptions[] = [];
    const client = (options: ResolverConnectionOptions) => {
      seen.push(options);
      return { resolve: async () => [] };
    };
    const ok = await exec(
      [
        '--names',
        'A',
        '--workspace',
        'w',
        '--workflow',
        'f',
        '--run',
        'r',
        '--trigger',
        'MANUAL',
        '--triggered-by',
        'u',
        '--',
        'true',
      ],
      {
        createRemoteClient: client,
      },
    );
    expect(ok.code).toBe(0);
    expect(seen[0]?.address).toBe('localhost:50051');
    const incomplete = await exec(['--names', 'A', '--trigger', 'manual', '--', 'true'], {
      createRemoteClient: client,
    });
    expect(incomplete.code).toBe(2);
    expect(incomplete.err[0]).toBe(
      'strongroom exec: a remote resolve needs --workspace, --workflow, --run, --triggered-by',
    );
    const badTrigger = await exec(['--local', '--names', 'A', '--trigger', 'cron', '--', 'true']);
    expect(badTrigger.err[0]).toContain('--trigger must be one of MANUAL, API, WEBHOOK, SCHEDULE');
  });
});

describe('createExecCommand exit codes', () => {
  it('exits 127 when the command does not exist and 2 for a remote run without a client', async () => {
    const notFound = await exec(
      ['--local', '--names', 'A', '--', 'strongroom-no-such-command'],
      {},
      undefined,
      {
        A: 'a-value',
      },
    );
    expect(notFound.code).toBe(127);
    expect(notFound.stderr).toContain('cannot start strongroom-no-such-command: ENOENT');
    const remote = await exec([...remoteArgs, '--', 'true']);
    expect(remote.code).toBe(2);
    expect(remote.err[0]).toContain('remote resolver client is not available');
  });
});

describe('createExecCommand signal forwarding', () => {
  it('forwards SIGINT and SIGHUP from the signal source to the command, then stops listening', async () => {
    for (const [signal, code] of [
      ['SIGINT', 5],
      ['SIGHUP', 6],
    ] as const) {
      const signals = new EventEmitter();
      const stdout = new PassThrough();
      stdout.on('data', (c: Buffer) => c.toString().includes('ready') && signals.emit(signal, signal));
      const script = `process.on('${signal}', () => process.exit(${code})); console.log('ready'); setInterval(() => {}, 1000);`;
      const args = ['--local', '--names', 'SOME_SECRET', '--', process.execPath, '-e', script];
      const result = await exec(args, { stdout }, signals, { SOME_SECRET: 'some-value' });
      expect(result.code).toBe(code);
      expect(signals.listenerCount(signal)).toBe(0);
    }
  });
});

describe('createExecCommand: what the command is given', () => {
  const names = ['--names', 'DB_PASSWORD'];
  const fakeResolver = () => ({
    resolve: async () => [
      { name: 'DB_PASSWORD', value: 'db-pa55word', scope: 'WORKSPACE' as const, version: 1 },
    ],
  });

  it('withholds STRONGROOM_* variables and any variable naming the runner’s TLS files', async () => {
    const script = 'console.log(JSON.stringify(process.env))';
    const result = await exec(
      [
        ...remoteArgs.filter((a) => a !== '--names' && a !== 'DB_PASSWORD'),
        ...names,
        '--',
        process.execPath,
        '-e',
        script,
      ],
      { createRemoteClient: fakeResolver },
      undefined,
      {
        STRONGROOM_RESOLVER_ADDRESS: 'resolver.internal:50051',
        STRONGROOM_RUNNER_CERT: 'runner.pem',
        RUNNER_KEY_FILE: 'runner-key.pem', // the --key path, relative: also caught
        KEY_ARGS: `--key=${process.cwd()}/runner-key.pem`,
        CA_BUNDLE: 'ca.pem',
        ORDINARY: 'kept',
      },
    );
    expect(result.code, result.err.join('\n')).toBe(0);
    const seen = JSON.parse(result.stdout) as Record<string, string>;
    expect(Object.keys(seen).filter((k) => k.startsWith('STRONGROOM_'))).toEqual([]);
    expect(seen).not.toHaveProperty('RUNNER_KEY_FILE');
    expect(seen).not.toHaveProperty('KEY_ARGS');
    expect(seen).not.toHaveProperty('CA_BUNDLE');
    expect(seen).toMatchObject({ ORDINARY: 'kept', DB_PASSWORD: '***' });
  });

  it('a signal while the context file is written stops the run before the command starts, and removes the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strongroom-exec-early-'));
    try {
      const marker = join(dir, 'started');
      // A signal source that delivers SIGTERM the moment exec starts listening before the file exists.
      const signals = new EventEmitter();
      const on = signals.on.bind(signals);
      let delivered = false;
      signals.on = ((event: string, listener: (...args: unknown[]) => void) => {
        on(event, listener);
        if (event === 'SIGTERM' && !delivered) {
          delivered = true;
          queueMicrotask(() => signals.emit('SIGTERM', 'SIGTERM'));
        }
        return signals;
      }) as typeof signals.on;
      const result = await exec(
        [
          '--local', '--names', 'SOME_SECRET', '--context-file', join(dir, 'ctx.json'),
          '--', process.execPath, '-e', "require('fs').writeFileSync(process.argv[1], 'x')", marker,
        ], // prettier-ignore
        {},
        signals,
        { SOME_SECRET: 'some-value' },
      );
      expect(result.code).toBe(143);
      expect(existsSync(marker)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      expect(signals.listenerCount('SIGTERM')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
