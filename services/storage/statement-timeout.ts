/**
 * The default for STRONGROOM_DB_STATEMENT_TIMEOUT_MS: half the runner SDK's call deadline,
 * so a resolve whose database has gone silent fails UNAVAILABLE before its runner gives
 * up, yet hundreds of times what an audit batch or a candidate lookup takes.
 */
export const DEFAULT_DB_STATEMENT_TIMEOUT_MS = 5_000;
