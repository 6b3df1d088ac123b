import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../../storage/pool-stats.js';

/** Labels of every request metric: which service, which operation, how it ended. */
export type RequestLabel = 'service' | 'operation' | 'outcome';

/**
 * One process's metrics: a private registry (never prom-client's global one, so tests
 * and two services in one process cannot collide) and the metric objects to record on.
 *
 * | metric | type | labels | recorded by |
 * | --- | --- | --- | --- |
 * | `strongroom_requests_total` | counter | service, operation, outcome | each transport, once per request |
 * | `strongroom_request_duration_seconds` | histogram | service, operation, outcome | same, wall time |
 * | `strongroom_resolves_total` | counter | outcome | resolver, once per requested name (audit outcome) |
 * | `strongroom_audit_write_duration_seconds` | histogram | — | every audit append (see `timeAuditWrites`) |
 * | `strongroom_db_pool_connections` | gauge | state (`used`, `idle`) | read at scrape time from `readPoolStats` |
 * | `strongroom_candidate_reads_total` | counter | source (`cache`, `lookup`) | resolver, once per read of a call's candidates (see `instrumentCandidateCache`) |
 * | `strongroom_candidate_stale_reads_total` | counter | — | resolver, once per cached read refused at commit (the workspace had changed) |
 * | `strongroom_candidate_cache_bytes` | gauge | — | resolver, after each read (see `instrumentCandidateCache`) |
 * | `strongroom_tls_refusals_total` | counter | reason (`no_certificate`, `handshake_timeout`, `not_tls`, `other`) | resolver, once per connection refused at the TLS handshake |
 * | `strongroom_audit_chain_conflicts_total` | counter | — | any process, when one of its audit chains has a head it never wrote |
 * | `strongroom_auth_rate_limited_total` | counter | — | API, per failed authentication answered 429 (its source over STRONGROOM_AUTH_FAILURE_LIMIT) |
 * | `strongroom_audit_checkpoints_total` | counter | outcome (`written`, `unchanged`, `refused`, `failed`) | any process, per checkpoint attempt |
 * | `strongroom_audit_checkpoint_duration_seconds` | histogram | — | any process, per checkpoint attempt |
 *
 * plus prom-client's default process and Node.js metrics (`process_*`, `nodejs_*`).
 * `service` is `api` or `resolver`; `operation` the GraphQL operation or gRPC method
 * name; `outcome` a GraphQL `extensions.code` / `OK`, or a gRPC status name.
 * Label values must come from small fixed sets: never a secret name, id or value.
 */
export interface Metrics {
  registry: Registry;
  requestsTotal: Counter<RequestLabel>;
  requestDuration: Histogram<RequestLabel>;
  resolvesTotal: Counter<'outcome'>;
  auditWriteDuration: Histogram<string>;
  dbPoolConnections: Gauge<'state'>;
  candidateReadsTotal: Counter<'source'>;
  candidateStaleReadsTotal: Counter<string>;
  candidateCacheBytes: Gauge<string>;
  tlsRefusalsTotal: Counter<'reason'>;
  auditChainConflictsTotal: Counter<string>;
  authRateLimitedTotal: Counter<string>;
  auditCheckpointsTotal: Counter<'outcome'>;
  auditCheckpointDuration: Histogram<string>;
}

// Resolves are milliseconds when healthy; the long tail is a slow database or audit commit.
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const AUDIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Builds a fresh registry with default process metrics and Strongroom's metrics on it.
 * `readPoolStats` is called at each scrape (not polled), so the gauge is never stale;
 * without it the pool gauge reports nothing. Call once per process and share the
 * result between the services the process runs.
 */
export function createMetrics({
  readPoolStats,
}: { readPoolStats?: () => PoolStats | undefined } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requestsTotal: new Counter({
      name: 'strongroom_requests_total',
      help: 'Requests handled, by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'strongroom_request_duration_seconds',
      help: 'Request latency in seconds, by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    resolvesTotal: new Counter({
      name: 'strongroom_resolves_total',
      help: 'Secret names resolved by runners, by audited outcome (SUCCESS, DENIED, NOT_FOUND, ERROR).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    auditWriteDuration: new Histogram({
      name: 'strongroom_audit_write_duration_seconds',
      help: 'Time to append audit records (for committed appends, including the commit).',
      buckets: AUDIT_BUCKETS,
      registers,
    }),
    dbPoolConnections: new Gauge({
      name: 'strongroom_db_pool_connections',
      help: 'Database connections by state (used, idle); SQLite reports its one connection as used.',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const stats = readPoolStats?.();
        if (!stats) return;
        this.set({ state: 'used' }, stats.used);
        this.set({ state: 'idle' }, stats.idle);
      },
    }),
    candidateReadsTotal: new Counter({
      name: 'strongroom_candidate_reads_total',
      help: "Reads of a resolve call's candidates, from the candidate cache or a database lookup.",
      labelNames: ['source'] as const,
      registers,
    }),
    candidateStaleReadsTotal: new Counter({
      name: 'strongroom_candidate_stale_reads_total',
      help: 'Cached candidate reads refused at the audit commit because the workspace had changed (the call was decided again).',
      registers,
    }),
    candidateCacheBytes: new Gauge({
      name: 'strongroom_candidate_cache_bytes',
      help: "About how many bytes of sealed candidates the resolver's candidate cache holds.",
      registers,
    }),
    tlsRefusalsTotal: new Counter({
      name: 'strongroom_tls_refusals_total',
      help: 'Resolver connections refused at the TLS handshake, before any request: no client certificate, handshake timeout, not TLS, other (such as an untrusted certificate).',
      labelNames: ['reason'] as const,
      registers,
    }),
    authRateLimitedTotal: new Counter({
      name: 'strongroom_auth_rate_limited_total',
      help: 'Failed authentications answered 429 because their source failed too often in the interval.',
      registers,
    }),
    auditChainConflictsTotal: new Counter({
      name: 'strongroom_audit_chain_conflicts_total',
      help: 'Audit chains of this process found with a head it never wrote (a database writer moved it); each opens a new chain.',
      registers,
    }),
    auditCheckpointsTotal: new Counter({
      name: 'strongroom_audit_checkpoints_total',
      help: 'Audit checkpoint attempts: written, unchanged (nothing moved), refused (the log does not continue the newest checkpoint), failed (an error).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    auditCheckpointDuration: new Histogram({
      name: 'strongroom_audit_checkpoint_duration_seconds',
      help: 'Time to check the log against the newest checkpoint and sign the next one.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}
