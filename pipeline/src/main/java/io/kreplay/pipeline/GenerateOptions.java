package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** {@code kreplay generate}: synthetic profiles for tests and benchmarks. */
public interface GenerateOptions extends PipelineOptions {
  @Description("File to write; gzip'd when --gzip is set.")
  @Validation.Required
  String getOut();

  void setOut(String value);

  @Description("Number of requests.")
  @Default.Long(10_000)
  long getRequests();

  void setRequests(long value);

  @Description("Seconds the requests are spread over, evenly.")
  @Default.Double(60)
  double getDurationSeconds();

  void setDurationSeconds(double value);

  @Description("Number of distinct objects (pods); each cycles through a create-to-delete lifecycle.")
  @Default.Integer(1000)
  int getObjects();

  void setObjects(int value);

  @Description("Namespaces the objects are spread over.")
  @Default.Integer(10)
  int getNamespaces();

  void setNamespaces(int value);

  @Description("The profile's spec.runnerCount.")
  @Default.Integer(4)
  int getRunnerCount();

  void setRunnerCount(int value);

  @Description("gzip the output.")
  @Default.Boolean(false)
  boolean getGzip();

  void setGzip(boolean value);

  @Description(
      "lifecycle: pods created, read, patched, applied, listed and deleted; deletes: every request a "
          + "DELETE of pod t<ms>-<i>, which kreplay aggregates as one URL while a null server's log "
          + "still tells each request's intended time (benchmarks).")
  @Default.String("lifecycle")
  String getShape();

  void setShape(String value);
}
