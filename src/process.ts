// Process-level reliability for the bot: an unhandled promise rejection is logged and the bot keeps
// running; SIGTERM (and SIGINT) stop taking new work, let the interactions in flight finish, then exit 0;
// an uncaught exception is logged and, after the same drain, exits 1 (the process state is no longer
// trusted after one).
//
// Wiring (the Discord runtime): wrap each interaction the router handles in `inFlight.track(...)`, and
// install the handlers once the bot is up:
//
//   const inFlight = createInFlight();
//   ... router.handle(i, responder) → inFlight.track(router.handle(i, responder))
//   installProcessHandlers(log, async () => { holder.close(); inFlight.close(); await inFlight.drain(); await bot.stop(); });

/** The subset of a pino logger used here. */
export interface ProcessLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  flush?(): void;
}

/** Work in progress that a shutdown waits for. */
export interface InFlight {
  /** Counts `p` as in flight until it settles; returns it unchanged. */
  track<T>(p: Promise<T>): Promise<T>;
  /** How many are in flight now. */
  readonly size: number;
  /** True once close() was called: new work should be refused (or answered with "restarting"). */
  readonly closed: boolean;
  close(): void;
  /** Resolves when nothing is in flight (true), or after `timeoutMs` with work still running (false). */
  drain(timeoutMs?: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  let closed = false;
  let waiters: (() => void)[] = [];
  const settle = (p: Promise<unknown>) => {
    pending.delete(p);
    if (pending.size === 0) {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    }
  };
  return {
    track<T>(p: Promise<T>): Promise<T> {
      pending.add(p);
      p.then(
        () => settle(p),
        () => settle(p),
      );
      return p;
    },
    get size() {
      return pending.size;
    },
    get closed() {
      return closed;
    },
    close() {
      closed = true;
    },
    drain(timeoutMs = 10_000): Promise<boolean> {
      if (pending.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}

export interface ProcessHandlerOptions {
  /** Longest wait for `drain` before exiting anyway (with code 1). Default 10 s. */
  drainTimeoutMs?: number;
  /** Signals that stop the bot. Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
  /** How to exit (tests). Default process.exit. */
  exit?: (code: number) => void;
}

/**
 * Installs the handlers. `drain` stops taking work and resolves when the work in flight is done (it
 * should also close connections). Returns a function that removes the handlers again.
 */
export function installProcessHandlers(log: ProcessLogger, drain: () => Promise<unknown>, opts: ProcessHandlerOptions = {}): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = opts.drainTimeoutMs ?? 10_000;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;

  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down: finishing the interactions in flight');
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    Promise.race([Promise.resolve().then(drain).then(() => 'drained' as const), gaveUp])
      .then(
        (r) => {
          if (r === 'timeout') {
            log.warn({ ms: timeoutMs }, 'gave up waiting for the interactions in flight');
            return 1;
          }
          log.info({}, 'drained; exiting');
          return code;
        },
        (err: unknown) => {
          log.error({ err: errInfo(err) }, 'error while shutting down');
          return 1;
        },
      )
      .then((c) => {
        clearTimeout(timer);
        log.flush?.();
        exit(c);
      });
  };

  const onRejection = (reason: unknown) => log.error({ err: errInfo(reason) }, 'unhandled promise rejection (the bot keeps running)');
  const onException = (err: Error) => {
    log.error({ err: errInfo(err) }, 'uncaught exception: stopping after the interactions in flight');
    stop('uncaught exception', 1);
  };
  const onSignal: Record<string, () => void> = {};
  const onSecond = (signal: string) => () => {
    if (!stopping) return stop(signal, 0);
    log.warn({ signal }, 'second signal: exiting now');
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  for (const s of signals) {
    onSignal[s] = onSecond(s);
    process.on(s, onSignal[s]!);
  }
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    for (const s of signals) process.off(s, onSignal[s]!);
  };
}

function errInfo(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return { message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { message: String(e) };
}
