package io.kreplay.transforms.read;

import io.kreplay.transforms.model.LoadSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A kperf load profile (v1) as read: its specs, each one phase, in order. */
public final class LoadProfile implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One spec: its settings, its weighted requests, and an optional phase name (ours). */
  public static final class Spec implements Serializable {
    private static final long serialVersionUID = 1L;
    public final LoadSpec settings = new LoadSpec();
    public final List<LoadRequest> requests = new ArrayList<>();
    /** Null when the spec has no {@code name} (kperf ignores the field). */
    public String name;
    public int line;
  }

  public String description = "";
  public final List<Spec> specs = new ArrayList<>();
}
