package io.kreplay.transforms.replay;

import io.kreplay.transforms.model.JsonCoder;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The replay's shard plans as an input that stays open until the last request is due.
 *
 * <p>Why not {@code Create.of}: on Flink, once an operator's input has ended, Beam's {@code
 * DoFnOperator.finish()} fires every pending processing-time timer at once, in a loop, until
 * none is left ({@code flushData}: "our last chance to block shutdown"). The replay stage is a
 * splittable DoFn that paces by resuming with a delay, i.e. by processing-time timers; with a
 * bounded input that ended at once, every delay was ignored and the pacer spun its task
 * thread for the whole replay (async-profiler at 4,000 req/s on embedded Flink: 27% of the
 * process's CPU under {@code DoFnOperator.flushData}, and the replay fell seconds behind).
 * Held open, the input ends only when every request has been handed on; after that a shard
 * only waits for its last answers.
 *
 * <p>An {@link UnboundedSource} with one reader: it emits the plans (timestamped like {@code
 * Create}'s), then has nothing and holds its watermark until {@code holdUntilEpochMicros},
 * then moves its watermark to the end of time, which ends it on every runner. The checkpoint
 * mark records how many plans were emitted, so a restored reader does not emit them again.
 */
public final class ShardPlans extends PTransform<PBegin, PCollection<ShardPlan>> {
  private final List<ShardPlan> plans;
  private final long holdUntilEpochMicros;

  private ShardPlans(List<ShardPlan> plans, long holdUntilEpochMicros) {
    this.plans = plans;
    this.holdUntilEpochMicros = holdUntilEpochMicros;
  }

  /** {@code plans}, with the input held open until {@code holdUntilEpochMicros} (the replay's end). */
  public static ShardPlans heldUntil(List<ShardPlan> plans, long holdUntilEpochMicros) {
    return new ShardPlans(new ArrayList<>(plans), holdUntilEpochMicros);
  }

  @Override
  public PCollection<ShardPlan> expand(PBegin begin) {
    if (!holdsOpen(begin.getPipeline().getOptions())) {
      return begin.apply("CreateShardPlans", Create.of(plans).withCoder(JsonCoder.of(ShardPlan.class)));
    }
    return begin.apply("ReadShardPlans", Read.from(new PlanSource(plans, holdUntilEpochMicros)));
  }

  /**
   * Only Flink needs the input held open. The DirectRunner honours resume delays with an ended
   * input, and polling an unbounded reader costs it CPU it does not have to spare: measured at
   * 2,000 req/s on 2 cores, send lag p99 at the server 0.6 s with the held input against
   * 43 ms with {@code Create}. Dataflow schedules resumptions itself.
   */
  static boolean holdsOpen(PipelineOptions options) {
    return options.getRunner().getSimpleName().startsWith("Flink");
  }

  /** How many plans a reader has emitted. */
  static final class Mark implements UnboundedSource.CheckpointMark, Serializable {
    private static final long serialVersionUID = 1L;
    final int emitted;

    Mark(int emitted) {
      this.emitted = emitted;
    }

    @Override
    public void finalizeCheckpoint() {}
  }

  static final class PlanSource extends UnboundedSource<ShardPlan, Mark> {
    private static final long serialVersionUID = 1L;
    private final ArrayList<ShardPlan> plans;
    private final long holdUntilEpochMicros;

    PlanSource(List<ShardPlan> plans, long holdUntilEpochMicros) {
      this.plans = new ArrayList<>(plans);
      this.holdUntilEpochMicros = holdUntilEpochMicros;
    }

    /** One reader: a handful of plans, and the replay stage spreads them by key anyway. */
    @Override
    public List<PlanSource> split(int desiredNumSplits, PipelineOptions options) {
      return Collections.singletonList(this);
    }

    @Override
    public UnboundedReader<ShardPlan> createReader(PipelineOptions options, @Nullable Mark mark) {
      return new PlanReader(this, mark == null ? 0 : mark.emitted);
    }

    @Override
    public Coder<Mark> getCheckpointMarkCoder() {
      return SerializableCoder.of(Mark.class);
    }

    @Override
    public Coder<ShardPlan> getOutputCoder() {
      return JsonCoder.of(ShardPlan.class);
    }
  }

  private static final class PlanReader extends UnboundedSource.UnboundedReader<ShardPlan> {
    private final PlanSource source;
    /** Index of the current plan; emitted = next. */
    private int next;
    private ShardPlan current;

    PlanReader(PlanSource source, int emitted) {
      this.source = source;
      this.next = emitted;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= source.plans.size()) {
        current = null;
        return false;
      }
      current = source.plans.get(next++);
      return true;
    }

    @Override
    public ShardPlan getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public Instant getWatermark() {
      boolean allEmitted = next >= source.plans.size();
      return allEmitted && ReplayClock.nowEpochMicros() >= source.holdUntilEpochMicros
          ? BoundedWindow.TIMESTAMP_MAX_VALUE
          : BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @Override
    public UnboundedSource.CheckpointMark getCheckpointMark() {
      return new Mark(next);
    }

    @Override
    public UnboundedSource<ShardPlan, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {}
  }
}
