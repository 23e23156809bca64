package io.kreplay.transforms.partition;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.ReplayRequestCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keys each request by its shard: {@code partitioner(fnv1a64(objectKey)) in [0, shards)}. All
 * requests of one object land on one shard, which is what keeps them in order on replay.
 *
 * <p>The planner applies the same {@link #shardOf} while it streams a profile (a profile of
 * millions of requests is never a collection there); this transform is the same rule for
 * pipelines whose requests are already a {@link PCollection}.
 */
public final class PartitionByObject
    extends PTransform<PCollection<ReplayRequest>, PCollection<KV<Integer, ReplayRequest>>> {
  private final int shards;
  private final Partitioner partitioner;

  private PartitionByObject(int shards, Partitioner partitioner) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shards must be > 0, got " + shards);
    }
    this.shards = shards;
    this.partitioner = partitioner;
  }

  public static PartitionByObject of(int shards, Partitioner partitioner) {
    return new PartitionByObject(shards, partitioner);
  }

  /** The shard of one request. */
  public static int shardOf(ReplayRequest request, int shards, Partitioner partitioner) {
    return partitioner.shardOf(request.objectKey(), shards);
  }

  @Override
  public PCollection<KV<Integer, ReplayRequest>> expand(PCollection<ReplayRequest> requests) {
    return requests
        .apply("AssignShard", ParDo.of(new AssignShardFn(shards, partitioner)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ReplayRequestCoder.of()));
  }

  private static final class AssignShardFn extends DoFn<ReplayRequest, KV<Integer, ReplayRequest>> {
    private final int shards;
    private final Partitioner partitioner;
    private final Counter partitioned = Metrics.counter(PartitionByObject.class, "requestsPartitioned");

    AssignShardFn(int shards, Partitioner partitioner) {
      this.shards = shards;
      this.partitioner = partitioner;
    }

    @ProcessElement
    public void process(@Element ReplayRequest r, OutputReceiver<KV<Integer, ReplayRequest>> out) {
      partitioned.inc();
      out.output(KV.of(shardOf(r, shards, partitioner), r));
    }
  }
}
