package io.kreplay.transforms.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * One request of a replay, as kperf's replay profile describes it, plus where it came from.
 *
 * <p>{@code phase} is the index of the profile source it was read from (several sources replay
 * back to back as phases) and {@code sequence} its position in that source, which breaks ties
 * between equal timestamps so per-object order is the profile's order.
 */
public final class ReplayRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int phase;
  private final long sequence;
  private final long timestampMs;
  private final Verb verb;
  private final String namespace;
  private final String resourceKind;
  private final String name;
  private final String apiPath;
  private final String body;
  private final String labelSelector;
  private final LoadKind kind;

  public ReplayRequest(
      int phase,
      long sequence,
      long timestampMs,
      Verb verb,
      String namespace,
      String resourceKind,
      String name,
      String apiPath,
      String body,
      String labelSelector) {
    this(phase, sequence, timestampMs, verb, namespace, resourceKind, name, apiPath, body, labelSelector, LoadKind.NONE);
  }

  /**
   * A request generated from a load profile: {@code kind} says what to send where the verb
   * alone cannot (PUT, the patch type, a pod log); query parameters ride in {@code apiPath}.
   */
  public ReplayRequest(
      int phase,
      long sequence,
      long timestampMs,
      Verb verb,
      String namespace,
      String resourceKind,
      String name,
      String apiPath,
      String body,
      String labelSelector,
      LoadKind kind) {
    this.phase = phase;
    this.sequence = sequence;
    this.timestampMs = timestampMs;
    this.verb = Objects.requireNonNull(verb, "verb");
    this.namespace = nullToEmpty(namespace);
    this.resourceKind = nullToEmpty(resourceKind);
    this.name = nullToEmpty(name);
    this.apiPath = nullToEmpty(apiPath);
    this.body = nullToEmpty(body);
    this.labelSelector = nullToEmpty(labelSelector);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  public int phase() {
    return phase;
  }

  public long sequence() {
    return sequence;
  }

  public long timestampMs() {
    return timestampMs;
  }

  public Verb verb() {
    return verb;
  }

  public String namespace() {
    return namespace;
  }

  public String resourceKind() {
    return resourceKind;
  }

  public String name() {
    return name;
  }

  public String apiPath() {
    return apiPath;
  }

  public String body() {
    return body;
  }

  public String labelSelector() {
    return labelSelector;
  }

  /** {@link LoadKind#NONE} for requests read from a replay profile. */
  public LoadKind kind() {
    return kind;
  }

  /** How summaries count it: the verb, or for a load request kperf's method label. */
  public String verbLabel() {
    return kind == LoadKind.NONE ? verb.name() : kind.reportMethod();
  }

  /**
   * The partitioning key, kperf's rule: {@code namespace/resourceKind/name}, or for an unnamed
   * LIST/WATCH with a selector {@code namespace/resourceKind/?labelSelector=<selector>}.
   */
  public String objectKey() {
    if (name.isEmpty() && !labelSelector.isEmpty() && verb.isCollectionRead()) {
      return namespace + '/' + resourceKind + "/?labelSelector=" + labelSelector;
    }
    return namespace + '/' + resourceKind + '/' + name;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ReplayRequest)) {
      return false;
    }
    ReplayRequest r = (ReplayRequest) o;
    return phase == r.phase
        && sequence == r.sequence
        && timestampMs == r.timestampMs
        && verb == r.verb
        && namespace.equals(r.namespace)
        && resourceKind.equals(r.resourceKind)
        && name.equals(r.name)
        && apiPath.equals(r.apiPath)
        && body.equals(r.body)
        && labelSelector.equals(r.labelSelector)
        && kind == r.kind;
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, sequence, timestampMs, verb, namespace, resourceKind, name, apiPath);
  }

  @Override
  public String toString() {
    return "ReplayRequest{phase="
        + phase
        + ", seq="
        + sequence
        + ", t="
        + timestampMs
        + "ms, "
        + verb
        + ' '
        + apiPath
        + ", key="
        + objectKey()
        + '}';
  }
}
