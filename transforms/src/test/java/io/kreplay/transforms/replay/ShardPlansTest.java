package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class ShardPlansTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static List<ShardPlan> plans(int n) {
    List<ShardPlan> plans = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      ShardPlan p = new ShardPlan();
      p.shard = s;
      p.planDir = "/plan";
      plans.add(p);
    }
    return plans;
  }

  /** Every plan comes out once (on the DirectRunner, from Create: it is not held open there). */
  @Test
  public void emitsEveryPlanOnce() {
    PCollection<Integer> shards =
        pipeline.apply(ShardPlans.heldUntil(plans(3), ReplayClock.nowEpochMicros() + 60_000_000))
            .apply(MapElements.into(TypeDescriptors.integers()).via(p -> p.shard));
    PAssert.that(shards).containsInAnyOrder(0, 1, 2);
    pipeline.run().waitUntilFinish();
  }

  /** Held open on Flink only (FlinkRemoteSubmissionTest replays through it on a Flink cluster). */
  @Test
  public void heldOpenOnFlinkOnly() {
    org.apache.beam.sdk.options.PipelineOptions o = PipelineOptionsFactory.create();
    o.setRunner(org.apache.beam.runners.direct.DirectRunner.class);
    assertFalse(ShardPlans.holdsOpen(o));
    o.setRunner(org.apache.beam.runners.flink.FlinkRunner.class);
    assertTrue(ShardPlans.holdsOpen(o));
  }

  @Test
  public void watermarkStaysBackUntilEverythingIsEmittedAndTheHoldHasPassed() throws Exception {
    ShardPlans.PlanSource source = new ShardPlans.PlanSource(plans(2), ReplayClock.nowEpochMicros() - 1);
    UnboundedSource.UnboundedReader<ShardPlan> r = source.createReader(PipelineOptionsFactory.create(), null);
    assertTrue(r.start());
    assertEquals(BoundedWindow.TIMESTAMP_MIN_VALUE, r.getWatermark());
    assertTrue(r.advance());
    assertFalse(r.advance());
    assertEquals("all emitted and past the hold: the end of time", BoundedWindow.TIMESTAMP_MAX_VALUE, r.getWatermark());

    ShardPlans.PlanSource held = new ShardPlans.PlanSource(plans(1), ReplayClock.nowEpochMicros() + 60_000_000);
    UnboundedSource.UnboundedReader<ShardPlan> h = held.createReader(PipelineOptionsFactory.create(), null);
    assertTrue(h.start());
    assertFalse(h.advance());
    assertEquals("all emitted, hold not passed", BoundedWindow.TIMESTAMP_MIN_VALUE, h.getWatermark());
  }

  /** A reader restored from a checkpoint does not emit again what it had emitted. */
  @Test
  public void aRestoredReaderResumesAfterWhatItEmitted() throws Exception {
    ShardPlans.PlanSource source = new ShardPlans.PlanSource(plans(3), 0);
    UnboundedSource.UnboundedReader<ShardPlan> r = source.createReader(PipelineOptionsFactory.create(), null);
    assertTrue(r.start());
    assertTrue(r.advance());
    ShardPlans.Mark mark = (ShardPlans.Mark) r.getCheckpointMark();
    UnboundedSource.UnboundedReader<ShardPlan> restored = source.createReader(PipelineOptionsFactory.create(), mark);
    assertTrue(restored.start());
    assertEquals(2, restored.getCurrent().shard);
    assertFalse(restored.advance());
  }
}
