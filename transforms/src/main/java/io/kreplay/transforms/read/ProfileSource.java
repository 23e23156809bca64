package io.kreplay.transforms.read;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.net.URI;

/**
 * One profile to read: where it is and which phase it becomes. Several sources replay back to
 * back, in the order given, so {@code phase} is that order.
 */
public final class ProfileSource implements Serializable {
  private static final long serialVersionUID = 1L;

  @JsonProperty public final int phase;
  /** An http(s) URL, or a Beam filesystem resource (a local path or {@code scheme://...}). */
  @JsonProperty public final String location;

  @JsonCreator
  public ProfileSource(@JsonProperty("phase") int phase, @JsonProperty("location") String location) {
    this.phase = phase;
    this.location = location;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isUrl() {
    return isUrl(location);
  }

  static boolean isUrl(String location) {
    String lower = location.toLowerCase(java.util.Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /**
   * The name used in messages, manifests and reports. Query strings and user info of URLs often
   * carry credentials (signed URLs, tokens), so they are never shown.
   */
  public String displayName() {
    return redact(location);
  }

  static String redact(String location) {
    if (!isUrl(location)) {
      return location;
    }
    try {
      URI u = URI.create(location);
      String shown = u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
      shown += u.getRawPath() == null ? "" : u.getRawPath();
      return u.getRawQuery() == null ? shown : shown + "?<redacted>";
    } catch (IllegalArgumentException e) {
      return "<unparseable URL>";
    }
  }

  @Override
  public String toString() {
    return "phase " + phase + ": " + displayName();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileSource
        && ((ProfileSource) o).phase == phase
        && ((ProfileSource) o).location.equals(location);
  }

  @Override
  public int hashCode() {
    return location.hashCode() * 31 + phase;
  }
}
