package io.kreplay.transforms.read;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Every problem found in one or more profiles, each as one line
 * {@code source: requests[i] (line L): field: what is wrong}. The first {@link #SHOWN} are kept
 * verbatim; the rest are only counted, so a profile with a million bad lines stays cheap.
 */
public final class ProfileProblems implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int SHOWN = 100;

  @JsonProperty public final List<String> shown = new ArrayList<>();
  @JsonProperty public long total;

  /** Records a problem at {@code where} ("requests[3]", "spec", "profile") in {@code source}. */
  public void add(String source, String where, int line, String field, String message) {
    StringBuilder sb = new StringBuilder(source).append(": ").append(where);
    if (line > 0) {
      sb.append(" (line ").append(line).append(')');
    }
    sb.append(": ");
    if (field != null && !field.isEmpty()) {
      sb.append(field).append(": ");
    }
    add(sb.append(message).toString());
  }

  public void add(String formatted) {
    total++;
    if (shown.size() < SHOWN) {
      shown.add(formatted);
    }
  }

  public void addAll(ProfileProblems other) {
    for (String s : other.shown) {
      add(s);
    }
    total += other.total - other.shown.size();
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return total == 0;
  }

  /** The problems as the user sees them: the shown lines, then how many more there were. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (String s : shown) {
      sb.append(s).append('\n');
    }
    if (total > shown.size()) {
      sb.append("... and ").append(total - shown.size()).append(" more problems\n");
    }
    sb.append(total).append(total == 1 ? " problem" : " problems").append(" found; nothing was sent.");
    return sb.toString();
  }
}
