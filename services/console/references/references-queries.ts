import { graphql } from '../gen';

/** The `{{` picker: what the caller can reference, workspace secrets first. */
export const ReferencePickerQuery = graphql(`
  query ReferencePicker($nameContains: String, $first: Int!) {
    workspace: secrets(
      filter: { scope: WORKSPACE, includeSystemManaged: true, nameContains: $nameContains }
      first: $first
    ) {
      edges {
        node {
          id
          name
          displayName
        }
      }
    }
    personal: secrets(
      filter: { scope: PERSONAL, includeSystemManaged: true, nameContains: $nameContains }
      first: $first
    ) {
      edges {
        node {
          id
          name
          displayName
        }
      }
    }
  }
`);

/** What a run of `runAs` would get for each name, without decrypting anything. */
export const CheckReferencesQuery = graphql(`
  query CheckReferences($names: [String!]!, $runAs: RunAsInput!) {
    checkSecretReferences(names: $names, runAs: $runAs) {
      resolvable {
        name
        scope
      }
      missing
    }
  }
`);
