/** Where the CLI writes and how it learns it should stop; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Calls `handler` once on SIGTERM/SIGINT; returns an unsubscribe function. */
  onStop(handler: (signal: string) => void): () => void;
  /** Working directory for relative paths. */
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    onStop(handler) {
      const listener = (signal: NodeJS.Signals) => handler(signal);
      process.once('SIGTERM', listener);
      process.once('SIGINT', listener);
      return () => {
        process.off('SIGTERM', listener);
        process.off('SIGINT', listener);
      };
    },
  };
}

/** The first stop signal, and a way to stop listening (so a failed start leaves no handler behind). */
export function stopSignal(io: CliIo): { stopped: Promise<string>; dispose(): void } {
  let off: () => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    off = io.onStop((signal) => {
      off();
      resolve(signal);
    });
  });
  return { stopped, dispose: () => off() };
}
