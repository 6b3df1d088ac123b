import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';

// No Docker engine runs in CI, so the image is checked by reading: these are the
// properties docs/operations.md promises and the Kubernetes manifests rely on.

/** Dockerfile instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const dockerfile = instructions(readFileSync('Dockerfile', 'utf8'));
const stages = dockerfile.reduce<Array<Array<{ op: string; args: string }>>>((all, step) => {
  if (step.op === 'FROM') all.push([]);
  all.at(-1)?.push(step);
  return all;
}, []);
const runtime = stages.at(-1)!;
const DEFAULTS = loadConfig({});

describe('Dockerfile', () => {
  it('is multi-stage: builds with dev dependencies, ships production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const all = dockerfile.map((s) => `${s.op} ${s.args}`).join('\n');
    expect(all).toMatch(/ARG NODE_IMAGE=node:20-bookworm-slim/);
    expect(all).toMatch(/RUN npm ci .*\n(.*\n)*RUN npm run build/);
    expect(all).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime[0]!.args).toBe('${NODE_IMAGE} AS runtime');
    // The runtime stage installs nothing and takes only built output and production modules.
    expect(runtime.filter((s) => s.op === 'RUN')).toEqual([]);
    const copies = runtime.filter((s) => s.op === 'COPY').map((s) => s.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist/services ./dist/services');
    // The admin console, built by `npm run build` in the build stage, beside the services.
    expect(copies).toContain('--from=build /app/dist/console ./dist/console');
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.build).toContain('build:console');
  });

  it('runs as a numeric non-root user, in production mode, with the CLI as entry point', () => {
    const user = runtime.filter((s) => s.op === 'USER').at(-1)?.args ?? 'root';
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(runtime).toContainEqual({ op: 'ENV', args: 'NODE_ENV=production' });
    expect(runtime.find((s) => s.op === 'ENTRYPOINT')?.args).toBe('["node", "dist/services/cli/main.js"]');
    expect(runtime.find((s) => s.op === 'CMD')?.args).toBe('["api"]');
    // tsc (rootDir ".", outDir "dist") compiles services/cli/main.ts to the entry point, and
    // api, resolver and migrate are commands main.ts registers.
    const build = JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions;
    expect([build.rootDir, build.outDir]).toEqual(['.', 'dist']);
    const main = readFileSync('services/cli/main.ts', 'utf8');
    for (const command of ['api', 'resolver', 'migrate'])
      expect(main).toMatch(new RegExp(`\\n  ${command}: \\{`));
  });

  it('has a HEALTHCHECK against /healthz on the API port or the resolver ops port', () => {
    const check = runtime.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    expect(check).toContain('/healthz');
    expect(check).toContain(`STRONGROOM_API_PORT||${DEFAULTS.apiPort}`);
    expect(check).toContain(`STRONGROOM_RESOLVER_METRICS_PORT||${DEFAULTS.resolverMetricsPort}`);
    expect(check).not.toContain(String(DEFAULTS.resolverPort));
  });

  it('copies no local data, keys or whole build context, and bakes in no secret', () => {
    for (const step of dockerfile.filter((s) => s.op === 'COPY' || s.op === 'ADD')) {
      expect(step.args).not.toMatch(/\.strongroom|\.env|\.pem|keyring/);
      expect(step.args, 'COPY . copies whatever lies in the checkout').not.toMatch(/^(--\S+\s+)*\.\s/);
    }
    for (const step of dockerfile.filter((s) => s.op === 'ENV' || s.op === 'ARG')) {
      expect(step.args).not.toMatch(/DATABASE_URL|MASTER_KEYS|TOKEN|PASSWORD|SECRET|_KEY\b/i);
    }
  });

  it('has a .dockerignore that keeps data, installed and built trees and tests out of the context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.strongroom', 'node_modules', 'dist', 'test', '.env'])
      expect(ignored).toContain(entry);
  });
});
