package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** {@code kreplay validate}. */
public interface ValidateOptions extends ProfileOptions {
  @Description("Print the summary as one JSON object on stdout instead of text.")
  @Default.Boolean(false)
  boolean getJson();

  void setJson(boolean value);
}
