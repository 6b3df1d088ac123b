import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { SecretView } from '../../core/secrets/secret-types.js';
import type { AuditEventView } from '../../core/audit/audit-query-types.js';
import type { GraphQLContext } from '../graphql-context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC, e.g. 2026-11-21T23:39:58.000Z. */
  DateTime: { input: Date; output: Date; }
};

export type AddSecretMemberInput = {
  role: SecretMemberRole;
  secretId: Scalars['ID']['input'];
  userId: Scalars['String']['input'];
};

/** One audit record. Never holds a secret value. */
export type AuditEvent = {
  __typename?: 'AuditEvent';
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
  __typename?: 'AuditEventConnection';
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
};

export type AuditEventEdge = {
  __typename?: 'AuditEventEdge';
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
  __typename?: 'AuditVerification';
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
  __typename?: 'ImportSecretsResult';
  created: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
  updated: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
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
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
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
  __typename?: 'ReferenceCheck';
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
  __typename?: 'ResolvableReference';
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
  __typename?: 'Secret';
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
  __typename?: 'SecretConnection';
  edges: Array<SecretEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SecretEdge = {
  __typename?: 'SecretEdge';
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
  __typename?: 'SecretMember';
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
  __typename?: 'SecretVersion';
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
  __typename?: 'SecretVersionConnection';
  edges: Array<SecretVersionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type SecretVersionEdge = {
  __typename?: 'SecretVersionEdge';
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
  __typename?: 'WebhookDelivery';
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
  __typename?: 'WebhookDeliveryConnection';
  edges: Array<WebhookDeliveryEdge>;
  pageInfo: PageInfo;
};

export type WebhookDeliveryEdge = {
  __typename?: 'WebhookDeliveryEdge';
  cursor: Scalars['String']['output'];
  node: WebhookDelivery;
};

/** A workspace's receiver of change events (SPEC §5.2). Its signing secret is never shown again after creation. */
export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
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
  __typename?: 'WebhookEndpointCreated';
  endpoint: WebhookEndpoint;
  signingSecret: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddSecretMemberInput: AddSecretMemberInput;
  AuditEvent: ResolverTypeWrapper<AuditEventView>;
  AuditEventConnection: ResolverTypeWrapper<Omit<AuditEventConnection, 'edges'> & { edges: Array<ResolversTypes['AuditEventEdge']> }>;
  AuditEventEdge: ResolverTypeWrapper<Omit<AuditEventEdge, 'node'> & { node: ResolversTypes['AuditEvent'] }>;
  AuditFilter: AuditFilter;
  AuditVerification: ResolverTypeWrapper<AuditVerification>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateSecretInput: CreateSecretInput;
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DestroySecretVersionInput: DestroySecretVersionInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ImportConflict: ImportConflict;
  ImportSecretsInput: ImportSecretsInput;
  ImportSecretsResult: ResolverTypeWrapper<ImportSecretsResult>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Mutation: ResolverTypeWrapper<{}>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<{}>;
  ReferenceCheck: ResolverTypeWrapper<ReferenceCheck>;
  RegisterSystemSecretInput: RegisterSystemSecretInput;
  RemoveSecretMemberInput: RemoveSecretMemberInput;
  ResolvableReference: ResolverTypeWrapper<ResolvableReference>;
  RestoreSecretVersionInput: RestoreSecretVersionInput;
  RevokeSystemSecretInput: RevokeSystemSecretInput;
  RunAsInput: RunAsInput;
  Secret: ResolverTypeWrapper<SecretView>;
  SecretConnection: ResolverTypeWrapper<Omit<SecretConnection, 'edges'> & { edges: Array<ResolversTypes['SecretEdge']> }>;
  SecretEdge: ResolverTypeWrapper<Omit<SecretEdge, 'node'> & { node: ResolversTypes['Secret'] }>;
  SecretFilter: SecretFilter;
  SecretMember: ResolverTypeWrapper<SecretMember>;
  SecretMemberRole: SecretMemberRole;
  SecretScope: SecretScope;
  SecretVersion: ResolverTypeWrapper<SecretVersion>;
  SecretVersionConnection: ResolverTypeWrapper<SecretVersionConnection>;
  SecretVersionEdge: ResolverTypeWrapper<SecretVersionEdge>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Trigger: Trigger;
  UpdateSecretInput: UpdateSecretInput;
  UpdateSecretValueInput: UpdateSecretValueInput;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  WebhookDelivery: ResolverTypeWrapper<WebhookDelivery>;
  WebhookDeliveryConnection: ResolverTypeWrapper<WebhookDeliveryConnection>;
  WebhookDeliveryEdge: ResolverTypeWrapper<WebhookDeliveryEdge>;
  WebhookEndpoint: ResolverTypeWrapper<WebhookEndpoint>;
  WebhookEndpointCreated: ResolverTypeWrapper<WebhookEndpointCreated>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddSecretMemberInput: AddSecretMemberInput;
  AuditEvent: AuditEventView;
  AuditEventConnection: Omit<AuditEventConnection, 'edges'> & { edges: Array<ResolversParentTypes['AuditEventEdge']> };
  AuditEventEdge: Omit<AuditEventEdge, 'node'> & { node: ResolversParentTypes['AuditEvent'] };
  AuditFilter: AuditFilter;
  AuditVerification: AuditVerification;
  Boolean: Scalars['Boolean']['output'];
  CreateSecretInput: CreateSecretInput;
  CreateWebhookEndpointInput: CreateWebhookEndpointInput;
  DateTime: Scalars['DateTime']['output'];
  DestroySecretVersionInput: DestroySecretVersionInput;
  ID: Scalars['ID']['output'];
  ImportSecretsInput: ImportSecretsInput;
  ImportSecretsResult: ImportSecretsResult;
  Int: Scalars['Int']['output'];
  Mutation: {};
  PageInfo: PageInfo;
  Query: {};
  ReferenceCheck: ReferenceCheck;
  RegisterSystemSecretInput: RegisterSystemSecretInput;
  RemoveSecretMemberInput: RemoveSecretMemberInput;
  ResolvableReference: ResolvableReference;
  RestoreSecretVersionInput: RestoreSecretVersionInput;
  RevokeSystemSecretInput: RevokeSystemSecretInput;
  RunAsInput: RunAsInput;
  Secret: SecretView;
  SecretConnection: Omit<SecretConnection, 'edges'> & { edges: Array<ResolversParentTypes['SecretEdge']> };
  SecretEdge: Omit<SecretEdge, 'node'> & { node: ResolversParentTypes['Secret'] };
  SecretFilter: SecretFilter;
  SecretMember: SecretMember;
  SecretVersion: SecretVersion;
  SecretVersionConnection: SecretVersionConnection;
  SecretVersionEdge: SecretVersionEdge;
  String: Scalars['String']['output'];
  UpdateSecretInput: UpdateSecretInput;
  UpdateSecretValueInput: UpdateSecretValueInput;
  UpdateWebhookEndpointInput: UpdateWebhookEndpointInput;
  WebhookDelivery: WebhookDelivery;
  WebhookDeliveryConnection: WebhookDeliveryConnection;
  WebhookDeliveryEdge: WebhookDeliveryEdge;
  WebhookEndpoint: WebhookEndpoint;
  WebhookEndpointCreated: WebhookEndpointCreated;
}>;

export type AuditEventResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditEvent'] = ResolversParentTypes['AuditEvent']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  actorType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  grantId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  occurrences?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scope?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  secretId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  secretName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  stepId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  trigger?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  triggeredBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workflowOwner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workspaceId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AuditEventConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditEventConnection'] = ResolversParentTypes['AuditEventConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['AuditEventEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AuditEventEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditEventEdge'] = ResolversParentTypes['AuditEventEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AuditEvent'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type AuditVerificationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['AuditVerification'] = ResolversParentTypes['AuditVerification']> = ResolversObject<{
  checked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  checkpointAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  failedCheck?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstBrokenId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type ImportSecretsResultResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ImportSecretsResult'] = ResolversParentTypes['ImportSecretsResult']> = ResolversObject<{
  created?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  skipped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  updated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addSecretMember?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationAddSecretMemberArgs, 'input'>>;
  createSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationCreateSecretArgs, 'input'>>;
  createWebhookEndpoint?: Resolver<ResolversTypes['WebhookEndpointCreated'], ParentType, ContextType, RequireFields<MutationCreateWebhookEndpointArgs, 'input'>>;
  deleteSecret?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteSecretArgs, 'id'>>;
  deleteWebhookEndpoint?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteWebhookEndpointArgs, 'id'>>;
  destroySecretVersion?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationDestroySecretVersionArgs, 'input'>>;
  importSecrets?: Resolver<ResolversTypes['ImportSecretsResult'], ParentType, ContextType, RequireFields<MutationImportSecretsArgs, 'input'>>;
  redeliverWebhookEvent?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType, RequireFields<MutationRedeliverWebhookEventArgs, 'deliveryId'>>;
  registerSystemSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationRegisterSystemSecretArgs, 'input'>>;
  removeSecretMember?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationRemoveSecretMemberArgs, 'input'>>;
  restoreSecretVersion?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationRestoreSecretVersionArgs, 'input'>>;
  revokeSystemSecret?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationRevokeSystemSecretArgs, 'input'>>;
  rotateWebhookSigningSecret?: Resolver<ResolversTypes['WebhookEndpointCreated'], ParentType, ContextType, RequireFields<MutationRotateWebhookSigningSecretArgs, 'id'>>;
  sendTestWebhookEvent?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType, RequireFields<MutationSendTestWebhookEventArgs, 'endpointId'>>;
  updateSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationUpdateSecretArgs, 'input'>>;
  updateSecretValue?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationUpdateSecretValueArgs, 'input'>>;
  updateWebhookEndpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType, RequireFields<MutationUpdateWebhookEndpointArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  auditEvents?: Resolver<ResolversTypes['AuditEventConnection'], ParentType, ContextType, RequireFields<QueryAuditEventsArgs, 'first'>>;
  checkSecretReferences?: Resolver<ResolversTypes['ReferenceCheck'], ParentType, ContextType, RequireFields<QueryCheckSecretReferencesArgs, 'names' | 'runAs'>>;
  secret?: Resolver<Maybe<ResolversTypes['Secret']>, ParentType, ContextType, RequireFields<QuerySecretArgs, 'id'>>;
  secrets?: Resolver<ResolversTypes['SecretConnection'], ParentType, ContextType, RequireFields<QuerySecretsArgs, 'first'>>;
  verifyAuditLog?: Resolver<ResolversTypes['AuditVerification'], ParentType, ContextType>;
  webhookDeliveries?: Resolver<ResolversTypes['WebhookDeliveryConnection'], ParentType, ContextType, RequireFields<QueryWebhookDeliveriesArgs, 'endpointId' | 'first'>>;
  webhookEndpoints?: Resolver<Array<ResolversTypes['WebhookEndpoint']>, ParentType, ContextType>;
}>;

