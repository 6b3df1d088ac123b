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
  name: Scalars['String']['input'];
  scope?: InputMaybe<SecretScope>;
  value: Scalars['String']['input'];
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
  /** Deletes the secret and destroys its ciphertexts; its audit trail stays. */
  deleteSecret: Scalars['ID']['output'];
  /** All or nothing, in one transaction. */
  importSecrets: ImportSecretsResult;
  registerSystemSecret: Secret;
  removeSecretMember: Secret;
  revokeSystemSecret: Scalars['ID']['output'];
  updateSecret: Secret;
  /** Rotation: stores a new value as version + 1. */
  updateSecretValue: Secret;
};


export type MutationAddSecretMemberArgs = {
  input: AddSecretMemberInput;
};


export type MutationCreateSecretArgs = {
  input: CreateSecretInput;
};


export type MutationDeleteSecretArgs = {
  id: Scalars['ID']['input'];
};


export type MutationImportSecretsArgs = {
  input: ImportSecretsInput;
};


export type MutationRegisterSystemSecretArgs = {
  input: RegisterSystemSecretInput;
};


export type MutationRemoveSecretMemberArgs = {
  input: RemoveSecretMemberInput;
};


export type MutationRevokeSystemSecretArgs = {
  input: RevokeSystemSecretInput;
};


export type MutationUpdateSecretArgs = {
  input: UpdateSecretInput;
};


export type MutationUpdateSecretValueArgs = {
  input: UpdateSecretValueInput;
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

/** Which names a run would resolve, and from which scope, and which it would not. */
export type ReferenceCheck = {
  __typename?: 'ReferenceCheck';
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
  scope: SecretScope;
  /** True for secrets registered by an integration service; users cannot change them. */
  systemManaged: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTime']['output'];
  updatedBy: Scalars['String']['output'];
  /** Starts at 1; every value change adds one. */
  version: Scalars['Int']['output'];
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
  includeSystemManaged?: InputMaybe<Scalars['Boolean']['input']>;
  nameContains?: InputMaybe<Scalars['String']['input']>;
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

/** How a workflow run was started; decides whose personal secrets a run may use. */
export type Trigger =
  | 'API'
  | 'MANUAL'
  | 'SCHEDULE'
  | 'WEBHOOK';

export type UpdateSecretInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
};

export type UpdateSecretValueInput = {
  id: Scalars['ID']['input'];
  value: Scalars['String']['input'];
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
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
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
  RevokeSystemSecretInput: RevokeSystemSecretInput;
  RunAsInput: RunAsInput;
  Secret: ResolverTypeWrapper<SecretView>;
  SecretConnection: ResolverTypeWrapper<Omit<SecretConnection, 'edges'> & { edges: Array<ResolversTypes['SecretEdge']> }>;
  SecretEdge: ResolverTypeWrapper<Omit<SecretEdge, 'node'> & { node: ResolversTypes['Secret'] }>;
  SecretFilter: SecretFilter;
  SecretMember: ResolverTypeWrapper<SecretMember>;
  SecretMemberRole: SecretMemberRole;
  SecretScope: SecretScope;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Trigger: Trigger;
  UpdateSecretInput: UpdateSecretInput;
  UpdateSecretValueInput: UpdateSecretValueInput;
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
  DateTime: Scalars['DateTime']['output'];
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
  RevokeSystemSecretInput: RevokeSystemSecretInput;
  RunAsInput: RunAsInput;
  Secret: SecretView;
  SecretConnection: Omit<SecretConnection, 'edges'> & { edges: Array<ResolversParentTypes['SecretEdge']> };
  SecretEdge: Omit<SecretEdge, 'node'> & { node: ResolversParentTypes['Secret'] };
  SecretFilter: SecretFilter;
  SecretMember: SecretMember;
  String: Scalars['String']['output'];
  UpdateSecretInput: UpdateSecretInput;
  UpdateSecretValueInput: UpdateSecretValueInput;
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
  deleteSecret?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteSecretArgs, 'id'>>;
  importSecrets?: Resolver<ResolversTypes['ImportSecretsResult'], ParentType, ContextType, RequireFields<MutationImportSecretsArgs, 'input'>>;
  registerSystemSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationRegisterSystemSecretArgs, 'input'>>;
  removeSecretMember?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationRemoveSecretMemberArgs, 'input'>>;
  revokeSystemSecret?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationRevokeSystemSecretArgs, 'input'>>;
  updateSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationUpdateSecretArgs, 'input'>>;
  updateSecretValue?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationUpdateSecretValueArgs, 'input'>>;
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
}>;

export type ReferenceCheckResolvers<ContextType = GraphQLContext, ParentType extends ResolversParentTypes['ReferenceCheck'] = ResolversParentTypes['ReferenceCheck']> = ResolversObject<{
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
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  integration?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  maskedPreview?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['SecretMember']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ownerId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['SecretScope'], ParentType, ContextType>;
  systemManaged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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
}>;

