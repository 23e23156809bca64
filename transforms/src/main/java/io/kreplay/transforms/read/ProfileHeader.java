package io.kreplay.transforms.read;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kreplay.transforms.model.ProfileSpec;
import java.io.Serializable;

/** The top-level fields of a replay profile other than its requests. */
public final class ProfileHeader implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Null when absent. */
  @JsonProperty public Integer version;

  @JsonProperty public String description = "";
  /** Null when absent. */
  @JsonProperty public ProfileSpec spec;
  /** Named time ranges ({@code phases:}, ours; kperf ignores it); null when absent. */
  @JsonProperty public java.util.List<PhaseMark> phases;
}
