import { SecretAliasError } from './sdk-errors.js';

/**
 * Aliases (SPEC §9, seed 002): custom code sees a secret under an identifier of
 * its choosing — an environment variable, or a key of `context.secrets` — since
 * secret names such as `payments-api-key` cannot be shell variables or bare
 * JavaScript properties.
 */

/** What an alias must look like: letters, digits and `_`, no leading digit. */
export const ALIAS_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidAlias(alias: string): boolean {
  return ALIAS_PATTERN.test(alias);
}

/** One `ALIAS=NAME`: expose secret NAME as ALIAS. */
export interface SecretAlias {
  alias: string;
  name: string;
}

/** A secret to expose and the key (alias, or its own name) it is exposed under. */
export interface SecretExposure {
  key: string;
  name: string;
}

/** Parses `ALIAS=NAME`; throws `SecretAliasError` when the alias is not an identifier or a part is missing. */
export function parseSecretAlias(text: string): SecretAlias {
  const separator = text.indexOf('=');
  const alias = separator === -1 ? '' : text.slice(0, separator).trim();
  const name = separator === -1 ? '' : text.slice(separator + 1).trim();
  if (!alias || !name)
    throw new SecretAliasError(`write an alias as ALIAS=NAME, not ${JSON.stringify(text)}`);
  if (!isValidAlias(alias)) {
    throw new SecretAliasError(
      `the alias ${JSON.stringify(alias)} is not an identifier (letters, digits and _, no leading digit)`,
    );
  }
  return { alias, name };
}

/**
 * How each secret is exposed: every alias as given, and every other name under
 * itself — which it must then be able to be: a name that is not an identifier
 * needs an alias, and the error lists every such name with a suggestion. A name
 * that has an alias is exposed under its aliases only. Two secrets can never
 * share a key.
 */
export function planSecretExposures(
  names: readonly string[],
  aliases: readonly SecretAlias[],
): SecretExposure[] {
  const exposures: SecretExposure[] = [];
  const owner = new Map<string, string>();
  const expose = (key: string, name: string): void => {
    const taken = owner.get(key);
    if (taken !== undefined && taken !== name)
      throw new SecretAliasError(
        `${key} would stand for both ${taken} and ${name}; give one of them another alias`,
      );
    if (taken === undefined) exposures.push({ key, name });
    owner.set(key, name);
  };
  for (const { alias, name } of aliases) {
    if (owner.has(alias) && owner.get(alias) !== name)
      throw new SecretAliasError(`the alias ${alias} is given twice, for ${owner.get(alias)} and ${name}`);
    expose(alias, name);
  }
  const aliased = new Set(aliases.map((a) => a.name));
  const unaliased = [...new Set(names)].filter((name) => !aliased.has(name));
  const needAlias = unaliased.filter((name) => !isValidAlias(name));
  if (needAlias.length > 0) throw SecretAliasError.needsAlias(needAlias, needAlias.map(suggestAlias));
  for (const name of unaliased) expose(name, name);
  return exposures;
}

/** An identifier close to `name`: `payments-api-key` → `PAYMENTS_API_KEY`. */
export function suggestAlias(name: string): string {
  const alias = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[0-9]/.test(alias) || alias === '' ? `_${alias}` : alias;
}
