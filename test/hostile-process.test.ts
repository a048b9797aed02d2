// The process level, in a real child process: an unhandled rejection is logged and the process keeps
// serving; SIGTERM lets the work in flight finish, then exits 0; a drain that never ends is given up on
// (exit 1); an uncaught exception is logged and exits 1 after the drain.
import { type ChildProcess, spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const processModule = pathToFileURL(join(ROOT, 'src/process.ts')).href;

/** A stand-in for the bot: answers "work" lines with a task that takes a while, tracked as in flight. */
const CHILD = (drainTimeoutMs: number, taskMs: number) => `
import { createInFlight, installProcessHandlers } from ${JSON.stringify(processModule)};
import { createInterface } from 'node:readline';
const say = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const log = { info: (o, msg) => say({ level: 'info', msg, ...o }), warn: (o, msg) => say({ level: 'warn', msg, ...o }), error: (o, msg) => say({ level: 'error', msg, ...o }) };
const inFlight = createInFlight();
installProcessHandlers(log, async () => { inFlight.close(); await inFlight.drain(60_000); say({ event: 'closed' }); }, { drainTimeoutMs: ${drainTimeoutMs} });
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line === 'reject') { Promise.reject(new Error('nobody caught this')); setTimeout(() => say({ event: 'still alive' }), 20); }
  if (line === 'throw') setTimeout(() => { throw new Error('thrown in a timer'); }, 0);
  if (line === 'work') {
    if (inFlight.closed) return say({ event: 'refused' });
    say({ event: 'working' });
    inFlight.track(new Promise((r) => setTimeout(r, ${taskMs}))).then(() => say({ event: 'answered' }));
  }
});
say({ event: 'ready' });
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(drainTimeoutMs = 10_000, taskMs = 400) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD(drainTimeoutMs, taskMs)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitFor = async (pred: (l: Record<string, unknown>) => boolean, what: string, ms = 20_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = lines.find(pred);
      if (hit) return hit;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${what} within ${ms} ms; lines: ${JSON.stringify(lines)}; stderr: ${err}`);
  };
  const send = (s: string) => child.stdin!.write(`${s}\n`);
  return { child, lines, exited, waitFor, send, stderr: () => err };
}

const ev = (e: string) => (l: Record<string, unknown>) => l.event === e;

describe('the process under failure and shutdown', () => {
  it('logs an unhandled rejection and keeps going', async () => {
    const p = start();
    await p.waitFor(ev('ready'), 'ready');
    p.send('reject');
    const logged = await p.waitFor((l) => l.level === 'error' && /unhandled promise rejection/.test(String(l.msg)), 'log line');
    expect((logged.err as { message: string }).message).toBe('nobody caught this');
    await p.waitFor(ev('still alive'), 'survival');
    p.send('work');
    await p.waitFor(ev('answered'), 'an answer after the rejection');
    expect(p.child.exitCode).toBeNull();
  });

  it('on SIGTERM finishes the work in flight, refuses new work, and exits 0', async () => {
    const p = start(10_000, 600);
    await p.waitFor(ev('ready'), 'ready');
    p.send('work');
    await p.waitFor(ev('working'), 'work started');
    p.child.kill('SIGTERM');
    await p.waitFor((l) => l.msg === 'shutting down: finishing the interactions in flight', 'shutdown');
    p.send('work');
    const code = await p.exited;
    expect(code).toBe(0);
    expect(p.lines.filter(ev('working')).length).toBe(1);
    expect(p.lines.some(ev('refused'))).toBe(true);
    const events = p.lines.map((l) => l.event ?? l.msg);
    // The answer went out before the process ended, and after the shutdown began.
    expect(events.indexOf('answered')).toBeGreaterThan(events.indexOf('shutting down: finishing the interactions in flight'));
    expect(events.indexOf('drained; exiting')).toBeGreaterThan(events.indexOf('answered'));
  });

  it('gives up on a drain that takes too long and exits 1', async () => {
    const p = start(300, 60_000);
    await p.waitFor(ev('ready'), 'ready');
    p.send('work');
    await p.waitFor(ev('working'), 'work started');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(1);
    expect(p.lines.some((l) => l.msg === 'gave up waiting for the interactions in flight')).toBe(true);
    expect(p.lines.some(ev('answered'))).toBe(false);
  });

  it('an uncaught exception is logged, the work in flight finishes, and the process exits 1', async () => {
    const p = start(10_000, 300);
    await p.waitFor(ev('ready'), 'ready');
    p.send('work');
    await p.waitFor(ev('working'), 'work started');
    p.send('throw');
    expect(await p.exited).toBe(1);
    const logged = p.lines.find((l) => l.level === 'error' && /uncaught exception/.test(String(l.msg)));
    expect((logged?.err as { message: string }).message).toBe('thrown in a timer');
    expect(p.lines.some(ev('answered'))).toBe(true);
  });
});
