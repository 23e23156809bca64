package io.kreplay.transforms.model;

import java.util.Locale;

/** The request verbs of kperf's replay profile, with the rules that depend only on the verb. */
public enum Verb {
  CREATE,
  GET,
  LIST,
  APPLY,
  PATCH,
  DELETE,
  DELETECOLLECTION,
  WATCH;

  /** GET, DELETE, PATCH and APPLY address one object, so they need its name (kperf's rule). */
  public boolean requiresName() {
    return this == GET || this == DELETE || this == PATCH || this == APPLY;
  }

  /** CREATE, APPLY and PATCH send a body (kperf's rule). */
  public boolean requiresBody() {
    return this == CREATE || this == APPLY || this == PATCH;
  }

  /** LIST and WATCH without a name are keyed by their label selector. */
  public boolean isCollectionRead() {
    return this == LIST || this == WATCH;
  }

  /** Parses a verb exactly as kperf does (upper case only); null when it is not one. */
  public static Verb parse(String text) {
    for (Verb v : values()) {
      if (v.name().equals(text)) {
        return v;
      }
    }
    return null;
  }

  /** A hint for near misses such as "get" or "Delete"; null when there is none. */
  public static Verb caseInsensitiveMatch(String text) {
    return text == null ? null : parse(text.toUpperCase(Locale.ROOT));
  }
}
