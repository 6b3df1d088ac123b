/**
 * The GraphQL operations the suites send, written once. Every document takes its
 * input as `$i` (or `$id`) and selects every field a suite may read back; tests that
 * need an unusual document (a literal input, a named operation, a malformed one)
 * keep their own next to the test.
 */

/** Every field of a Secret (none of them carries a value). */
export const SECRET_FIELDS =
  'id name displayName description scope ownerId systemManaged integration maskedPreview version createdAt createdBy updatedAt updatedBy lastUsedAt members { userId role }';

export const CREATE_SECRET = `mutation CreateSecret($i: CreateSecretInput!) { createSecret(input: $i) { ${SECRET_FIELDS} } }`;

export const UPDATE_SECRET_VALUE = `mutation UpdateSecretValue($i: UpdateSecretValueInput!) { updateSecretValue(input: $i) { ${SECRET_FIELDS} } }`;

export const UPDATE_SECRET = `mutation UpdateSecret($i: UpdateSecretInput!) { updateSecret(input: $i) { ${SECRET_FIELDS} } }`;

export const DELETE_SECRET = `mutation DeleteSecret($id: ID!) { deleteSecret(id: $id) }`;

export const IMPORT_SECRETS = `mutation ImportSecrets($i: ImportSecretsInput!) { importSecrets(input: $i) { created updated skipped } }`;

export const REGISTER_SYSTEM_SECRET = `mutation RegisterSystemSecret($i: RegisterSystemSecretInput!) { registerSystemSecret(input: $i) { ${SECRET_FIELDS} } }`;

export const REVOKE_SYSTEM_SECRET = `mutation RevokeSystemSecret($i: RevokeSystemSecretInput!) { revokeSystemSecret(input: $i) }`;

export const ADD_SECRET_MEMBER = `mutation AddSecretMember($i: AddSecretMemberInput!) { addSecretMember(input: $i) { ${SECRET_FIELDS} } }`;

export const REMOVE_SECRET_MEMBER = `mutation RemoveSecretMember($i: RemoveSecretMemberInput!) { removeSecretMember(input: $i) { ${SECRET_FIELDS} } }`;

/** Every field of a SecretVersion (none of them carries a value). */
export const SECRET_VERSION_FIELDS = 'version createdAt createdBy maskedPreview restoredFrom destroyed';

export const SECRET_VERSIONS = `query SecretVersions($id: ID!, $first: Int, $after: String) { secret(id: $id) { id version versions(first: $first, after: $after) { totalCount edges { cursor node { ${SECRET_VERSION_FIELDS} } } pageInfo { hasNextPage endCursor } } } }`;

export const RESTORE_SECRET_VERSION = `mutation RestoreSecretVersion($i: RestoreSecretVersionInput!) { restoreSecretVersion(input: $i) { ${SECRET_FIELDS} } }`;

export const DESTROY_SECRET_VERSION = `mutation DestroySecretVersion($i: DestroySecretVersionInput!) { destroySecretVersion(input: $i) { ${SECRET_FIELDS} } }`;
