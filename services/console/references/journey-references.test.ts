import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journeyReferences, objectReferenceNames, templateReferenceNames } from './journey-references';

const secretName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,30}$/);

describe('references in a journey definition', () => {
  it('finds the YAML object form of the seeds and the template form, each once', async () => {
    const yaml = [
      'name: pay supplier',
      'values:',
      '  api_key:',
      '    source: secret',
      '    name: payments-api-key',
      'steps:',
      '  - http:',
      '      headers:',
      '        Authorization: "Bearer {{ secrets.STRIPE_KEY }}"',
      '        X-Other: "{{secrets.STRIPE_KEY}} {{secrets.WEBHOOK_SIGNING}}"',
      '  - token: { source: secret, name: payments-api-key }',
    ].join('\n');
    expect(await journeyReferences(yaml)).toEqual({
      names: ['STRIPE_KEY', 'WEBHOOK_SIGNING', 'payments-api-key'],
      parsed: true,
    });
  });

  it('reads JSON definitions too', async () => {
    const json = JSON.stringify({
      values: { key: { source: 'secret', name: 'OPENAI_KEY' } },
      url: '{{secrets.URL}}',
    });
    expect(await journeyReferences(json)).toEqual({ names: ['URL', 'OPENAI_KEY'], parsed: true });
  });

  it('still reads template references when the text is not YAML, and says so', async () => {
    expect(await journeyReferences('key: [unclosed {{secrets.A_KEY}}\n  : :')).toEqual({
      names: ['A_KEY'],
      parsed: false,
    });
  });

  it('ignores look-alikes: other sources, names that are not secret names, other template roots', () => {
    expect(
      objectReferenceNames({
        a: { source: 'env', name: 'HOME' },
        b: { source: 'secret', name: 'not a name' },
        c: { source: 'secret' },
        d: [{ source: 'secret', name: 'GOOD' }],
      }),
    ).toEqual(['GOOD']);
    expect(templateReferenceNames('{{ steps.x.output }} {{secrets.}} {{secret.X}} {{secrets.OK_1}}')).toEqual(
      ['OK_1'],
    );
  });

  it('finds every generated name in either form, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(secretName, { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(secretName, { minLength: 1, maxLength: 6 }),
        async (templated, objects) => {
          const definition = {
            steps: templated.map((name, i) => ({ id: `s${i}`, header: `Bearer {{ secrets.${name} }}` })),
            values: Object.fromEntries(objects.map((name, i) => [`v${i}`, { source: 'secret', name }])),
          };
          const found = await journeyReferences(JSON.stringify(definition, null, 2));
          expect(new Set(found.names)).toEqual(new Set([...templated, ...objects]));
          expect(found.parsed).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('survives a deeply nested document', () => {
    let deep: unknown = { source: 'secret', name: 'DEEP' };
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(objectReferenceNames(deep)).toEqual([]);
  });
});
