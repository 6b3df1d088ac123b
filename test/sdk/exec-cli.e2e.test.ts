import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeScript, runExec } from './cli-support.js';

// Every test spawns the real CLI from source (about 2 s each), so they run concurrently.
const dir = mkdtempSync(join(tmpdir(), 'strongroom-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dataDir = join(dir, 'data-dir-never-created');
const base = { STRONGROOM_DATA_DIR: dataDir };

const TOKEN = 'tok_9f8e7d6c5b4a';
const PEM = '-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\nGkxKw==\n-----END KEY-----';

describe.concurrent('strongroom exec --local', { timeout: 60_000 }, () => {
  it('injects values from the environment, masks stdout and stderr, and passes the exit code on', async () => {
    const script = `
      const v = process.env.API_TOKEN;
      console.log('plain', v);
      console.log('b64', Buffer.from(v).toString('base64'));
      console.log('url', encodeURIComponent(v + '&'));
      console.error('err', JSON.stringify({ v }));
      process.exit(v === ${JSON.stringify(TOKEN)} ? 7 : 1);`;
    const result = await runExec(['--local', '--names', 'API_TOKEN', ...nodeScript(script)], {
      env: { ...base, API_TOKEN: TOKEN },
    });
    expect(result.code).toBe(7);
    expect(result.stdout).toBe('plain ***\nb64 ***\nurl ***%26\n');
    expect(result.stderr).toBe('err {"v":"***"}\n');
    expect(existsSync(dataDir)).toBe(false); // local mode needs no server, database or key
  });

  it('reads a .env file (the environment wins) and masks each line of a multi-line value', async () => {
    const envFile = join(dir, 'local.env');
    writeFileSync(envFile, `PEM="${PEM}"\nBOTH=from-file\nFILE_ONLY=only-in-file\n`);
    const script = `
      console.log(process.env.PEM);
      console.log('line:', process.env.PEM.split('\\n')[1]);
      console.log(process.env.BOTH === 'from-env' ? 'env wins' : 'file wins');
      console.log('file:', process.env.FILE_ONLY);`;
    const result = await runExec(
      [
        '--local',
        '--env-file',
        envFile,
        '--names',
        'PEM,BOTH',
        '--names',
        'FILE_ONLY',
        ...nodeScript(script),
      ],
      { env: { ...base, BOTH: 'from-env' } },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('***\nline: ***\nenv wins\nfile: ***\n');
  });

  it('takes the names from a template file', async () => {
    const template = join(dir, 'workflow.json');
    writeFileSync(
      template,
      JSON.stringify({ steps: [{ headers: { auth: 'Bearer {{ secrets.TPL_TOKEN }}' } }] }),
    );
    const result = await runExec(
      ['--local', '--template', template, ...nodeScript('console.log(process.env.TPL_TOKEN)')],
      {
        env: { ...base, TPL_TOKEN: 'templated-value' },
      },
    );
    expect(result).toMatchObject({ code: 0, stdout: '***\n' });
  });

  it('fails before starting the command when a secret is missing, naming every missing one', async () => {
    const marker = join(dir, 'child-ran');
    const result = await runExec(
      [
        '--local',
        '--names',
        'PRESENT,ABSENT_ONE,ABSENT_TWO',
        ...nodeScript("require('fs').writeFileSync(process.argv[1], 'x')", marker),
      ],
      { env: { ...base, PRESENT: 'present-value' } },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('2 secrets not found: ABSENT_ONE, ABSENT_TWO');
    expect(result.stderr).not.toContain('present-value');
    expect(existsSync(marker)).toBe(false);
  });

  it('forwards SIGTERM to the command and exits with its code', async () => {
    const script = `
      process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42); });
      console.log('ready');
      setInterval(() => {}, 1000);`;
    let sent = false;
    const result = await runExec(['--local', '--names', 'SIG_SECRET', ...nodeScript(script)], {
      env: { ...base, SIG_SECRET: 'sig-secret-value' },
      onStdout: (soFar, cli) => {
        if (!sent && soFar.includes('ready')) {
          sent = true;
          cli.kill('SIGTERM');
        }
      },
    });
    expect(result.code).toBe(42);
    expect(result.stdout).toBe('ready\nchild got SIGTERM\n');
  });

  it('reports a command killed by a signal as 128 + the signal number', async () => {
    const result = await runExec(
      ['--local', '--names', 'K', ...nodeScript("process.kill(process.pid, 'SIGKILL')")],
      {
        env: { ...base, K: 'kill-value' },
      },
    );
    expect(result.code).toBe(137);
  });

  it('reports a usage error with code 2', async () => {
    const noSeparator = await runExec(['--local', '--names', 'A', 'echo'], { env: base });
    expect(noSeparator.code).toBe(2);
    expect(noSeparator.stderr).toContain('give the command to run after --, as in: -- echo');
  });
});
