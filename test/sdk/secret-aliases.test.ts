import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALIAS_PATTERN,
  parseSecretAlias,
  planSecretExposures,
  suggestAlias,
} from '../../services/sdk/secret-aliases.js';
import { SecretAliasError } from '../../services/sdk/sdk-errors.js';

const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);
const aliasArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);

describe('parseSecretAlias', () => {
  it('reads ALIAS=NAME and refuses aliases that are not identifiers', () => {
    expect(parseSecretAlias('API_KEY=payments-api-key')).toEqual({
      alias: 'API_KEY',
      name: 'payments-api-key',
    });
    expect(parseSecretAlias(' _k1 = x=y ')).toEqual({ alias: '_k1', name: 'x=y' });
    for (const bad of ['1KEY=x', 'API-KEY=x', 'a b=x', 'é=x', '=x', 'KEY=', 'KEY'])
      expect(() => parseSecretAlias(bad), bad).toThrow(SecretAliasError);
  });

  it('accepts exactly the identifiers of SPEC §9 as aliases', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (alias) => {
        fc.pre(!alias.includes('=') && alias.trim() === alias && alias !== '');
        const accepted = (() => {
          try {
            parseSecretAlias(`${alias}=NAME`);
            return true;
          } catch {
            return false;
          }
        })();
        expect(accepted).toBe(/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias));
      }),
    );
    expect(ALIAS_PATTERN.source).toBe('^[A-Za-z_][A-Za-z0-9_]*$');
  });
});

describe('planSecretExposures', () => {
  it('exposes aliased names under their aliases only, and other identifiers under themselves', () => {
    expect(
      planSecretExposures(
        ['payments-api-key', 'STRIPE_KEY'],
        [{ alias: 'API_KEY', name: 'payments-api-key' }],
      ),
    ).toEqual([
      { key: 'API_KEY', name: 'payments-api-key' },
      { key: 'STRIPE_KEY', name: 'STRIPE_KEY' },
    ]);
    // One secret under two aliases is fine.
    expect(
      planSecretExposures(
        [],
        [
          { alias: 'A', name: 'x-y' },
          { alias: 'B', name: 'x-y' },
        ],
      ).map((e) => e.key),
    ).toEqual(['A', 'B']);
  });

  it('names every secret that needs an alias and suggests one for each', () => {
    try {
      planSecretExposures(['payments-api-key', 'OK', 'slack-hook'], []);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SecretAliasError);
      const aliasError = error as SecretAliasError;
      expect(aliasError.names).toEqual(['payments-api-key', 'slack-hook']);
      expect(aliasError.suggestions).toEqual(['PAYMENTS_API_KEY', 'SLACK_HOOK']);
      expect(aliasError.message).toContain('payments-api-key, slack-hook cannot be used as identifiers');
    }
  });

  it('never lets two secrets share a key', () => {
    expect(() =>
      planSecretExposures(
        [],
        [
          { alias: 'K', name: 'a-1' },
          { alias: 'K', name: 'b-2' },
        ],
      ),
    ).toThrow(/alias K is given twice/);
    expect(() => planSecretExposures(['K'], [{ alias: 'K', name: 'other-name' }])).toThrow(
      /K would stand for both other-name and K/,
    );
  });

  it('gives every name a distinct identifier key, or fails naming exactly the names without one', () => {
    fc.assert(
      fc.property(
        fc.array(nameArb, { maxLength: 6 }),
        fc.uniqueArray(fc.tuple(aliasArb, nameArb), { maxLength: 4, selector: ([alias]) => alias }),
        (names, pairs) => {
          const aliases = pairs.map(([alias, name]) => ({ alias, name }));
          const aliased = new Set(aliases.map((a) => a.name));
          const needAlias = [...new Set(names)].filter((n) => !aliased.has(n) && !ALIAS_PATTERN.test(n));
          let exposures;
          try {
            exposures = planSecretExposures(names, aliases);
          } catch (error) {
            expect(error).toBeInstanceOf(SecretAliasError);
            if (needAlias.length > 0) expect((error as SecretAliasError).names).toEqual(needAlias);
            else expect((error as Error).message).toMatch(/would stand for both/); // an alias equal to another name
            return;
          }
          expect(needAlias).toEqual([]);
          const keys = exposures.map((e) => e.key);
          expect(new Set(keys).size).toBe(keys.length);
          for (const key of keys) expect(key).toMatch(ALIAS_PATTERN);
          for (const name of [...names, ...aliases.map((a) => a.name)])
            expect(exposures.some((e) => e.name === name)).toBe(true);
        },
      ),
    );
  });

  it('suggests identifiers', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        expect(suggestAlias(name)).toMatch(ALIAS_PATTERN);
      }),
    );
    expect(suggestAlias('payments-api-key')).toBe('PAYMENTS_API_KEY');
  });
});
