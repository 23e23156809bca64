package io.kreplay.transforms.replay;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;

/**
 * The same architecture check on an embedded Flink cluster in streaming mode (the pacer is
 * unbounded, so Flink would switch to streaming anyway), with fewer slots than shards: 8 shards
 * on parallelism 2 must still run side by side.
 */
public class PaceShardsFlinkTest extends PaceShardsTest {
  @Override
  protected TestPipeline newPipeline() {
    return embeddedFlink();
  }

  /** A test pipeline on an embedded Flink cluster in streaming mode, parallelism 2. */
  static TestPipeline embeddedFlink() {
    return TestPipeline.fromOptions(
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2", "--streaming=true")
            .create());
  }

  @Override
  protected long warmupMicros() {
    return 10_000_000; // the local Flink cluster takes seconds to come up
  }
}
