import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { SecretMasker } from './secret-masker.js';

/** Signals passed on to the child: what a terminal, `kill` or a supervisor sends to stop a job. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** What `runMaskedCommand` needs; the CLI passes the real process, tests anything alike. */
export interface RunMaskedCommandOptions {
  command: string;
  args: readonly string[];
  /** The child's complete environment (the caller merges secrets into it). */
  env: Readonly<Record<string, string | undefined>>;
  masker: SecretMasker;
  stdout: Writable;
  stderr: Writable;
  /** Where signals arrive, usually `process`. */
  signalSource?: Pick<NodeJS.Process, 'on' | 'off'>;
  cwd?: string;
  /**
   * How long to keep copying output after the child exits. A background process it
   * left behind may hold the pipes open forever; after this we stop reading and
   * flush what is held back (masked). Default 2000 ms.
   */
  outputGraceMs?: number;
}

/** How the child ended, as a shell would report it. */
export interface RunResult {
  /** The child's exit code; 128 + the signal number when a signal killed it; 127/126 when it could not start. */
  exitCode: number;
  signal?: NodeJS.Signals;
}

/**
 * Runs a command with its stdout and stderr piped through the masker, forwards
 * SIGINT, SIGTERM and SIGHUP to it, and resolves once it has exited and its output
 * is fully written. stdin is inherited so interactive tools keep working.
 *
 * The child stays in our process group: a terminal's Ctrl-C therefore reaches it
 * directly as well as through us, which programs treat as one interrupt; a
 * separate group would stop it from reading the terminal.
 */
export async function runMaskedCommand(options: RunMaskedCommandOptions): Promise<RunResult> {
  const child = spawn(options.command, [...options.args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  const signalSource = options.signalSource ?? process;
  const forward = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) signalSource.on(signal, forward);

  try {
    const outputs = [
      pipeMasked(child.stdout, options.masker, options.stdout),
      pipeMasked(child.stderr, options.masker, options.stderr),
    ];
    const ended = new Promise<RunResult>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        options.stderr.write(`strongroom: cannot start ${options.command}: ${error.code ?? error.message}\n`);
        resolve({ exitCode: error.code === 'ENOENT' ? 127 : 126 });
      });
      child.once('exit', (code, signal) => {
        if (signal) resolve({ exitCode: 128 + (constants.signals[signal] ?? 0), signal });
        else resolve({ exitCode: code ?? 1 });
      });
    });
    const result = await ended;
    const drained = Promise.all(outputs.map((o) => o.done));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.outputGraceMs ?? 2000);
    });
    if ((await Promise.race([drained, grace])) === 'timeout') {
      for (const output of outputs) output.stop();
      await drained;
    }
    clearTimeout(timer);
    return result;
  } finally {
    for (const signal of FORWARDED_SIGNALS) signalSource.off(signal, forward);
  }
}

/**
 * Copies `source` through a fresh masking stream into `target` without ending
 * `target`. `stop` abandons the source and flushes the masked tail.
 */
function pipeMasked(
  source: Readable | null,
  masker: SecretMasker,
  target: Writable,
): { done: Promise<void>; stop: () => void } {
  if (!source) return { done: Promise.resolve(), stop: () => {} };
  const masking = masker.createMaskingStream();
  source.pipe(masking);
  const copy = async (): Promise<void> => {
    for await (const chunk of masking) {
      if (!target.write(chunk)) await once(target, 'drain');
    }
  };
  return {
    done: copy(),
    stop: () => {
      source.unpipe(masking);
      source.destroy();
      masking.end();
    },
  };
}
