// The benchmark's time limits: the parent kills a workload stuck in a synchronous query (and whatever
// that workload started) at its deadline and keeps what it had reported; the workload loop reports its
// first (cold) query apart and starts no query once its budget is spent. No timing is asserted: the
// deadlines here are short and the checks are about what was killed and what was kept.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runChild } from '../bench/child.js';
import { deadlines, runWorkload, summarize, type WorkloadMessage } from '../bench/workload.js';

/** Whether a process still runs (a zombie waiting for its parent to reap it does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('runChild', () => {
  it('kills a child stuck in a synchronous loop, and its grandchild, at the deadline, keeping the lines it printed', async () => {
    // The child starts a grandchild in its own process group (as tsx's CLI runs the script in a second
    // node), reports, then spins forever; the grandchild spins too, holding the same stdout pipe.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: ['ignore', 'inherit', 'inherit'] });
      console.log(JSON.stringify({ type: 'grandchild', pid: g.pid }));
      console.log(JSON.stringify({ type: 'sample', ms: 1, error: false }));
      setTimeout(() => { for (;;) {} }, 50);
    `;
    const r = await runChild(process.execPath, ['-e', script], { limitMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    const grandchild = (r.messages[0] as { pid: number }).pid;
    expect(r.messages[1]).toEqual({ type: 'sample', ms: 1, error: false });
    // Give the kernel a moment to deliver the group kill, then nothing of the group may be left running.
    for (let i = 0; i < 50 && alive(grandchild); i++) await new Promise((ok) => setTimeout(ok, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('moves the deadline when a message asks, and does not kill a child that ends in time', async () => {
    const script = `console.log(JSON.stringify({ type: 'loaded', ms: 0, planned: 0 })); setTimeout(() => console.log(JSON.stringify({ type: 'done', stoppedByBudget: false, peakRssMB: 1 })), 300);`;
    // 'loaded' replaces the first limit with a budget of 10 s from then.
    const r = await runChild(process.execPath, ['-e', script], { limitMs: 5000, onMessage: (m) => ((m as { type: string }).type === 'loaded' ? 10_000 : undefined) });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.limitMs).toBe(10_000);
    expect(r.messages).toHaveLength(2);
  });
});

describe('deadlines', () => {
  it('gives the load limit first, then the first query its own limit, then budget plus grace', () => {
    const d = deadlines({ loadMs: 120_000, firstMs: 60_000, budgetMs: 15_000, graceMs: 3_000 });
    expect(d.initialMs).toBe(120_000);
    expect(d.onMessage({ type: 'loaded', ms: 5, planned: 10 })).toBe(60_000);
    expect(d.onMessage({ type: 'cold', ms: 5, error: false })).toBe(18_000);
    expect(d.onMessage({ type: 'sample', ms: 5, error: false })).toBeUndefined();
    expect(d.onMessage('not json')).toBeUndefined();
  });
});

describe('runWorkload', () => {
  /** A clock that advances only when a query runs: query x takes cost(x) ms. */
  function fakeRun(inputs: number[], budgetMs: number) {
    let clock = 0;
    const ran: number[] = [];
    const out: WorkloadMessage[] = [];
    runWorkload(
      inputs,
      (x) => {
        ran.push(x);
        clock += x;
        if (x === 13) throw new Error('bad query');
      },
      budgetMs,
      (m) => out.push(m),
      () => clock,
    );
    return { ran, out };
  }

  it('times the first (cold) query apart from the samples, each query once', () => {
    const { ran, out } = fakeRun([500, 2, 3, 13], 10_000);
    expect(ran).toEqual([500, 2, 3, 13]);
    expect(out[0]).toEqual({ type: 'cold', ms: 500, error: false });
    expect(out.filter((m) => m.type === 'sample').map((m) => (m as { ms: number }).ms)).toEqual([2, 3, 13]);
    expect(out.filter((m) => m.type === 'sample' && m.error)).toHaveLength(1);
    expect(out.at(-1)).toMatchObject({ type: 'done', stoppedByBudget: false });
  });

  it('starts the budget after the cold query and starts no query once the budget is spent', () => {
    // Budget 100 from the end of the cold query (500): 30 (at 530), 30 (560), 30 (590), 30 (620: over,
    // but it had started before the budget ran out); the sixth is not started.
    const { ran, out } = fakeRun([500, 30, 30, 30, 30, 30], 100);
    expect(ran).toEqual([500, 30, 30, 30, 30]);
    expect(out.at(-1)).toMatchObject({ type: 'done', stoppedByBudget: true });
  });
});

describe('summarize', () => {
  const lines: WorkloadMessage[] = [
    { type: 'loaded', ms: 2000, planned: 4 },
    { type: 'cold', ms: 800, error: false },
    { type: 'sample', ms: 10, error: false },
    { type: 'sample', ms: 20, error: false },
  ];

  it('reports a workload cut off during its queries with the queries it finished and how long the stuck one had run', () => {
    const row = summarize('/timeline', { messages: lines, arrivedMs: [2000, 2800, 2810, 2830], timedOut: true, limitMs: 18_000, elapsedMs: 20_030, code: null, stderr: '' });
    expect(row.timedOut).toEqual({ phase: 'queries', limitSeconds: 18, runningMs: 17_200 });
    expect(row.lat.n).toBe(2);
    expect(row.coldMs).toBe(800);
    expect(row.planned).toBe(4);
    expect(row.failed).toBeUndefined();
  });

  it('says what a workload was doing when it was cut off: loading, or its first query', () => {
    const load = summarize('x', { messages: [], arrivedMs: [], timedOut: true, limitMs: 120_000, elapsedMs: 120_000, code: null, stderr: '' });
    expect(load.timedOut?.phase).toBe('load');
    expect(load.coldMs).toBeNull();
    const cold = summarize('x', { messages: lines.slice(0, 1), arrivedMs: [2000], timedOut: true, limitMs: 18_000, elapsedMs: 20_000, code: null, stderr: '' });
    expect(cold.timedOut).toMatchObject({ phase: 'cold', runningMs: 18_000 });
    expect(cold.lat.n).toBe(0);
  });

  it('tells a failed child from a finished one', () => {
    const done = summarize('x', { messages: [...lines, { type: 'done', stoppedByBudget: false, peakRssMB: 300 }], arrivedMs: [], timedOut: false, limitMs: 18_000, elapsedMs: 3000, code: 0, stderr: '' });
    expect(done.failed).toBeUndefined();
    expect(done.peakRssMB).toBe(300);
    const failed = summarize('x', { messages: lines, arrivedMs: [], timedOut: false, limitMs: 18_000, elapsedMs: 3000, code: 1, stderr: 'Error: boom' });
    expect(failed.failed).toContain('boom');
  });
});
