import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface ParsedMetrics {
  /** Every family's name and type, as the exposition declares them. */
  families: { name: string; type: string }[];
  /** The samples of one series (a histogram's `_count`, `_sum` and `_bucket` are series of their own). */
  series(name: string): Sample[];
}

/**
 * Parses a /metrics answer with parse-prometheus-text-format, which throws on a line the text format does not allow.
 * That parser folds a histogram's labelled series into one unlabelled sample, so histograms are read a second time
 * with their TYPE line left out: each of `_bucket`, `_sum` and `_count` is then a plain series with its labels.
 */
export function parseMetrics(text: string): ParsedMetrics {
  const typed = parsePrometheusTextFormat(text);
  const untyped = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, ''));
  return {
    families: typed.map((family) => ({ name: family.name, type: family.type })),
    series: (name) =>
      (untyped.find((family) => family.name === name)?.metrics ?? []).map((sample) => ({
        labels: sample.labels ?? {},
        value: Number(sample.value),
      })),
  };
}

export const sum = (samples: readonly Sample[]) => samples.reduce((total, sample) => total + sample.value, 0);

/** The sum of the samples whose labels include all of `labels`. */
export const where = (samples: readonly Sample[], labels: Record<string, string>) =>
  sum(samples.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value)));
