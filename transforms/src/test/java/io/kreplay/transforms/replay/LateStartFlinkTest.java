package io.kreplay.transforms.replay;

import org.apache.beam.sdk.testing.TestPipeline;

/** The same late start on an embedded Flink cluster, where it was first seen (no report.json). */
public class LateStartFlinkTest extends LateStartTest {
  @Override
  protected TestPipeline newPipeline() {
    return PaceShardsFlinkTest.embeddedFlink();
  }
}
