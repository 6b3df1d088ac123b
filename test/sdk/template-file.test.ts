import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSecretReferences } from '../../services/sdk/secret-references.js';
import { TemplateFileError } from '../../services/sdk/sdk-errors.js';
import { readTemplateFile, templateFormatOf } from '../../services/sdk/template-file.js';

const dir = mkdtempSync(join(tmpdir(), 'strongroom-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CANARY = 'sk_live_canary_3b1f';

async function failure(path: string): Promise<TemplateFileError> {
  try {
    await readTemplateFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateFileError);
    return error as TemplateFileError;
  }
  throw new Error(`${path} was read without an error`);
}

describe('readTemplateFile', () => {
  it('parses YAML and JSON journey files and takes anything else as text', async () => {
    const yaml = file('journey.yaml', 'values:\n  api_key: { source: secret, name: payments-api-key }\n');
    const yml = file('journey.yml', 'headers:\n  Authorization: "Bearer {{ secrets.TOKEN }}"\n');
    const json = file('journey.JSON', '{"values": {"k": {"source": "secret", "name": "STRIPE_KEY"}}}');
    const text = file('run.sh', 'curl -H "X-Key: {{secrets.SHELL_KEY}}" https://example.test\n');
    expect(extractSecretReferences(await readTemplateFile(yaml))).toEqual(['payments-api-key']);
    expect(extractSecretReferences(await readTemplateFile(yml))).toEqual(['TOKEN']);
    expect(extractSecretReferences(await readTemplateFile(json))).toEqual(['STRIPE_KEY']);
    expect(await readTemplateFile(text)).toBe(
      'curl -H "X-Key: {{secrets.SHELL_KEY}}" https://example.test\n',
    );
    expect(templateFormatOf('a/b.c.yaml')).toBe('yaml');
  });

  it('reads every document of a multi-document YAML file', async () => {
    const path = file('multi.yaml', 'a: { source: secret, name: ONE }\n---\nb: "{{secrets.TWO}}"\n');
    expect(extractSecretReferences(await readTemplateFile(path))).toEqual(['ONE', 'TWO']);
  });

  it('reports a broken file by line and column, never quoting it', async () => {
    const yaml = await failure(file('broken.yaml', `values:\n  key: ${CANARY}: nested\n`));
    expect(yaml.message).toMatch(/broken\.yaml is not valid YAML \(\w+\) at line 2, column \d+/);
    const json = await failure(file('broken.json', `{\n  "key": "${CANARY}\n}`));
    expect(json.message).toMatch(/broken\.json is not valid JSON at line \d+, column \d+/);
    const badToken = await failure(file('token.json', `{"key": ${CANARY}}`));
    expect(badToken.message).toMatch(/token\.json is not valid JSON/);
    for (const error of [yaml, json, badToken]) expect(JSON.stringify(error)).not.toContain(CANARY);
    for (const error of [yaml, json, badToken]) expect(error.message).not.toContain(CANARY);
    expect((await failure(join(dir, 'absent.yaml'))).message).toContain('absent.yaml cannot be read');
  });

  it('refuses a YAML alias bomb instead of expanding it', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      lines.push(
        `${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10)
          .fill(`*${'abcdefgh'[i - 1]}`)
          .join(', ')}]`,
      );
    const error = await failure(file('bomb.yaml', lines.join('\n')));
    expect(error.message).toContain('more YAML aliases than a definition needs');
  });
});
