import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIR } from '../../services/api/console-route.js';

/** The budget: all of the console's JavaScript, gzipped. */
const BUDGET_BYTES = 200 * 1024;

describe('the console build (dist/console, built by the global setup)', () => {
  const assets = join(CONSOLE_DIR, 'assets');
  const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'));
  const gzipped = (file: string) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;

  it(`ships under ${BUDGET_BYTES / 1024} KB of JavaScript, gzipped, counting every chunk`, () => {
    const sizes = Object.fromEntries(scripts.map((file) => [file, gzipped(file)]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(`console JavaScript, gzipped: ${(total / 1024).toFixed(1)} KB`, sizes);
    expect(scripts.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it("ships React's production build, whatever NODE_ENV the builder ran under", () => {
    for (const file of scripts)
      expect(readFileSync(join(assets, file), 'utf8')).not.toContain('Download the React DevTools');
  });

  it('keeps the YAML parser out of the page that loads first', () => {
    const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
    const entry = /src="\/assets\/([\w.-]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    // The reference check loads it on demand; the secrets page never needs it.
    expect(readFileSync(join(assets, entry!), 'utf8')).not.toContain('YAMLParseError');
    expect(scripts.some((file) => readFileSync(join(assets, file), 'utf8').includes('YAMLParseError'))).toBe(
      true,
    );
  });
});
