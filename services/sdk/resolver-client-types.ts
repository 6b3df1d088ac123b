/**
 * The contract every resolver client shares: the remote gRPC client
 * (`strongroom.resolver.v1.SecretResolver/Resolve`, SPEC §6) and the local one
 * (environment variables and a `.env` file, SPEC §9). Code that runs a workflow
 * step depends on this interface only, so "on my laptop" and "in the cloud" are
 * the same code path with a different factory.
 */

/** What started a run, and where a resolved value came from: the protocol's own words (SPEC §6). */
import type { SecretScope, Trigger } from '../protocol/vocabulary.js';
export { TRIGGERS, type SecretScope, type Trigger } from '../protocol/vocabulary.js';

/** The run a resolve is for: the camelCase twin of the proto's `RunContext`. */
export interface RunContext {
  workspaceId: string;
  workflowId: string;
  runId: string;
  trigger: Trigger;
  /** The user who started a `MANUAL` run. */
  triggeredBy: string;
  /** The owner whose personal secrets `API`, `WEBHOOK` and `SCHEDULE` runs use. */
  workflowOwner: string;
  stepId: string;
}

/** What a resolve may carry besides its context and names. */
export interface ResolveOptions {
  /**
   * The run grant the platform's orchestrator signed for this run (SPEC §6.1), passed on
   * as it came. The resolver takes the run's context and principal from it; a context
   * field that differs from it is refused. The local resolver ignores it.
   */
  runGrant?: string;
}

/** One decrypted value. `version` is the secret's version; the local resolver reports 0. */
export interface ResolvedSecret {
  name: string;
  value: string;
  scope: SecretScope;
  version: number;
}

/**
 * Resolves secret names for a run. All or nothing: when any name cannot be
 * resolved, `resolve` rejects with `MissingSecretsError` listing every missing
 * name and returns no values. Results come back in the order of the first
 * occurrence of each name; duplicate names are resolved once.
 */
export interface SecretResolverClient {
  resolve(context: RunContext, names: readonly string[], options?: ResolveOptions): Promise<ResolvedSecret[]>;
  /** Releases connections; a client without any (the local one) may omit it. */
  close?(): void | Promise<void>;
}

/**
 * How a runner reaches the remote resolver over mutual TLS. Paths rather than
 * bytes so that a factory can default missing files (development certificates
 * in the data dir) and reload them.
 */
export interface ResolverConnectionOptions {
  /** `host:port` of the resolver. */
  address: string;
  /** The CA the resolver's server certificate chains to. */
  caPath?: string;
  /** The runner's client certificate and key. */
  certPath?: string;
  keyPath?: string;
  /** Deadline of each Resolve call in milliseconds. */
  deadlineMs?: number;
}
