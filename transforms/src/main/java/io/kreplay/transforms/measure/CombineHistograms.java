package io.kreplay.transforms.measure;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Merges the histogram sets of every shard and worker into one. The accumulator is itself a
 * {@link HistogramSet} with its own coder (HdrHistogram's compressed encoding), so partial
 * merges travel cheaply between workers.
 */
public final class CombineHistograms extends PTransform<PCollection<HistogramSet>, PCollection<HistogramSet>> {
  private CombineHistograms() {}

  /** One merged set per window. */
  public static CombineHistograms globally() {
    return new CombineHistograms();
  }

  @Override
  public PCollection<HistogramSet> expand(PCollection<HistogramSet> sets) {
    return sets.apply("MergeHistograms", Combine.globally(new MergeFn()).withoutDefaults())
        .setCoder(HistogramSetCoder.of());
  }

  /** The CombineFn, for use with other Combine forms (per key, with windows). */
  public static final class MergeFn extends Combine.CombineFn<HistogramSet, HistogramSet, HistogramSet> {
    @Override
    public HistogramSet createAccumulator() {
      return new HistogramSet();
    }

    @Override
    public HistogramSet addInput(HistogramSet acc, HistogramSet input) {
      return acc.merge(input);
    }

    @Override
    public HistogramSet mergeAccumulators(Iterable<HistogramSet> accs) {
      HistogramSet all = new HistogramSet();
      for (HistogramSet a : accs) {
        all.merge(a);
      }
      return all;
    }

    @Override
    public HistogramSet extractOutput(HistogramSet acc) {
      return acc;
    }

    @Override
    public Coder<HistogramSet> getAccumulatorCoder(CoderRegistry registry, Coder<HistogramSet> input) {
      return HistogramSetCoder.of();
    }

    @Override
    public Coder<HistogramSet> getDefaultOutputCoder(CoderRegistry registry, Coder<HistogramSet> input) {
      return HistogramSetCoder.of();
    }
  }
}
