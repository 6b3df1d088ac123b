/**
 * `strongroom/sdk`: what a workflow runner needs around secrets (SPEC §9) —
 * template references (`{{secrets.NAME}}` and journey objects), resolver clients
 * (the remote gRPC client over mTLS and the local one, both a
 * `SecretResolverClient`), log masking, aliases and context files for custom code,
 * and running a command with secrets injected and masked.
 */
export { extractSecretReferences, secretReferencePattern } from './secret-references.js';
export { isSecretReferenceObject, type SecretReferenceObject } from './secret-reference-object.js';
export { renderTemplate, type TemplateValues } from './render-template.js';
export {
  parseTemplateText,
  readTemplateFile,
  templateFormatOf,
  type TemplateFormat,
} from './template-file.js';
export {
  ALIAS_PATTERN,
  isValidAlias,
  parseSecretAlias,
  planSecretExposures,
  suggestAlias,
  type SecretAlias,
  type SecretExposure,
} from './secret-aliases.js';
export {
  writeSecretContextFile,
  type SecretContextFile,
  type SecretContextFileOptions,
} from './secret-context-file.js';
export { childEnvironment, type ChildEnvironmentOptions } from './child-environment.js';
export { createLocalResolver, type LocalResolverOptions } from './local-resolver.js';
export {
  createResolverClient,
  DEFAULT_RESOLVE_DEADLINE_MS,
  resolverErrorFromStatus,
  type Pem,
  type ResolverClientOptions,
} from './resolver-client.js';
export {
  createSecretMasker,
  DEFAULT_MIN_MASK_LENGTH,
  type MaskedValue,
  type SecretMasker,
  type SecretMaskerOptions,
} from './secret-masker.js';
export {
  runMaskedCommand,
  FORWARDED_SIGNALS,
  type RunMaskedCommandOptions,
  type RunResult,
} from './run-masked-command.js';
export {
  InvalidSecretReferenceError,
  MissingSecretsError,
  MissingTemplateValuesError,
  SecretAliasError,
  TemplateFileError,
} from './sdk-errors.js';
export { DomainError, type DomainErrorCode } from '../protocol/domain-error.js';
export {
  TRIGGERS,
  type ResolvedSecret,
  type ResolveOptions,
  type ResolverConnectionOptions,
  type RunContext,
  type SecretResolverClient,
  type SecretScope,
  type Trigger,
} from './resolver-client-types.js';
export { runContextFromGrant } from './run-grant-context.js';