export type ReferenceCheckResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ReferenceCheck'] = ResolversParentTypes['ReferenceCheck']> = ResolversObject<{
  expired?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  missing?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  notCheckedPersonal?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  resolvable?: Resolver<Array<ResolversTypes['ResolvableReference']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type ResolvableReferenceResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ResolvableReference'] = ResolversParentTypes['ResolvableReference']> = ResolversObject<{
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['SecretScope'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['Secret'] = ResolversParentTypes['Secret']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  integration?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  maskedPreview?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['SecretMember']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ownerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rotationDueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  rotationIntervalDays?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['SecretScope'], ParentType, ContextType>;
  systemManaged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  versions?: Resolver<ResolversTypes['SecretVersionConnection'], ParentType, ContextType, RequireFields<SecretVersionsArgs, 'first'>>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretConnection'] = ResolversParentTypes['SecretConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SecretEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretEdge'] = ResolversParentTypes['SecretEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Secret'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretMemberResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretMember'] = ResolversParentTypes['SecretMember']> = ResolversObject<{
  role?: Resolver<ResolversTypes['SecretMemberRole'], ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretVersionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretVersion'] = ResolversParentTypes['SecretVersion']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  destroyed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  maskedPreview?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  restoredFrom?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretVersionConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretVersionConnection'] = ResolversParentTypes['SecretVersionConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['SecretVersionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type SecretVersionEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['SecretVersionEdge'] = ResolversParentTypes['SecretVersionEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['SecretVersion'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WebhookDeliveryResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = ResolversObject<{
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deliveredAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  eventId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  eventType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastStatusCode?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WebhookDeliveryConnectionResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookDeliveryConnection'] = ResolversParentTypes['WebhookDeliveryConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['WebhookDeliveryEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WebhookDeliveryEdgeResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookDeliveryEdge'] = ResolversParentTypes['WebhookDeliveryEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['WebhookDelivery'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WebhookEndpointResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookEndpoint'] = ResolversParentTypes['WebhookEndpoint']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  disabledReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type WebhookEndpointCreatedResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['WebhookEndpointCreated'] = ResolversParentTypes['WebhookEndpointCreated']> = ResolversObject<{
  endpoint?: Resolver<ResolversTypes['WebhookEndpoint'], ParentType, ContextType>;
  signingSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
}>;

export type Resolvers<ContextType = GraphQLContext> = ResolversObject<{
  AuditEvent?: AuditEventResolvers<ContextType>;
  AuditEventConnection?: AuditEventConnectionResolvers<ContextType>;
  AuditEventEdge?: AuditEventEdgeResolvers<ContextType>;
  AuditVerification?: AuditVerificationResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  ImportSecretsResult?: ImportSecretsResultResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReferenceCheck?: ReferenceCheckResolvers<ContextType>;
  ResolvableReference?: ResolvableReferenceResolvers<ContextType>;
  Secret?: SecretResolvers<ContextType>;
  SecretConnection?: SecretConnectionResolvers<ContextType>;
  SecretEdge?: SecretEdgeResolvers<ContextType>;
  SecretMember?: SecretMemberResolvers<ContextType>;
  SecretVersion?: SecretVersionResolvers<ContextType>;
  SecretVersionConnection?: SecretVersionConnectionResolvers<ContextType>;
  SecretVersionEdge?: SecretVersionEdgeResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
  WebhookDeliveryConnection?: WebhookDeliveryConnectionResolvers<ContextType>;
  WebhookDeliveryEdge?: WebhookDeliveryEdgeResolvers<ContextType>;
  WebhookEndpoint?: WebhookEndpointResolvers<ContextType>;
  WebhookEndpointCreated?: WebhookEndpointCreatedResolvers<ContextType>;
}>;

