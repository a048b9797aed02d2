// Small helpers for the benchmark: latency summaries.

export interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted samples. */
function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, p50: r3(pct(s, 50)), p90: r3(pct(s, 90)), p99: r3(pct(s, 99)), max: r3(s[s.length - 1] ?? NaN), mean: r3(mean) };
}

/** discord-api-types' ApplicationCommandOptionType values used here (no runtime import of that package). */
export const APPLICATION_COMMAND_OPTION_TYPES = { string: 3 } as const;
