package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Description;

/** {@code kreplay run}: plan and replay in one go. */
public interface RunOptions extends ValidateOptions, ReplayOptions {
  @Description("Where to write the plan (any Beam filesystem). Default: a temporary directory.")
  String getPlan();

  void setPlan(String value);
}
