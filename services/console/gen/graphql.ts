/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC, e.g. 2026-11-21T23:39:58.000Z. */
  DateTime: { input: string; output: string; }
};

export type AddSecretMemberInput = {
  role: SecretMemberRole;
  secretId: Scalars['ID']['input'];
  userId: Scalars['String']['input'];
};

/** One audit record. Never holds a secret value. */
export type AuditEvent = {
  action: Scalars['String']['output'];
  actorId?: Maybe<Scalars['String']['output']>;
  actorType: Scalars['String']['output'];
  /** Resolves under a run grant: the grant's jti. */
  grantId?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /**
   * How many occurrences this record stands for: 1, except for failed authentications, where
   * after the first of an interval the rest from one source and reason are recorded together.
   */
  occurrences: Scalars['Int']['output'];
  outcome: Scalars['String']['output'];
  /** Resolves: whose personal secrets and memberships decided the call (from the run grant when there was one). */
  principal?: Maybe<Scalars['String']['output']>;
  requestId?: Maybe<Scalars['String']['output']>;
  runId?: Maybe<Scalars['String']['output']>;
  runner?: Maybe<Scalars['String']['output']>;
  scope?: Maybe<Scalars['String']['output']>;
  secretId?: Maybe<Scalars['String']['output']>;
  secretName?: Maybe<Scalars['String']['output']>;
  stepId?: Maybe<Scalars['String']['output']>;
  trigger?: Maybe<Scalars['String']['output']>;
  triggeredBy?: Maybe<Scalars['String']['output']>;
  version?: Maybe<Scalars['Int']['output']>;
  workflowId?: Maybe<Scalars['String']['output']>;
  workflowOwner?: Maybe<Scalars['String']['output']>;
  workspaceId?: Maybe<Scalars['String']['output']>;
};

/** Newest first. */
export type AuditEventConnection = {
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
};

export type AuditEventEdge = {
  cursor: Scalars['String']['output'];
  node: AuditEvent;
};

export type AuditFilter = {
  action?: InputMaybe<Scalars['String']['input']>;
  actorId?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  grantId?: InputMaybe<Scalars['String']['input']>;
  outcome?: InputMaybe<Scalars['String']['input']>;
  principal?: InputMaybe<Scalars['String']['input']>;
  runId?: InputMaybe<Scalars['String']['input']>;
  secretName?: InputMaybe<Scalars['String']['input']>;
  stepId?: InputMaybe<Scalars['String']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  triggeredBy?: InputMaybe<Scalars['String']['input']>;
  workflowId?: InputMaybe<Scalars['String']['input']>;
  workflowOwner?: InputMaybe<Scalars['String']['input']>;
};

/**
 * The whole log's integrity (SPEC §8, §8.1), told to one workspace's auditor: `checked` counts
 * their workspace's events, and `firstBrokenId` is set only when the broken event is theirs.
 */
export type AuditVerification = {
  checked: Scalars['Int']['output'];
  /** When the newest signed checkpoint was written; null when there is none yet. */
  checkpointAt?: Maybe<Scalars['DateTime']['output']>;
  /** Which check failed (such as record-rewritten, chain-cut, prune-unsigned, checkpoint-stale); null when ok. */
  failedCheck?: Maybe<Scalars['String']['output']>;
  firstBrokenId?: Maybe<Scalars['ID']['output']>;
  ok: Scalars['Boolean']['output'];
};

export type CreateSecretInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** In the future; null or left out: never expires. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  name: Scalars['String']['input'];
  /** 1 to 3650 days; reminders (rotationDueAt, secret.rotation_due) count from the last rotation. */
  rotationIntervalDays?: InputMaybe<Scalars['Int']['input']>;
  scope?: InputMaybe<SecretScope>;
  value: Scalars['String']['input'];
};

export type CreateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Event types to receive (secret.created, secret.rotated, …); empty or left out: every type. */
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  url: Scalars['String']['input'];
};

