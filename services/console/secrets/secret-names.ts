/** SPEC §3: a secret name. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** Why a key cannot be a secret name, in words; undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'Enter a key.';
  if (key.length > 128) return 'A key holds at most 128 characters.';
  if (!SECRET_NAME.test(key))
    return 'A key starts with a letter or _ and holds only letters, digits, _ and -.';
  return undefined;
}
