import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExec } from './cli-support.js';

// Every test spawns the real CLI from source (about 2 s each), so they run concurrently,
// each in a working directory of its own, as a runner would start a step.
const root = mkdtempSync(join(tmpdir(), 'strongroom-exec-aliases-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const VALUE = 'pk_live_7Hq2+rT9/x==';
/** The journey of seed 000: the YAML records the reference, never the value. */
const JOURNEY = `name: charge customer
values:
  api_key:
    source: secret
    name: payments-api-key
steps:
  - call: https://payments.example.test/charge
`;
/** Seed 002's custom code: it reads ./ctx.json and uses ctx.secrets.API_KEY. */
const SCRIPT = `
const fs = require('fs');
const ctx = JSON.parse(fs.readFileSync('./ctx.json', 'utf8'));
const dir = require('path').dirname(fs.realpathSync('./ctx.json'));
fs.writeFileSync('seen.json', JSON.stringify({
  value: ctx.secrets.API_KEY,
  fileMode: (fs.statSync('./ctx.json').mode & 0o777).toString(8),
  dirMode: (fs.statSync(dir).mode & 0o777).toString(8),
  inEnvironment: Object.values(process.env).includes(ctx.secrets.API_KEY),
}));
console.log('key is ' + ctx.secrets.API_KEY);
if (process.argv[2] === 'wait') { console.log('ready'); setInterval(() => {}, 1000); }
`;

/** A working directory with the journey, a .env holding the secret, and the script. */
function workspace(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'journey.yaml'), JOURNEY);
  writeFileSync(join(dir, '.env'), `payments-api-key=${VALUE}\n`);
  writeFileSync(join(dir, 'script.js'), SCRIPT);
  return dir;
}
const env = (dir: string) => ({ STRONGROOM_DATA_DIR: join(dir, 'data-dir-never-created') });
const local = ['--local', '--env-file', '.env'];
/** What the directory holds once exec is done: the context file and its private directory must be gone. */
const leftovers = (dir: string) =>
  readdirSync(dir).filter((f) => f === 'ctx.json' || f.startsWith('.strongroom-context-'));

describe.concurrent(
  'strongroom exec: journey references, aliases and context files',
  { timeout: 60_000 },
  () => {
    it('resolves the journey YAML of seed 000 through --template and --map to the right value', async () => {
      const dir = workspace('journey');
      const script = `require('fs').writeFileSync('got', process.env.API_KEY); console.log('api key: ' + process.env.API_KEY)`;
      const result = await runExec(
        [
          ...local,
          '--template',
          'journey.yaml',
          '--map',
          'API_KEY=payments-api-key',
          '--',
          process.execPath,
          '-e',
          script,
        ],
        { cwd: dir, env: env(dir) },
      );
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: 'api key: ***\n', stderr: '' });
      expect(readFileSync(join(dir, 'got'), 'utf8')).toBe(VALUE);
    });

    it('--dry-run prints the names the journey references (and their aliases), never a value', async () => {
      const dir = workspace('dry-run');
      const result = await runExec(
        [
          ...local,
          '--template',
          'journey.yaml',
          '--names',
          'PLAIN',
          '--map',
          'API_KEY=payments-api-key',
          '--dry-run',
        ],
        { cwd: dir, env: { ...env(dir), PLAIN: 'plain-value' } },
      );
      expect(result).toMatchObject({ code: 0, stdout: 'payments-api-key as API_KEY\nPLAIN\n', stderr: '' });
      expect(result.stdout).not.toContain(VALUE);
    });

    it('refuses a name that is not an identifier without an alias, and says which --map would do', async () => {
      const dir = workspace('needs-alias');
      const result = await runExec([...local, '--template', 'journey.yaml', '--', 'true'], {
        cwd: dir,
        env: env(dir),
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('the secret name payments-api-key cannot be used as an identifier');
      expect(result.stderr).toContain('hint: --map PAYMENTS_API_KEY=payments-api-key');
      expect(result.stderr).not.toContain(VALUE);
    });

    it('--map API_KEY=payments-api-key --context-file ctx.json: the script reads ctx.secrets.API_KEY; the file is gone after', async () => {
      const dir = workspace('context-file');
      const result = await runExec(
        [
          ...local,
          '--map',
          'API_KEY=payments-api-key',
          '--context-file',
          'ctx.json',
          '--',
          process.execPath,
          'script.js',
        ],
        { cwd: dir, env: env(dir) },
      );
      expect(result, result.stderr).toMatchObject({ code: 0, stdout: 'key is ***\n', stderr: '' });
      expect(JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8'))).toEqual({
        value: VALUE,
        fileMode: '600',
        dirMode: '700',
        inEnvironment: false, // the file replaces the variables
      });
      expect(leftovers(dir)).toEqual([]);
    });

    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      it(`removes the context file when exec gets ${signal} while the script runs`, async () => {
        const dir = workspace(`signal-${signal}`);
        let sent = false;
        let presentWhileRunning = false;
        const result = await runExec(
          [
            ...local,
            '--map',
            'API_KEY=payments-api-key',
            '--context-file',
            'ctx.json',
            '--',
            process.execPath,
            'script.js',
            'wait',
          ],
          {
            cwd: dir,
            env: env(dir),
            onStdout: (soFar, cli) => {
              if (!sent && soFar.includes('ready')) {
                sent = true;
                presentWhileRunning = existsSync(join(dir, 'ctx.json'));
                cli.kill(signal);
              }
            },
          },
        );
        expect(presentWhileRunning).toBe(true);
        expect(result.code).toBe(code); // the script died of the forwarded signal
        expect(result.stdout).toBe('key is ***\nready\n');
        expect(leftovers(dir)).toEqual([]);
      });
    }

    it('will not overwrite an existing file with the context file', async () => {
      const dir = workspace('exists');
      writeFileSync(join(dir, 'ctx.json'), 'mine');
      const result = await runExec(
        [...local, '--map', 'API_KEY=payments-api-key', '--context-file', 'ctx.json', '--', 'true'],
        { cwd: dir, env: env(dir) },
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--context-file: ctx.json already exists');
      expect(readFileSync(join(dir, 'ctx.json'), 'utf8')).toBe('mine');
    });

    it('gives the command no STRONGROOM_* variable and no path to the runner’s credentials', async () => {
      const dir = workspace('environment');
      const data = join(dir, 'data');
      const script = 'console.log(JSON.stringify(process.env))';
      const result = await runExec(
        [...local, '--map', 'API_KEY=payments-api-key', '--', process.execPath, '-e', script],
        {
          cwd: dir,
          env: {
            STRONGROOM_DATA_DIR: data,
            STRONGROOM_RESOLVER_ADDRESS: 'resolver.internal:50051',
            STRONGROOM_RUNNER_KEY: '/etc/strongroom/runner-key.pem',
            STRONGROOM_MASTER_KEYS_FILE: '/etc/strongroom/master-keys',
            DEV_TLS: join(data, 'tls', 'runner-key.pem'),
            ORDINARY: 'passes through',
          },
        },
      );
      expect(result, result.stderr).toMatchObject({ code: 0 });
      const seen = JSON.parse(result.stdout) as Record<string, string>;
      expect(Object.keys(seen).filter((key) => /^STRONGROOM_/i.test(key))).toEqual([]);
      expect(
        Object.values(seen).filter((value) => value.includes(data) || value.includes('/etc/strongroom')),
      ).toEqual([]);
      expect(seen).toMatchObject({ ORDINARY: 'passes through', API_KEY: '***' });
    });
  },
);