export type DestroySecretVersionInput = {
  id: Scalars['ID']['input'];
  /** A version other than the current one. */
  version: Scalars['Int']['input'];
};

/** What an import does with a name that already exists. */
export type ImportConflict =
  | 'FAIL'
  | 'OVERWRITE'
  | 'SKIP';

export type ImportSecretsInput = {
  /** The text of a .env file (dotenv's rules). */
  dotenv: Scalars['String']['input'];
  /** Reports the counts the import would give, or the error it would fail with, and writes nothing. */
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  onConflict?: InputMaybe<ImportConflict>;
  scope?: InputMaybe<SecretScope>;
};

export type ImportSecretsResult = {
  created: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type Mutation = {
  addSecretMember: Secret;
  createSecret: Secret;
  createWebhookEndpoint: WebhookEndpointCreated;
  /** Deletes the secret and destroys its ciphertexts; its audit trail stays. */
  deleteSecret: Scalars['ID']['output'];
  deleteWebhookEndpoint: Scalars['ID']['output'];
  /** Deletes a non-current version's ciphertext for good; its metadata stays, marked destroyed. */
  destroySecretVersion: Secret;
  /** All or nothing, in one transaction. */
  importSecrets: ImportSecretsResult;
  /** Sends the delivery's event again, as a new delivery. */
  redeliverWebhookEvent: WebhookDelivery;
  registerSystemSecret: Secret;
  removeSecretMember: Secret;
  /** Makes a new version whose value is that of an older one (the API never decrypts it). */
  restoreSecretVersion: Secret;
  revokeSystemSecret: Scalars['ID']['output'];
  /** A new signing secret, shown this once; the old one stops signing at once. */
  rotateWebhookSigningSecret: WebhookEndpointCreated;
  /** Queues a webhook.test event for the endpoint. */
  sendTestWebhookEvent: WebhookDelivery;
  updateSecret: Secret;
  /** Rotation: stores a new value as version + 1. */
  updateSecretValue: Secret;
  updateWebhookEndpoint: WebhookEndpoint;
};


export type MutationAddSecretMemberArgs = {
  input: AddSecretMemberInput;
};


export type MutationCreateSecretArgs = {
  input: CreateSecretInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeleteSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDestroySecretVersionArgs = {
  input: DestroySecretVersionInput;
};


export type MutationImportSecretsArgs = {
  input: ImportSecretsInput;
};


export type MutationRedeliverWebhookEventArgs = {
  deliveryId: Scalars['ID']['input'];
};


export type MutationRegisterSystemSecretArgs = {
  input: RegisterSystemSecretInput;
};


export type MutationRemoveSecretMemberArgs = {
  input: RemoveSecretMemberInput;
};


export type MutationRestoreSecretVersionArgs = {
  input: RestoreSecretVersionInput;
};


export type MutationRevokeSystemSecretArgs = {
  input: RevokeSystemSecretInput;
};


export type MutationRotateWebhookSigningSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSendTestWebhookEventArgs = {
  endpointId: Scalars['ID']['input'];
};


export type MutationUpdateSecretArgs = {
  input: UpdateSecretInput;
};


export type MutationUpdateSecretValueArgs = {
  input: UpdateSecretValueInput;
};


export type MutationUpdateWebhookEndpointArgs = {
  input: UpdateWebhookEndpointInput;
};

export type PageInfo = {
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  /** Requires scope audit:read; only the token's workspace. */
  auditEvents: AuditEventConnection;
  checkSecretReferences: ReferenceCheck;
  secret?: Maybe<Secret>;
  secrets: SecretConnection;
  /** Requires scope audit:read. */
  verifyAuditLog: AuditVerification;
  /** Workspace admins only. */
  webhookDeliveries: WebhookDeliveryConnection;
  /** Workspace admins only. */
  webhookEndpoints: Array<WebhookEndpoint>;
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AuditFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryCheckSecretReferencesArgs = {
  names: Array<Scalars['String']['input']>;
  runAs: RunAsInput;
};


export type QuerySecretArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySecretsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<SecretFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWebhookDeliveriesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  endpointId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Which names a run would resolve, and from which scope, and which it would not. */
export type ReferenceCheck = {
  /** Names whose secret has expired: a run would be refused them (FAILED_PRECONDITION). Not in `resolvable`. */
  expired: Array<Scalars['String']['output']>;
  missing: Array<Scalars['String']['output']>;
  /**
   * Checking for another user than the caller never consults that user's personal
   * secrets: names no workspace secret satisfies come back here, not as missing.
   */
  notCheckedPersonal: Array<Scalars['String']['output']>;
  resolvable: Array<ResolvableReference>;
};

export type RegisterSystemSecretInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  integration: Scalars['String']['input'];
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type RemoveSecretMemberInput = {
  secretId: Scalars['ID']['input'];
  userId: Scalars['String']['input'];
};

export type ResolvableReference = {
  name: Scalars['String']['output'];
  scope: SecretScope;
};

export type RestoreSecretVersionInput = {
  id: Scalars['ID']['input'];
  /** The version whose value becomes a new version. */
  version: Scalars['Int']['input'];
};

export type RevokeSystemSecretInput = {
  integration: Scalars['String']['input'];
  name: Scalars['String']['input'];
};

export type RunAsInput = {
  trigger: Trigger;
  userId: Scalars['String']['input'];
};

/**
 * A secret's metadata. Write-only by design: no field carries the value or anything derived
 * from it beyond `maskedPreview`.
 */
export type Secret = {
  createdAt: Scalars['DateTime']['output'];
  createdBy: Scalars['String']['output'];
  description: Scalars['String']['output'];
  displayName: Scalars['String']['output'];
  /** After this the resolver refuses the secret (FAILED_PRECONDITION); null: never expires. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** The integration that registered a system-managed secret. */
  integration?: Maybe<Scalars['String']['output']>;
  /** When a runner last resolved it (kept current within a minute). */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The last 4 characters behind a fixed mask when the value has 20 or more characters, else the mask alone. */
  maskedPreview: Scalars['String']['output'];
  /** Per-secret members; a workspace secret with members is restricted to them and workspace admins. */
  members: Array<SecretMember>;
  name: Scalars['String']['output'];
  /** The owning user of a PERSONAL secret; null for WORKSPACE secrets. */
  ownerId?: Maybe<Scalars['String']['output']>;
  /** The last rotation plus rotationIntervalDays; null without a reminder. */
  rotationDueAt?: Maybe<Scalars['DateTime']['output']>;
  /** The rotation reminder's interval in days; null without a reminder. */
  rotationIntervalDays?: Maybe<Scalars['Int']['output']>;
  scope: SecretScope;
  /** True for secrets registered by an integration service; users cannot change them. */
  systemManaged: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTime']['output'];
  updatedBy: Scalars['String']['output'];
  /** Starts at 1; every value change adds one. */
  version: Scalars['Int']['output'];
  /** Every version, newest first, destroyed ones included (their value is gone, their metadata stays). */
  versions: SecretVersionConnection;
};


/**
 * A secret's metadata. Write-only by design: no field carries the value or anything derived
 * from it beyond `maskedPreview`.
 */
export type SecretVersionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A Relay connection of secrets, ordered by name then id. */
export type SecretConnection = {
  edges: Array<SecretEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SecretEdge = {
  cursor: Scalars['String']['output'];
  node: Secret;
};

export type SecretFilter = {
  /** Secrets whose expiry falls within this many days from now, those already expired included. */
  expiringWithinDays?: InputMaybe<Scalars['Int']['input']>;
  includeSystemManaged?: InputMaybe<Scalars['Boolean']['input']>;
  nameContains?: InputMaybe<Scalars['String']['input']>;
  /** true: only secrets whose rotation is due; false: only those not due or without a reminder. */
  rotationOverdue?: InputMaybe<Scalars['Boolean']['input']>;
  scope?: InputMaybe<SecretScope>;
};

export type SecretMember = {
  role: SecretMemberRole;
  userId: Scalars['String']['output'];
};

/** A member's role on one workspace secret. */
export type SecretMemberRole =
  /** May edit, rotate and delete the secret and manage its members. */
  | 'ADMIN'
  /** May use the secret in runs. */
  | 'MEMBER';

/** Who shares a secret: the whole workspace, or one user alone. */
export type SecretScope =
  | 'PERSONAL'
  | 'WORKSPACE';

/** One version of a secret's value. Never the value itself. */
export type SecretVersion = {
  createdAt: Scalars['DateTime']['output'];
  createdBy: Scalars['String']['output'];
  /** True once its ciphertext was destroyed (destroySecretVersion or retention). */
  destroyed: Scalars['Boolean']['output'];
  /** This version's preview, as `Secret.maskedPreview` showed it when it was current. */
  maskedPreview: Scalars['String']['output'];
  /** The version whose value a restore copied into this one; null for a written value. */
  restoredFrom?: Maybe<Scalars['Int']['output']>;
  version: Scalars['Int']['output'];
};

/** Newest first. */
export type SecretVersionConnection = {
  edges: Array<SecretVersionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SecretVersionEdge = {
  cursor: Scalars['String']['output'];
  node: SecretVersion;
};

/** How a workflow run was started; decides whose personal secrets a run may use. */
export type Trigger =
  | 'API'
  | 'MANUAL'
  | 'SCHEDULE'
  | 'WEBHOOK';

export type UpdateSecretInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  /** Left out: unchanged; null: never expires; else a future date-time. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  id: Scalars['ID']['input'];
  /** Left out: unchanged; null: no reminder; else 1 to 3650 days. */
  rotationIntervalDays?: InputMaybe<Scalars['Int']['input']>;
};

export type UpdateSecretValueInput = {
  id: Scalars['ID']['input'];
  value: Scalars['String']['input'];
};

export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** true re-enables a disabled endpoint. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  events?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  url?: InputMaybe<Scalars['String']['input']>;
};

/** One event on its way to one endpoint. */
export type WebhookDelivery = {
  attempts: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  deliveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** The `webhook-id` header: the same for every attempt and redelivery of one event. */
  eventId: Scalars['String']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The class of the last failure (HTTP_500, TIMEOUT, ADDRESS_NOT_ALLOWED, …). */
  lastError?: Maybe<Scalars['String']['output']>;
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  /** When the next attempt is due; null unless PENDING. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** PENDING, DELIVERED or FAILED. */
  status: Scalars['String']['output'];
};

/** Newest first. */
export type WebhookDeliveryConnection = {
  edges: Array<WebhookDeliveryEdge>;
  pageInfo: PageInfo;
};

export type WebhookDeliveryEdge = {
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};

/** A workspace's receiver of change events (SPEC §5.2). Its signing secret is never shown again after creation. */
export type WebhookEndpoint = {
  createdAt: Scalars['DateTime']['output'];
  createdBy: Scalars['String']['output'];
  description: Scalars['String']['output'];
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** gone (410) or failing (five days of failures). */
  disabledReason?: Maybe<Scalars['String']['output']>;
  /** False once disabled: by a 410 answer, five days of failures, or never re-enabled after either. */
  enabled: Scalars['Boolean']['output'];
  /** Event types it receives; empty: every type. */
  events: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

/** An endpoint with its `whsec_` signing secret, shown this once. */
export type WebhookEndpointCreated = {
  endpoint: WebhookEndpoint;
  signingSecret: Scalars['String']['output'];
};

export type AuditEventsQueryVariables = Exact<{
  filter?: InputMaybe<AuditFilter>;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type AuditEventsQuery = { auditEvents: { pageInfo: { hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ node: { id: string, occurredAt: string, action: string, outcome: string, actorType: string, actorId?: string | null, secretName?: string | null, scope?: string | null, version?: number | null, workflowId?: string | null, runId?: string | null, trigger?: string | null, runner?: string | null, requestId?: string | null, occurrences: number } }> } };

export type VerifyAuditLogQueryVariables = Exact<{ [key: string]: never; }>;


export type VerifyAuditLogQuery = { verifyAuditLog: { ok: boolean, checked: number, firstBrokenId?: string | null } };

export type SecretDetailsFragment = { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> };

export type SecretDetailsPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SecretDetailsPageQuery = { secret?: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } | null };

export type UpdateSecretAboutMutationVariables = Exact<{
  input: UpdateSecretInput;
}>;


export type UpdateSecretAboutMutation = { updateSecret: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type RotateSecretValueMutationVariables = Exact<{
  input: UpdateSecretValueInput;
}>;


export type RotateSecretValueMutation = { updateSecretValue: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type DeleteSecretForGoodMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteSecretForGoodMutation = { deleteSecret: string };

export type AddSecretMemberMutationVariables = Exact<{
  input: AddSecretMemberInput;
}>;


export type AddSecretMemberMutation = { addSecretMember: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type RemoveSecretMemberMutationVariables = Exact<{
  input: RemoveSecretMemberInput;
}>;


export type RemoveSecretMemberMutation = { removeSecretMember: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type SecretVersionsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first: Scalars['Int']['input'];
}>;


export type SecretVersionsQuery = { secret?: { id: string, versions: { totalCount: number, edges: Array<{ node: { version: number, createdAt: string, createdBy: string, maskedPreview: string, restoredFrom?: number | null, destroyed: boolean } }> } } | null };

export type RestoreSecretVersionMutationVariables = Exact<{
  input: RestoreSecretVersionInput;
}>;


export type RestoreSecretVersionMutation = { restoreSecretVersion: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type DestroySecretVersionMutationVariables = Exact<{
  input: DestroySecretVersionInput;
}>;


export type DestroySecretVersionMutation = { destroySecretVersion: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, createdAt: string, createdBy: string, updatedAt: string, updatedBy: string, lastUsedAt?: string | null, expiresAt?: string | null, rotationIntervalDays?: number | null, rotationDueAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } };

export type ReferencePickerQueryVariables = Exact<{
  nameContains?: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
}>;


export type ReferencePickerQuery = { workspace: { edges: Array<{ node: { id: string, name: string, displayName: string } }> }, personal: { edges: Array<{ node: { id: string, name: string, displayName: string } }> } };

export type CheckReferencesQueryVariables = Exact<{
  names: Array<Scalars['String']['input']> | Scalars['String']['input'];
  runAs: RunAsInput;
}>;


export type CheckReferencesQuery = { checkSecretReferences: { missing: Array<string>, resolvable: Array<{ name: string, scope: SecretScope }> } };

export type SecretsPageQueryVariables = Exact<{
  filter: SecretFilter;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SecretsPageQuery = { secrets: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ node: { id: string, name: string, displayName: string, description: string, scope: SecretScope, ownerId?: string | null, systemManaged: boolean, integration?: string | null, maskedPreview: string, version: number, updatedAt: string, lastUsedAt?: string | null, members: Array<{ userId: string, role: SecretMemberRole }> } }> } };

export type CreateSecretMutationVariables = Exact<{
  input: CreateSecretInput;
}>;


export type CreateSecretMutation = { createSecret: { id: string, name: string } };

export type ImportSecretsMutationVariables = Exact<{
  input: ImportSecretsInput;
}>;


export type ImportSecretsMutation = { importSecrets: { created: number, updated: number, skipped: number } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const SecretDetailsFragmentDoc = new TypedDocumentString(`
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
    `, {"fragmentName":"SecretDetails"}) as unknown as TypedDocumentString<SecretDetailsFragment, unknown>;
export const AuditEventsDocument = new TypedDocumentString(`
    query AuditEvents($filter: AuditFilter, $first: Int!, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        occurredAt
        action
        outcome
        actorType
        actorId
        secretName
        scope
        version
        workflowId
        runId
        trigger
        runner
        requestId
        occurrences
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AuditEventsQuery, AuditEventsQueryVariables>;
export const VerifyAuditLogDocument = new TypedDocumentString(`
    query VerifyAuditLog {
  verifyAuditLog {
    ok
    checked
    firstBrokenId
  }
}
    `) as unknown as TypedDocumentString<VerifyAuditLogQuery, VerifyAuditLogQueryVariables>;
export const SecretDetailsPageDocument = new TypedDocumentString(`
    query SecretDetailsPage($id: ID!) {
  secret(id: $id) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<SecretDetailsPageQuery, SecretDetailsPageQueryVariables>;
export const UpdateSecretAboutDocument = new TypedDocumentString(`
    mutation UpdateSecretAbout($input: UpdateSecretInput!) {
  updateSecret(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<UpdateSecretAboutMutation, UpdateSecretAboutMutationVariables>;
export const RotateSecretValueDocument = new TypedDocumentString(`
    mutation RotateSecretValue($input: UpdateSecretValueInput!) {
  updateSecretValue(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<RotateSecretValueMutation, RotateSecretValueMutationVariables>;
export const DeleteSecretForGoodDocument = new TypedDocumentString(`
    mutation DeleteSecretForGood($id: ID!) {
  deleteSecret(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteSecretForGoodMutation, DeleteSecretForGoodMutationVariables>;
export const AddSecretMemberDocument = new TypedDocumentString(`
    mutation AddSecretMember($input: AddSecretMemberInput!) {
  addSecretMember(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<AddSecretMemberMutation, AddSecretMemberMutationVariables>;
export const RemoveSecretMemberDocument = new TypedDocumentString(`
    mutation RemoveSecretMember($input: RemoveSecretMemberInput!) {
  removeSecretMember(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<RemoveSecretMemberMutation, RemoveSecretMemberMutationVariables>;
export const SecretVersionsDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<SecretVersionsQuery, SecretVersionsQueryVariables>;
export const RestoreSecretVersionDocument = new TypedDocumentString(`
    mutation RestoreSecretVersion($input: RestoreSecretVersionInput!) {
  restoreSecretVersion(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<RestoreSecretVersionMutation, RestoreSecretVersionMutationVariables>;
export const DestroySecretVersionDocument = new TypedDocumentString(`
    mutation DestroySecretVersion($input: DestroySecretVersionInput!) {
  destroySecretVersion(input: $input) {
    ...SecretDetails
  }
}
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
}`) as unknown as TypedDocumentString<DestroySecretVersionMutation, DestroySecretVersionMutationVariables>;
export const ReferencePickerDocument = new TypedDocumentString(`
    query ReferencePicker($nameContains: String, $first: Int!) {
  workspace: secrets(
    filter: {scope: WORKSPACE, includeSystemManaged: true, nameContains: $nameContains}
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
    filter: {scope: PERSONAL, includeSystemManaged: true, nameContains: $nameContains}
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
    `) as unknown as TypedDocumentString<ReferencePickerQuery, ReferencePickerQueryVariables>;
export const CheckReferencesDocument = new TypedDocumentString(`
    query CheckReferences($names: [String!]!, $runAs: RunAsInput!) {
  checkSecretReferences(names: $names, runAs: $runAs) {
    resolvable {
      name
      scope
    }
    missing
  }
}
    `) as unknown as TypedDocumentString<CheckReferencesQuery, CheckReferencesQueryVariables>;
export const SecretsPageDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<SecretsPageQuery, SecretsPageQueryVariables>;
export const CreateSecretDocument = new TypedDocumentString(`
    mutation CreateSecret($input: CreateSecretInput!) {
  createSecret(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSecretMutation, CreateSecretMutationVariables>;
export const ImportSecretsDocument = new TypedDocumentString(`
    mutation ImportSecrets($input: ImportSecretsInput!) {
  importSecrets(input: $input) {
    created
    updated
    skipped
  }
}
    `) as unknown as TypedDocumentString<ImportSecretsMutation, ImportSecretsMutationVariables>;