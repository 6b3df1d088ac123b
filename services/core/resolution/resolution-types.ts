import type { SecretScope, Trigger } from '../../protocol/vocabulary.js';
import type { WireRunContext } from '../../protocol/wire-mapping.js';

/** A workflow runner, as authenticated by its client certificate. */
export interface RunnerIdentity {
  /**
   * Typed by where it came from: the certificate's one URI SAN as it is (for example
   * spiffe://strongroom/runner/cloud), or its subject CN as `cn:<CN>`, so a CN can never
   * pass for a URI identity.
   */
  id: string;
}

/** Why a certificate that chained to the runner CA names no runner this resolver accepts. */
export type RunnerRefusalReason = 'NO_RUNNER_IDENTITY' | 'SEVERAL_URI_SANS' | 'CN_NOT_ACCEPTED';

/** A verified certificate that names no acceptable runner. */
export interface RunnerRefusal {
  refusal: RunnerRefusalReason;
}

/**
 * A run context as a transport received it: unchecked. `trigger` is the
 * transport's spelling mapped to a Trigger, or whatever it was when unknown.
 */
export type RunContextInput = WireRunContext;

/** A validated run context with the principal whose personal secrets may be used. */
export interface RunContext extends Omit<RunContextInput, 'trigger'> {
  trigger: Trigger;
  /** The triggering user for MANUAL runs, the workflow owner for API, WEBHOOK and SCHEDULE runs. */
  principal: string;
}

/** One decrypted value, handed only to the transport that sends it. */
export interface ResolvedValue {
  name: string;
  value: string;
  scope: SecretScope;
  version: number;
}

/** Per-call facts recorded with every audit record of the call. */
export interface ResolveCallInfo {
  requestId: string;
  sourceAddress?: string;
  /**
   * Aborted once the caller gave up (deadline or cancel): no further work, nothing sent.
   * An AbortSignal fits; anything that can say whether the caller went away does.
   */
  signal?: { readonly aborted: boolean };
}
