package io.kreplay.transforms.read;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a named phase starts inside one replay profile: {@code --phases=warmup@0,peak@5m} or a
 * {@code phases:} list in the profile's header. A phase runs from its offset to the next one's.
 */
public final class PhaseMark implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  @JsonProperty public final String name;
  @JsonProperty public final long offsetMs;

  @JsonCreator
  public PhaseMark(@JsonProperty("name") String name, @JsonProperty("offsetMs") long offsetMs) {
    this.name = name;
    this.offsetMs = offsetMs;
  }

  /** Parses {@code name@offset,...}; offsets in seconds or as Go durations (90s, 5m, 1h30m, 500ms). */
  public static List<PhaseMark> parseList(String text) {
    List<PhaseMark> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int at = p.lastIndexOf('@');
      if (at <= 0) {
        throw new IllegalArgumentException("'" + p + "' is not name@offset (e.g. warmup@0,peak@5m)");
      }
      out.add(new PhaseMark(p.substring(0, at).trim(), parseOffsetMs(p.substring(at + 1).trim())));
    }
    check(out);
    return out;
  }

  /** Seconds ("90", "1.5") or a Go duration ("90s", "5m", "1h30m", "250ms"). */
  public static long parseOffsetMs(String text) {
    String t = text.trim();
    if (t.matches("\\d+(\\.\\d+)?")) {
      return Math.round(Double.parseDouble(t) * 1000);
    }
    Matcher m = GO_DURATION.matcher(t);
    double ms = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      switch (m.group(2)) {
        case "h":
          ms += v * 3_600_000;
          break;
        case "m":
          ms += v * 60_000;
          break;
        case "s":
          ms += v * 1000;
          break;
        case "ms":
          ms += v;
          break;
        case "us":
        case "µs":
          ms += v / 1000;
          break;
        default:
          ms += v / 1_000_000;
      }
      end = m.end();
    }
    if (t.isEmpty() || end != t.length()) {
      throw new IllegalArgumentException(
          "offset '" + text + "' is neither seconds nor a duration such as 90s, 5m, 1h30m");
    }
    return Math.round(ms);
  }

  /** The rules: a first phase at 0, offsets increasing, names given and distinct. */
  public static void check(List<PhaseMark> marks) {
    if (marks.isEmpty()) {
      throw new IllegalArgumentException("no phase given");
    }
    if (marks.get(0).offsetMs != 0) {
      throw new IllegalArgumentException(
          "the first phase must start at 0 (" + marks.get(0).name + " starts at " + marks.get(0).offsetMs + " ms)");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < marks.size(); i++) {
      PhaseMark m = marks.get(i);
      if (m.name == null || m.name.isEmpty()) {
        throw new IllegalArgumentException("phase " + i + " has no name");
      }
      if (!names.add(m.name)) {
        throw new IllegalArgumentException("phase name '" + m.name + "' is used twice");
      }
      if (i > 0 && m.offsetMs <= marks.get(i - 1).offsetMs) {
        throw new IllegalArgumentException(
            "phase offsets must increase: " + m.name + " at " + m.offsetMs + " ms is not after "
                + marks.get(i - 1).name + " at " + marks.get(i - 1).offsetMs + " ms");
      }
    }
  }

  @Override
  public String toString() {
    return name + "@" + offsetMs + "ms";
  }
}
