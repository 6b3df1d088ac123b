import { graphql } from '../gen';

/** One page of one section of the secrets table. */
export const SecretsPageQuery = graphql(`
  query SecretsPage($filter: SecretFilter!, $first: Int!, $after: String) {
    secrets(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
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
          updatedAt
          lastUsedAt
          members {
            userId
            role
          }
        }
      }
    }
  }
`);

/** A new secret from the table's empty row; the value travels in this request only. */
export const CreateSecretMutation = graphql(`
  mutation CreateSecret($input: CreateSecretInput!) {
    createSecret(input: $input) {
      id
      name
    }
  }
`);

/** A pasted .env: previewed with dryRun, then imported. */
export const ImportSecretsMutation = graphql(`
  mutation ImportSecrets($input: ImportSecretsInput!) {
    importSecrets(input: $input) {
      created
      updated
      skipped
    }
  }
`);
