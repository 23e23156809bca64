package io.kreplay.transforms.read;

import io.kreplay.transforms.model.LoadSpec;
import io.kreplay.transforms.model.ProfileSpec;
import java.io.Serializable;

/** One phase a profile source yields: its index, name, length and settings. */
public final class PhaseInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int index;
  public final String name;
  /** How long the phase lasts; the next phase starts this long after it. */
  public final long durationMs;
  /** The replay profile's spec; for a load phase, the equivalent (conns, client, contentType). */
  public final ProfileSpec spec;
  /** Null for replay-profile phases. */
  public final LoadSpec load;

  public PhaseInfo(int index, String name, long durationMs, ProfileSpec spec, LoadSpec load) {
    this.index = index;
    this.name = name;
    this.durationMs = durationMs;
    this.spec = spec;
    this.load = load;
  }
}
