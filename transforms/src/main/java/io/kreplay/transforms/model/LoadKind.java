package io.kreplay.transforms.model;

/**
 * What a request generated from a kperf <em>load</em> profile is, beyond its {@link Verb}: the
 * things a replay-profile request never needs (PUT, the patch type, a pod log). {@link #NONE}
 * for every request read from a replay profile, which keeps their handling exactly as it was.
 *
 * <p>{@link #reportMethod()} is kperf's method label for the kind (its {@code request/random.go}),
 * so per-URL keys in reports read as kperf's do.
 */
public enum LoadKind {
  NONE(null, null),
  STALE_LIST(Verb.LIST, "LIST"),
  QUORUM_LIST(Verb.LIST, "LIST"),
  WATCH_LIST(Verb.WATCH, "WATCHLIST"),
  STALE_GET(Verb.GET, "GET"),
  QUORUM_GET(Verb.GET, "GET"),
  /** kperf's {@code put}: replaces a generated ConfigMap-like object. */
  PUT(Verb.PATCH, "PUT"),
  PATCH_JSON(Verb.PATCH, "PATCH"),
  PATCH_MERGE(Verb.PATCH, "PATCH"),
  PATCH_STRATEGIC(Verb.PATCH, "PATCH"),
  POD_LOG(Verb.GET, "POD_LOG"),
  /** postDel's create. */
  POST(Verb.CREATE, "POST"),
  /** postDel's delete of an object created earlier. */
  DELETE(Verb.DELETE, "DELETE");

  private final Verb verb;
  private final String reportMethod;

  LoadKind(Verb verb, String reportMethod) {
    this.verb = verb;
    this.reportMethod = reportMethod;
  }

  /** The replay verb closest to this kind: its partitioning and ordering rules apply. */
  public Verb verb() {
    return verb;
  }

  /** kperf's method label: LIST, WATCHLIST, GET, PUT, PATCH, POD_LOG, POST or DELETE. */
  public String reportMethod() {
    return reportMethod;
  }
}
