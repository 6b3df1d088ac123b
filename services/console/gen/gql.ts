/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AuditEvents($filter: AuditFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          occurredAt\n          action\n          outcome\n          actorType\n          actorId\n          secretName\n          scope\n          version\n          workflowId\n          runId\n          trigger\n          runner\n          requestId\n          occurrences\n        }\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n    }\n  }\n": typeof types.VerifyAuditLogDocument,
    "\n  fragment SecretDetails on Secret {\n    id\n    name\n    displayName\n    description\n    scope\n    ownerId\n    systemManaged\n    integration\n    maskedPreview\n    version\n    createdAt\n    createdBy\n    updatedAt\n    updatedBy\n    lastUsedAt\n    expiresAt\n    rotationIntervalDays\n    rotationDueAt\n    members {\n      userId\n      role\n    }\n  }\n": typeof types.SecretDetailsFragmentDoc,
    "\n  query SecretDetailsPage($id: ID!) {\n    secret(id: $id) {\n      ...SecretDetails\n    }\n  }\n": typeof types.SecretDetailsPageDocument,
    "\n  mutation UpdateSecretAbout($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.UpdateSecretAboutDocument,
    "\n  mutation RotateSecretValue($input: UpdateSecretValueInput!) {\n    updateSecretValue(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.RotateSecretValueDocument,
    "\n  mutation DeleteSecretForGood($id: ID!) {\n    deleteSecret(id: $id)\n  }\n": typeof types.DeleteSecretForGoodDocument,
    "\n  mutation AddSecretMember($input: AddSecretMemberInput!) {\n    addSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.AddSecretMemberDocument,
    "\n  mutation RemoveSecretMember($input: RemoveSecretMemberInput!) {\n    removeSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.RemoveSecretMemberDocument,
    "\n  query SecretVersions($id: ID!, $first: Int!) {\n    secret(id: $id) {\n      id\n      versions(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n            createdAt\n            createdBy\n            maskedPreview\n            restoredFrom\n            destroyed\n          }\n        }\n      }\n    }\n  }\n": typeof types.SecretVersionsDocument,
    "\n  mutation RestoreSecretVersion($input: RestoreSecretVersionInput!) {\n    restoreSecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.RestoreSecretVersionDocument,
    "\n  mutation DestroySecretVersion($input: DestroySecretVersionInput!) {\n    destroySecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n": typeof types.DestroySecretVersionDocument,
    "\n  query ReferencePicker($nameContains: String, $first: Int!) {\n    workspace: secrets(\n      filter: { scope: WORKSPACE, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n    personal: secrets(\n      filter: { scope: PERSONAL, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.ReferencePickerDocument,
    "\n  query CheckReferences($names: [String!]!, $runAs: RunAsInput!) {\n    checkSecretReferences(names: $names, runAs: $runAs) {\n      resolvable {\n        name\n        scope\n      }\n      missing\n    }\n  }\n": typeof types.CheckReferencesDocument,
    "\n  query SecretsPage($filter: SecretFilter!, $first: Int!, $after: String) {\n    secrets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          displayName\n          description\n          scope\n          ownerId\n          systemManaged\n          integration\n          maskedPreview\n          version\n          updatedAt\n          lastUsedAt\n          members {\n            userId\n            role\n          }\n        }\n      }\n    }\n  }\n": typeof types.SecretsPageDocument,
    "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CreateSecretDocument,
    "\n  mutation ImportSecrets($input: ImportSecretsInput!) {\n    importSecrets(input: $input) {\n      created\n      updated\n      skipped\n    }\n  }\n": typeof types.ImportSecretsDocument,
};
const documents: Documents = {
    "\n  query AuditEvents($filter: AuditFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          occurredAt\n          action\n          outcome\n          actorType\n          actorId\n          secretName\n          scope\n          version\n          workflowId\n          runId\n          trigger\n          runner\n          requestId\n          occurrences\n        }\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n    }\n  }\n": types.VerifyAuditLogDocument,
    "\n  fragment SecretDetails on Secret {\n    id\n    name\n    displayName\n    description\n    scope\n    ownerId\n    systemManaged\n    integration\n    maskedPreview\n    version\n    createdAt\n    createdBy\n    updatedAt\n    updatedBy\n    lastUsedAt\n    expiresAt\n    rotationIntervalDays\n    rotationDueAt\n    members {\n      userId\n      role\n    }\n  }\n": types.SecretDetailsFragmentDoc,
    "\n  query SecretDetailsPage($id: ID!) {\n    secret(id: $id) {\n      ...SecretDetails\n    }\n  }\n": types.SecretDetailsPageDocument,
    "\n  mutation UpdateSecretAbout($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.UpdateSecretAboutDocument,
    "\n  mutation RotateSecretValue($input: UpdateSecretValueInput!) {\n    updateSecretValue(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.RotateSecretValueDocument,
    "\n  mutation DeleteSecretForGood($id: ID!) {\n    deleteSecret(id: $id)\n  }\n": types.DeleteSecretForGoodDocument,
    "\n  mutation AddSecretMember($input: AddSecretMemberInput!) {\n    addSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.AddSecretMemberDocument,
    "\n  mutation RemoveSecretMember($input: RemoveSecretMemberInput!) {\n    removeSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.RemoveSecretMemberDocument,
    "\n  query SecretVersions($id: ID!, $first: Int!) {\n    secret(id: $id) {\n      id\n      versions(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n            createdAt\n            createdBy\n            maskedPreview\n            restoredFrom\n            destroyed\n          }\n        }\n      }\n    }\n  }\n": types.SecretVersionsDocument,
    "\n  mutation RestoreSecretVersion($input: RestoreSecretVersionInput!) {\n    restoreSecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.RestoreSecretVersionDocument,
    "\n  mutation DestroySecretVersion($input: DestroySecretVersionInput!) {\n    destroySecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n": types.DestroySecretVersionDocument,
    "\n  query ReferencePicker($nameContains: String, $first: Int!) {\n    workspace: secrets(\n      filter: { scope: WORKSPACE, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n    personal: secrets(\n      filter: { scope: PERSONAL, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n  }\n": types.ReferencePickerDocument,
    "\n  query CheckReferences($names: [String!]!, $runAs: RunAsInput!) {\n    checkSecretReferences(names: $names, runAs: $runAs) {\n      resolvable {\n        name\n        scope\n      }\n      missing\n    }\n  }\n": types.CheckReferencesDocument,
    "\n  query SecretsPage($filter: SecretFilter!, $first: Int!, $after: String) {\n    secrets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          displayName\n          description\n          scope\n          ownerId\n          systemManaged\n          integration\n          maskedPreview\n          version\n          updatedAt\n          lastUsedAt\n          members {\n            userId\n            role\n          }\n        }\n      }\n    }\n  }\n": types.SecretsPageDocument,
    "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      id\n      name\n    }\n  }\n": types.CreateSecretDocument,
    "\n  mutation ImportSecrets($input: ImportSecretsInput!) {\n    importSecrets(input: $input) {\n      created\n      updated\n      skipped\n    }\n  }\n": types.ImportSecretsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($filter: AuditFilter, $first: Int!, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          occurredAt\n          action\n          outcome\n          actorType\n          actorId\n          secretName\n          scope\n          version\n          workflowId\n          runId\n          trigger\n          runner\n          requestId\n          occurrences\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').AuditEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VerifyAuditLog {\n    verifyAuditLog {\n      ok\n      checked\n      firstBrokenId\n    }\n  }\n"): typeof import('./graphql').VerifyAuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SecretDetails on Secret {\n    id\n    name\n    displayName\n    description\n    scope\n    ownerId\n    systemManaged\n    integration\n    maskedPreview\n    version\n    createdAt\n    createdBy\n    updatedAt\n    updatedBy\n    lastUsedAt\n    expiresAt\n    rotationIntervalDays\n    rotationDueAt\n    members {\n      userId\n      role\n    }\n  }\n"): typeof import('./graphql').SecretDetailsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecretDetailsPage($id: ID!) {\n    secret(id: $id) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').SecretDetailsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSecretAbout($input: UpdateSecretInput!) {\n    updateSecret(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').UpdateSecretAboutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSecretValue($input: UpdateSecretValueInput!) {\n    updateSecretValue(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').RotateSecretValueDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSecretForGood($id: ID!) {\n    deleteSecret(id: $id)\n  }\n"): typeof import('./graphql').DeleteSecretForGoodDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddSecretMember($input: AddSecretMemberInput!) {\n    addSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').AddSecretMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveSecretMember($input: RemoveSecretMemberInput!) {\n    removeSecretMember(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').RemoveSecretMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecretVersions($id: ID!, $first: Int!) {\n    secret(id: $id) {\n      id\n      versions(first: $first) {\n        totalCount\n        edges {\n          node {\n            version\n            createdAt\n            createdBy\n            maskedPreview\n            restoredFrom\n            destroyed\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SecretVersionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreSecretVersion($input: RestoreSecretVersionInput!) {\n    restoreSecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').RestoreSecretVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DestroySecretVersion($input: DestroySecretVersionInput!) {\n    destroySecretVersion(input: $input) {\n      ...SecretDetails\n    }\n  }\n"): typeof import('./graphql').DestroySecretVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReferencePicker($nameContains: String, $first: Int!) {\n    workspace: secrets(\n      filter: { scope: WORKSPACE, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n    personal: secrets(\n      filter: { scope: PERSONAL, includeSystemManaged: true, nameContains: $nameContains }\n      first: $first\n    ) {\n      edges {\n        node {\n          id\n          name\n          displayName\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ReferencePickerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CheckReferences($names: [String!]!, $runAs: RunAsInput!) {\n    checkSecretReferences(names: $names, runAs: $runAs) {\n      resolvable {\n        name\n        scope\n      }\n      missing\n    }\n  }\n"): typeof import('./graphql').CheckReferencesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecretsPage($filter: SecretFilter!, $first: Int!, $after: String) {\n    secrets(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          name\n          displayName\n          description\n          scope\n          ownerId\n          systemManaged\n          integration\n          maskedPreview\n          version\n          updatedAt\n          lastUsedAt\n          members {\n            userId\n            role\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').SecretsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSecret($input: CreateSecretInput!) {\n    createSecret(input: $input) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').CreateSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportSecrets($input: ImportSecretsInput!) {\n    importSecrets(input: $input) {\n      created\n      updated\n      skipped\n    }\n  }\n"): typeof import('./graphql').ImportSecretsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
