import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openReferenceAt } from './open-reference';

describe('the reference being typed before the caret', () => {
  it('opens on {{ and follows what is typed after it', () => {
    expect(openReferenceAt('Bearer {{', 9)).toEqual({ start: 7, query: '' });
    expect(openReferenceAt('Bearer {{ STR', 13)).toEqual({ start: 7, query: 'STR' });
    expect(openReferenceAt('x {{secrets.STRIPE', 18)).toEqual({ start: 2, query: 'STRIPE' });
  });

  it('is closed once }} is typed, or when the caret is elsewhere', () => {
    expect(openReferenceAt('{{secrets.A}}', 13)).toBeUndefined();
    expect(openReferenceAt('{{secrets.A}} and more', 22)).toBeUndefined();
    expect(openReferenceAt('plain { brace', 13)).toBeUndefined();
    expect(openReferenceAt('{{ A B', 6)).toBeUndefined();
  });

  it('finds the {{ that starts the name typed, for any name', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/),
        fc.boolean(),
        (prefix, name, spelled) => {
          const safePrefix = prefix.replace(/[{}]/g, '');
          const text = `${safePrefix}{{${spelled ? 'secrets.' : ''}${name}`;
          expect(openReferenceAt(text, text.length)).toEqual({ start: safePrefix.length, query: name });
        },
      ),
    );
  });
});
