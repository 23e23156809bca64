package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code kreplay plan}. */
public interface PlanOptions extends ValidateOptions {
  @Description("Directory (any Beam filesystem) to write the plan to: segments and manifest.json.")
  @Validation.Required
  String getPlan();

  void setPlan(String value);
}
