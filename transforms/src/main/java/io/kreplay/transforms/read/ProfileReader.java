package io.kreplay.transforms.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.LoaderOptions;
import io.kreplay.transforms.model.ProfileSpec;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

/**
 * Streams one kperf replay profile (v1) and validates it with kperf's rules as it goes.
 *
 * <p>Requests are handed out one at a time by {@link #next()}; the list is never held. Every
 * problem is recorded in {@link ProfileProblems} with its request index, line and field, and
 * reading carries on so the user sees all of them at once; a request with a problem is not
 * handed out. Unknown fields are errors: a typo such as {@code timestmap} must not silently
 * become 0, which is what kperf's YAML decoder would do.
 */
public final class ProfileReader implements RequestStream {
  static final List<String> TOP_FIELDS = Arrays.asList("version", "description", "spec", "phases", "requests");
  static final List<String> SPEC_FIELDS =
      Arrays.asList("runnerCount", "connsPerRunner", "clientsPerRunner", "contentType", "disableHTTP2");
  static final List<String> REQUEST_FIELDS =
      Arrays.asList(
          "timestamp", "verb", "namespace", "resourceKind", "name", "apiPath", "body", "labelSelector");

  /**
   * SnakeYAML 2.x refuses documents over 3 MiB of code points by default, i.e. any profile past
   * ~25k requests. Profiles are streamed and bounded by --maxDecompressedBytes instead; the
   * largest int limit never trips (SnakeYAML compares an int index against it).
   */
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .loaderOptions(unlimitedDocumentSize())
              .build());

  private static LoaderOptions unlimitedDocumentSize() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    return options;
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parser of profile YAML (no document size limit; see {@link #YAML}). */
  static JsonParser yamlParser(InputStream in) throws IOException {
    return YAML.getFactory().createParser(in);
  }

  private enum State {
    HEADER,
    REQUESTS,
    DONE
  }

  private final String source;
  private final int phase;
  private final ProfileProblems problems;
  private final JsonParser parser;
  private final InputStream in;
  private final ProfileHeader header = new ProfileHeader();

  private State state = State.HEADER;
  private boolean requestsFieldSeen;
  private long entries;
  private long accepted;
  private long lastTimestamp = -1;
  /** Index of the request being parsed, -1 between requests: where a broken stream is reported. */
  private long current = -1;
  /** --phases, which wins over the header's phases:; null when not given. */
  private List<PhaseMark> splits;
  /** The phase marks in force, settled at the first request; null for one phase. */
  private List<PhaseMark> marks;
  private boolean marksSettled;

  private ProfileReader(ProfileSource source, InputStream in, ProfileProblems problems) {
    this.source = source.displayName();
    this.phase = source.phase;
    this.problems = problems;
    this.in = in;
    JsonParser p = null;
    if (in != null) {
      try {
        p = YAML.getFactory().createParser(in);
      } catch (IOException e) {
        fail(e);
      }
    }
    this.parser = p;
    if (p == null) {
      state = State.DONE;
    }
  }

  /**
   * Opens {@code source} for reading. Failures to open (no such file, HTTP 404, unreachable
   * host) are recorded as problems and give a reader that has nothing to read.
   */
  public static ProfileReader open(ProfileSource source, ReadLimits limits, ProfileProblems problems) {
    InputStream in = null;
    try {
      in = ProfileInput.open(source, limits);
    } catch (IOException e) {
      problems.add(source.displayName() + ": " + readErrorMessage(e, source.displayName()));
    }
    return new ProfileReader(source, in, problems);
  }

  /** Reads a profile from a stream that is already open (tests, generated profiles). */
  public static ProfileReader of(ProfileSource source, InputStream in, ProfileProblems problems) {
    return new ProfileReader(source, in, problems);
  }

  /** Splits the profile into these named time ranges (--phases); null: the header's, if any. */
  public ProfileReader splitInto(List<PhaseMark> phases) {
    this.splits = phases;
    return this;
  }

  @Override
  public String description() {
    return header().description;
  }

  @Override
  public int phaseCount() {
    List<PhaseMark> m = settleMarks();
    return m == null ? 1 : m.size();
  }

  /**
   * The phases of this profile: one named after the profile, or one per mark, each lasting to
   * the next mark (the last to the profile's last timestamp).
   */
  @Override
  public List<PhaseInfo> phases() {
    List<PhaseInfo> out = new java.util.ArrayList<>();
    List<PhaseMark> m = settleMarks();
    if (m == null) {
      out.add(new PhaseInfo(phase, PhaseNames.of(source), durationMs(), header.spec, null));
      return out;
    }
    for (int i = 0; i < m.size(); i++) {
      long end = i + 1 < m.size() ? m.get(i + 1).offsetMs : Math.max(m.get(i).offsetMs, durationMs());
      out.add(new PhaseInfo(phase + i, m.get(i).name, end - m.get(i).offsetMs, header.spec, null));
    }
    return out;
  }

  private List<PhaseMark> settleMarks() {
    if (!marksSettled) {
      header();
      marksSettled = true;
      marks = splits != null ? splits : header.phases;
    }
    return marks;
  }

  /**
   * The fields that come before {@code requests} (kperf's profiles put version and spec first).
   * Fields after the requests are only known once {@link #next()} has returned null.
   */
  public ProfileHeader header() {
    if (state == State.HEADER) {
      readTopLevel();
    }
    return header;
  }

  /** The next valid request, or null when the profile has been read to its end. */
  public ReplayRequest next() {
    if (state == State.HEADER) {
      readTopLevel();
    }
    while (state == State.REQUESTS) {
      try {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY || t == null) {
          state = State.HEADER;
          readTopLevel();
          break;
        }
        current = entries++;
        ReplayRequest r = readRequest(t, current);
        current = -1;
        if (r != null) {
          accepted++;
          return r;
        }
      } catch (IOException e) {
        fail(e);
      }
    }
    return null;
  }

  /** Request entries seen so far, valid or not. */
  public long entries() {
    return entries;
  }

  /** Requests handed out so far. */
  public long accepted() {
    return accepted;
  }

  /** The largest timestamp seen: kperf's profile duration. */
  public long durationMs() {
    return Math.max(0, lastTimestamp);
  }

  @Override
  public void close() throws IOException {
    if (parser != null) {
      parser.close();
    }
    if (in != null) {
      in.close();
    }
  }

  // ---------------------------------------------------------------- top level

  private void readTopLevel() {
    try {
      if (parser.currentToken() == null) {
        JsonToken first = parser.nextToken();
        if (first == null) {
          problems.add(source, "profile", 0, null, "empty document (expected version, spec and requests)");
          state = State.DONE;
          return;
        }
        if (first != JsonToken.START_OBJECT) {
          problems.add(source, "profile", line(), null, "expected a mapping with version, spec and requests");
          state = State.DONE;
          return;
        }
      }
      JsonToken t;
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        int fieldLine = line();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "version":
            if (value == JsonToken.VALUE_NUMBER_INT) {
              header.version = parser.getIntValue();
              if (header.version != 1) {
                problems.add(source, "profile", fieldLine, "version", "must be 1, got " + header.version);
              }
            } else {
              header.version = -1;
              problems.add(source, "profile", fieldLine, "version", "must be the integer 1, got " + describe(value));
              parser.skipChildren();
            }
            break;
          case "description":
            String d = scalar(value, "profile", "description");
            header.description = d == null ? "" : d;
            break;
          case "spec":
            header.spec = readSpec(value, fieldLine);
            break;
          case "phases":
            header.phases = readPhases(value, fieldLine);
            break;
          case "requests":
            requestsFieldSeen = true;
            if (value == JsonToken.START_ARRAY) {
              state = State.REQUESTS;
              return;
            } else if (value != JsonToken.VALUE_NULL) {
              problems.add(source, "profile", fieldLine, "requests", "must be a list, got " + describe(value));
              parser.skipChildren();
            }
            break;
          default:
            problems.add(source, "profile", fieldLine, field, unknownField(field, TOP_FIELDS));
            parser.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        problems.add(source, "profile", line(), null, "unexpected " + describe(t));
      }
      finish();
    } catch (IOException e) {
      fail(e);
    }
  }

  /** The rules that can only be checked once the whole profile has been seen. */
  private void finish() {
    state = State.DONE;
    if (header.version == null) {
      problems.add(source, "profile", 0, "version", "missing (must be 1)");
    }
    if (header.spec == null) {
      problems.add(source, "profile", 0, "spec", "missing (runnerCount, connsPerRunner, contentType, ...)");
    }
    if (!requestsFieldSeen) {
      problems.add(source, "profile", 0, "requests", "missing");
    } else if (entries == 0) {
      problems.add(source, "profile", 0, "requests", "must not be empty");
    }
  }

  private ProfileSpec readSpec(JsonToken value, int specLine) throws IOException {
    ProfileSpec spec = new ProfileSpec();
    spec.contentType = null;
    if (value != JsonToken.START_OBJECT) {
      problems.add(source, "profile", specLine, "spec", "must be a mapping, got " + describe(value));
      parser.skipChildren();
      return spec;
    }
    int runnerCountLine = specLine;
    int connsLine = specLine;
    int clientsLine = specLine;
    int contentTypeLine = specLine;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      int fieldLine = line();
      JsonToken v = parser.nextToken();
      switch (field) {
        case "runnerCount":
          spec.runnerCount = integer(v, "spec", field, 0);
          runnerCountLine = fieldLine;
          break;
        case "connsPerRunner":
          spec.connsPerRunner = integer(v, "spec", field, 0);
          connsLine = fieldLine;
          break;
        case "clientsPerRunner":
          spec.clientsPerRunner = integer(v, "spec", field, 0);
          clientsLine = fieldLine;
          break;
        case "contentType":
          spec.contentType = scalar(v, "spec", field);
          contentTypeLine = fieldLine;
          break;
        case "disableHTTP2":
          if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            spec.disableHTTP2 = v == JsonToken.VALUE_TRUE;
          } else {
            problems.add(source, "spec", fieldLine, field, "must be true or false, got " + describe(v));
            parser.skipChildren();
          }
          break;
        default:
          problems.add(source, "spec", fieldLine, field, unknownField(field, SPEC_FIELDS));
          parser.skipChildren();
      }
    }
    if (spec.runnerCount <= 0) {
      problems.add(source, "spec", runnerCountLine, "runnerCount", "must be > 0, got " + spec.runnerCount);
    }
    if (spec.connsPerRunner <= 0) {
      problems.add(source, "spec", connsLine, "connsPerRunner", "must be > 0, got " + spec.connsPerRunner);
    }
    if (spec.clientsPerRunner < 0) {
      problems.add(
          source, "spec", clientsLine, "clientsPerRunner", "must be >= 0 (0 means connsPerRunner), got " + spec.clientsPerRunner);
    }
    if (!"json".equals(spec.contentType) && !"protobuf".equals(spec.contentType)) {
      problems.add(
          source,
          "spec",
          contentTypeLine,
          "contentType",
          spec.contentType == null ? "missing (json or protobuf)" : "must be json or protobuf, got '" + spec.contentType + "'");
    }
    return spec;
  }

  /** {@code phases:} as a list of {name, offset} mappings or of "name@offset" strings. */
  private List<PhaseMark> readPhases(JsonToken value, int fieldLine) throws IOException {
    if (value != JsonToken.START_ARRAY) {
      problems.add(source, "profile", fieldLine, "phases", "must be a list of {name, offset}, got " + describe(value));
      parser.skipChildren();
      return null;
    }
    JsonNode list = YAML.readTree(parser);
    List<PhaseMark> marks = new java.util.ArrayList<>();
    try {
      for (JsonNode n : list) {
        if (n.isTextual()) {
          marks.addAll(PhaseMark.parseList(n.asText()));
        } else if (n.isObject() && n.has("name") && n.has("offset")) {
          marks.add(new PhaseMark(n.get("name").asText(), PhaseMark.parseOffsetMs(n.get("offset").asText())));
        } else {
          throw new IllegalArgumentException("each phase is {name, offset} (offset in seconds or e.g. 5m)");
        }
      }
      PhaseMark.check(marks);
      return marks;
    } catch (IllegalArgumentException e) {
      problems.add(source, "profile", fieldLine, "phases", e.getMessage());
      return null;
    }
  }

  // ---------------------------------------------------------------- requests

  private ReplayRequest readRequest(JsonToken start, long index) throws IOException {
    String where = "requests[" + index + "]";
    int startLine = line();
    if (start != JsonToken.START_OBJECT) {
      problems.add(source, where, startLine, null, "must be a mapping with timestamp, verb, resourceKind, apiPath, ...");
      parser.skipChildren();
      return null;
    }
    long before = problems.total;
    long timestamp = Long.MIN_VALUE;
    int timestampLine = startLine;
    String verbText = null;
    int verbLine = startLine;
    String namespace = "";
    String kind = "";
    String name = "";
    String apiPath = "";
    String body = "";
    String selector = "";
    int seen = 0;
    // Fields already reported (misspelt, or of the wrong type): not also reported missing.
    int reported = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      int bit = REQUEST_FIELDS.indexOf(field);
      long problemsBefore = problems.total;
      JsonToken v = parser.nextToken();
      if (bit >= 0 && (seen & (1 << bit)) != 0) {
        problems.add(source, where, line(), field, "appears twice");
      }
      if (bit >= 0) {
        seen |= 1 << bit;
      }
      switch (field) {
        case "timestamp":
          timestampLine = line();
          if (v == JsonToken.VALUE_NUMBER_INT) {
            timestamp = parser.getLongValue();
          } else {
            problems.add(source, where, timestampLine, field, "must be an integer (milliseconds from start), got " + describe(v));
            parser.skipChildren();
          }
          break;
        case "verb":
          verbLine = line();
          verbText = scalar(v, where, field);
          break;
        case "namespace":
          namespace = orEmpty(scalar(v, where, field));
          break;
        case "resourceKind":
          kind = orEmpty(scalar(v, where, field));
          break;
        case "name":
          name = orEmpty(scalar(v, where, field));
          break;
        case "apiPath":
          apiPath = orEmpty(scalar(v, where, field));
          break;
        case "body":
          body = orEmpty(bodyText(v, where));
          break;
        case "labelSelector":
          selector = orEmpty(scalar(v, where, field));
          break;
        default:
          problems.add(source, where, line(), field, unknownField(field, REQUEST_FIELDS));
          parser.skipChildren();
          int meant = REQUEST_FIELDS.indexOf(closest(field, REQUEST_FIELDS));
          if (meant >= 0) {
            reported |= 1 << meant;
          }
      }
      if (bit >= 0 && problems.total != problemsBefore) {
        reported |= 1 << bit;
      }
    }

    // kperf's rules, in kperf's order, but all of them rather than the first.
    if (timestamp == Long.MIN_VALUE) {
      if (!has(seen | reported, "timestamp")) {
        problems.add(source, where, startLine, "timestamp", "missing");
      }
    } else if (timestamp < 0) {
      problems.add(source, where, timestampLine, "timestamp", "must be >= 0, got " + timestamp);
    } else {
      if (timestamp < lastTimestamp) {
        problems.add(
            source,
            where,
            timestampLine,
            "timestamp",
            timestamp + " is before the previous request's " + lastTimestamp + " (requests must be sorted by timestamp)");
      }
      lastTimestamp = Math.max(lastTimestamp, timestamp);
    }
    Verb verb = null;
    if (has(reported, "verb")) {
      // already reported
    } else if (verbText == null || verbText.isEmpty()) {
      problems.add(source, where, verbLine, "verb", "missing (one of " + Arrays.toString(Verb.values()) + ")");
    } else {
      verb = Verb.parse(verbText);
      if (verb == null) {
        Verb hint = Verb.caseInsensitiveMatch(verbText);
        problems.add(
            source,
            where,
            verbLine,
            "verb",
            "unsupported verb '" + verbText + "'" + (hint != null ? " (did you mean " + hint + "?)" : " (one of " + Arrays.toString(Verb.values()) + ")"));
      }
    }
    if (kind.isEmpty() && !has(reported, "resourceKind")) {
      problems.add(source, where, startLine, "resourceKind", "required");
    }
    if (apiPath.isEmpty() && !has(reported, "apiPath")) {
      problems.add(source, where, startLine, "apiPath", "required");
    }
    if (verb != null && verb.requiresName() && name.isEmpty() && !has(reported, "name")) {
      problems.add(source, where, startLine, "name", "required for " + verb);
    }
    if (verb != null && verb.requiresBody() && body.isEmpty() && !has(reported, "body")) {
      problems.add(source, where, startLine, "body", "required for " + verb);
    }
    if (problems.total != before) {
      return null;
    }
    int p = phase;
    long t = timestamp;
    List<PhaseMark> m = settleMarks();
    if (m != null) {
      int i = m.size() - 1;
      while (i > 0 && timestamp < m.get(i).offsetMs) {
        i--;
      }
      p += i;
      t -= m.get(i).offsetMs;
    }
    return new ReplayRequest(p, index, t, verb, namespace, kind, name, apiPath, body, selector);
  }

  /** kperf's body is a string of JSON; a YAML mapping is accepted too and sent as JSON. */
  private String bodyText(JsonToken v, String where) throws IOException {
    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
      JsonNode node = YAML.readTree(parser);
      return JSON.writeValueAsString(node);
    }
    return scalar(v, where, "body");
  }

  // ---------------------------------------------------------------- helpers

  private String scalar(JsonToken v, String where, String field) throws IOException {
    if (v == JsonToken.VALUE_NULL) {
      return "";
    }
    if (v != null && v.isScalarValue()) {
      return parser.getText();
    }
    problems.add(source, where, line(), field, "must be a string, got " + describe(v));
    parser.skipChildren();
    return null;
  }

  private int integer(JsonToken v, String where, String field, int fallback) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return parser.getIntValue();
    }
    problems.add(source, where, line(), field, "must be an integer, got " + describe(v));
    parser.skipChildren();
    return fallback;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private String describe(JsonToken t) throws IOException {
    if (t == null) {
      return "end of document";
    }
    switch (t) {
      case START_OBJECT:
        return "a mapping";
      case START_ARRAY:
        return "a list";
      case VALUE_NULL:
        return "nothing";
      case VALUE_STRING:
        return "'" + parser.getText() + "'";
      default:
        return t.isScalarValue() ? parser.getText() : t.toString();
    }
  }

  private int line() {
    JsonLocation loc = parser.currentTokenLocation();
    return loc == null ? 0 : loc.getLineNr();
  }

  private static boolean has(int mask, String field) {
    return (mask & (1 << REQUEST_FIELDS.indexOf(field))) != 0;
  }

  static String unknownField(String field, List<String> known) {
    String best = closest(field, known);
    if (best != null) {
      return "unknown field (did you mean '" + best + "'?)";
    }
    return "unknown field (known: " + String.join(", ", known) + ")";
  }

  /** The known field a misspelling most likely meant, or null when none is close. */
  static String closest(String field, List<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(field.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Records why reading stopped and stops: nothing after a broken stream can be trusted. */
  private void fail(IOException e) {
    int at = 0;
    if (e instanceof JsonProcessingException && ((JsonProcessingException) e).getLocation() != null) {
      at = ((JsonProcessingException) e).getLocation().getLineNr();
    }
    String where = current >= 0 ? "requests[" + current + "]" : state == State.REQUESTS ? "requests" : "profile";
    problems.add(source, where, at, null, readErrorMessage(e, source));
    state = State.DONE;
  }

  /** The message the user should see for a failed read, whatever layer wrapped it. */
  static String readErrorMessage(Throwable e, String source) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ProfileReadException) {
        String m = c.getMessage();
        return m.startsWith(source + ": ") ? m.substring(source.length() + 2) : m;
      }
      if (c instanceof SocketTimeoutException) {
        return "read timed out (--urlReadTimeoutSeconds)";
      }
      if (c instanceof EOFException) {
        return "unexpected end of input (" + c.getMessage() + ")";
      }
    }
    if (e instanceof JsonProcessingException) {
      String m = ((JsonProcessingException) e).getOriginalMessage();
      return "malformed YAML: " + (m == null ? e.toString() : tidyYamlMessage(m));
    }
    return "read failed: " + e;
  }

  /** SnakeYAML draws a caret diagram over several lines; the line number is shown already. */
  static String tidyYamlMessage(String m) {
    return m.replaceAll("\\s*in '[^']*', line \\d+, column \\d+:\\s*(\\S.*?\\n)?\\s*\\^", ";")
        .replaceAll("\\s+", " ")
        .replaceAll("^;\\s*|\\s*;\\s*$", "")
        .trim();
  }
}
