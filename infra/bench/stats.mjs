// Latency statistics. Every latency is kept (a few hundred thousand numbers at most), so
// percentiles are exact, by the nearest-rank method, never interpolated from a histogram.

/** The value below which `p` % of the samples lie (nearest rank); NaN without samples. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** p50, p95, p99, p99.9 and max of latencies in milliseconds, rounded to 0.1 ms. */
export function summarize(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p) => round(percentile(sorted, p));
  return {
    samples: sorted.length,
    p50_ms: at(50),
    p95_ms: at(95),
    p99_ms: at(99),
    p99_9_ms: at(99.9),
    max_ms: at(100),
  };
}

export const round = (value, digits = 1) => {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
