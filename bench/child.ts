// Child processes with a hard deadline, enforced by the parent.
//
// A workload stuck in one long synchronous query cannot check its own clock, so the limit has to be kept
// from outside: the parent kills the child at the deadline. Two details make that work:
//   - the child is started in its own process group (detached) and the whole group is killed, so a
//     grandchild (tsx's CLI runs the script in a second node process; tsx's esbuild service) dies too —
//     killing only the direct child used to leave the real worker running, holding the stdout pipe open,
//     and spawnSync waited for that pipe for as long as the query took (10–15 minutes at 10,000 articles);
//   - the child reports as it goes, one JSON object per stdout line, so a child cut off at its deadline
//     still hands over what it measured.
// The deadline can move: onMessage may return a new limit counted from that message (a workload gets its
// query budget once its Dossier has loaded).
import { spawn } from 'node:child_process';

export interface ChildRun {
  /** Every JSON line the child printed, in order (lines that are not JSON are kept as strings). */
  messages: unknown[];
  /** performance.now() at which each message arrived, relative to the start. */
  arrivedMs: number[];
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the parent killed the child at its deadline. */
  timedOut: boolean;
  /** The limit (ms) that was in force when the child was killed or ended. */
  limitMs: number | null;
  elapsedMs: number;
  /** The end of stderr, for error messages. */
  stderr: string;
}

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child this many ms after it starts (none: no deadline until a message sets one). */
  limitMs?: number;
  /** Called on each JSON line; a number returned replaces the deadline with that many ms from now. */
  onMessage?: (message: unknown) => number | void;
}

/** Children still running, killed with their groups if the parent is interrupted. */
const live = new Set<number>();
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => {
    for (const pid of live) killGroup(pid);
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(sig, () => {
      killAll();
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
}

/** SIGKILL to the process group `pid` leads (the child and everything it started), else to the child. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Runs `command args`, collecting its JSON lines, and kills its whole process group at the deadline. */
export function runChild(command: string, args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  installHandlers();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', reject);
      return;
    }
    live.add(pid);
    const messages: unknown[] = [];
    const arrivedMs: number[] = [];
    let stderr = '';
    let pending = '';
    let timedOut = false;
    let limitMs: number | null = opts.limitMs ?? null;
    let timer: NodeJS.Timeout | null = null;
    const arm = (ms: number | null) => {
      if (timer) clearTimeout(timer);
      timer = null;
      limitMs = ms;
      if (ms === null) return;
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(pid);
      }, Math.max(0, ms));
    };
    arm(limitMs);
    const line = (text: string) => {
      if (!text.trim()) return;
      let m: unknown;
      try {
        m = JSON.parse(text);
      } catch {
        m = text;
      }
      messages.push(m);
      arrivedMs.push(performance.now() - t0);
      if (timedOut) return;
      const next = opts.onMessage?.(m);
      if (typeof next === 'number') arm(next);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        line(pending.slice(0, i));
        pending = pending.slice(i + 1);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.once('error', (e) => {
      if (timer) clearTimeout(timer);
      live.delete(pid);
      reject(e);
    });
    // The child has ended: kill whatever is left in its group (nothing, normally), then let the pipes
    // drain what it wrote. Once the group is gone nothing holds them open; the fallback only guards against
    // a process that left the group and kept our stdout, which must not keep the parent waiting.
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      live.delete(pid);
      killGroup(pid);
      const elapsedMs = performance.now() - t0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(fallback);
        if (pending) line(pending);
        pending = '';
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ messages, arrivedMs, code, signal, timedOut, limitMs, elapsedMs, stderr });
      };
      const fallback = setTimeout(finish, 5000);
      let open = 2;
      const closed = () => {
        if (--open === 0) finish();
      };
      for (const stream of [child.stdout, child.stderr]) {
        if (stream.closed || stream.destroyed) closed();
        else stream.once('close', closed);
      }
    });
  });
}
