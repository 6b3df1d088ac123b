/**
 * What requests and calls in flight get after SIGTERM before their connections are cut:
 * well inside Kubernetes' default 30 s grace period.
 */
export const SHUTDOWN_GRACE_MS = 10_000;

/** Resolves on the first SIGTERM or SIGINT. */
export function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
