import { graphql } from '../gen';

/** Everything the Details view shows of one secret (never a value: the schema has none). */
export const SecretDetailsFields = graphql(`
  fragment SecretDetails on Secret {
    id
    name
    displayName
    description
    scope
    ownerId
    systemManaged
    integration
    maskedPreview
    version
    createdAt
    createdBy
    updatedAt
    updatedBy
    lastUsedAt
    expiresAt
    rotationIntervalDays
    rotationDueAt
    members {
      userId
      role
    }
  }
`);

export const SecretDetailsQuery = graphql(`
  query SecretDetailsPage($id: ID!) {
    secret(id: $id) {
      ...SecretDetails
    }
  }
`);

export const UpdateSecretMutation = graphql(`
  mutation UpdateSecretAbout($input: UpdateSecretInput!) {
    updateSecret(input: $input) {
      ...SecretDetails
    }
  }
`);

/** Rotation: the new value travels in this request only. */
export const UpdateSecretValueMutation = graphql(`
  mutation RotateSecretValue($input: UpdateSecretValueInput!) {
    updateSecretValue(input: $input) {
      ...SecretDetails
    }
  }
`);

export const DeleteSecretMutation = graphql(`
  mutation DeleteSecretForGood($id: ID!) {
    deleteSecret(id: $id)
  }
`);

export const AddSecretMemberMutation = graphql(`
  mutation AddSecretMember($input: AddSecretMemberInput!) {
    addSecretMember(input: $input) {
      ...SecretDetails
    }
  }
`);

export const RemoveSecretMemberMutation = graphql(`
  mutation RemoveSecretMember($input: RemoveSecretMemberInput!) {
    removeSecretMember(input: $input) {
      ...SecretDetails
    }
  }
`);

/** A secret's versions, newest first: metadata only (the schema holds no value). */
export const SecretVersionsQuery = graphql(`
  query SecretVersions($id: ID!, $first: Int!) {
    secret(id: $id) {
      id
      versions(first: $first) {
        totalCount
        edges {
          node {
            version
            createdAt
            createdBy
            maskedPreview
            restoredFrom
            destroyed
          }
        }
      }
    }
  }
`);

/** A new version holding an older version's value; the API never decrypts to do it. */
export const RestoreSecretVersionMutation = graphql(`
  mutation RestoreSecretVersion($input: RestoreSecretVersionInput!) {
    restoreSecretVersion(input: $input) {
      ...SecretDetails
    }
  }
`);

/** Deletes a non-current version's value for good. */
export const DestroySecretVersionMutation = graphql(`
  mutation DestroySecretVersion($input: DestroySecretVersionInput!) {
    destroySecretVersion(input: $input) {
      ...SecretDetails
    }
  }
`);
