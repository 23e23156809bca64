package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The report.json documents the report tests render. */
final class ReportFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private ReportFixtures() {}

  /**
   * A synthetic baseline/spike/recovery run (300 s, 10 s windows, errors, eight URL patterns)
   * with every field of the report contract.
   */
  static ObjectNode threePhases() {
    return load("report-fixture.json");
  }

  /**
   * A real report.json from {@code bin/kreplay run} on the sample profile before timeline,
   * byUrl, latencyDistribution and partition existed: kperf's keys and the percentile extras only.
   */
  static ObjectNode withoutExtras() {
    return load("report-without-extras.json");
  }

  private static ObjectNode load(String name) {
    try (InputStream in = ReportFixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
