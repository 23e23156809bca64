package io.kreplay.transforms.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a kperf load profile (v1) and checks it with kperf's rules ({@code LoadProfile.Validate}
 * and the kinds' {@code Validate} in kperf's {@code api/types/load_traffic.go}), reporting every
 * problem as {@code source: specs[i].requests[j] (line L): field: what is wrong}, like replay
 * profiles. A load profile is a few dozen lines, so it is read whole; what it describes (the
 * requests) is expanded later, streamed.
 *
 * <p>Differences from kperf, each because kperf's behaviour cannot be replayed as arrivals or
 * would fail later: {@code rate: 0} ("unlimited" in kperf) is rejected with a suggestion;
 * unknown fields are errors (kperf ignores them); shares must add up to more than 0 and a
 * request entry must hold exactly one kind (kperf panics, or silently takes the first);
 * {@code patch.keySpaceSize} must be &gt; 0 (kperf draws a random suffix below it).
 * The older single {@code spec:} is one phase. Each spec may have a {@code name} (ours; kperf
 * ignores it) that names its phase.
 */
final class LoadProfileReader {
  static final List<String> TOP_FIELDS = Arrays.asList("version", "description", "specs", "spec");
  static final List<String> SPEC_FIELDS =
      Arrays.asList(
          "name", "rate", "total", "duration", "conns", "client", "contentType", "disableHTTP2", "maxRetries",
          "requests");
  static final List<String> KINDS =
      Arrays.asList(
          LoadRequest.STALE_LIST,
          LoadRequest.QUORUM_LIST,
          LoadRequest.WATCH_LIST,
          LoadRequest.STALE_GET,
          LoadRequest.QUORUM_GET,
          LoadRequest.PUT,
          LoadRequest.PATCH,
          LoadRequest.GET_POD_LOG,
          LoadRequest.POST_DEL);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final JsonParser parser;
  private final ProfileProblems problems;
  private final LoadProfile profile = new LoadProfile();
  private Integer version;

  private LoadProfileReader(String source, JsonParser parser, ProfileProblems problems) {
    this.source = source;
    this.parser = parser;
    this.problems = problems;
  }

  /** Reads the whole profile from {@code parser} (at its start); problems go to {@code problems}. */
  static LoadProfile read(String source, JsonParser parser, ProfileProblems problems) throws IOException {
    LoadProfileReader r = new LoadProfileReader(source, parser, problems);
    r.readTop();
    return r.profile;
  }

  private void readTop() throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      problems.add(source, "profile", line(), null, "expected a mapping with version and specs");
      return;
    }
    boolean specsSeen = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      int fieldLine = line();
      JsonToken v = parser.nextToken();
      switch (field) {
        case "version":
          if (v == JsonToken.VALUE_NUMBER_INT) {
            version = parser.getIntValue();
            if (version != 1) {
              problems.add(source, "profile", fieldLine, "version", "must be 1, got " + version);
            }
          } else {
            version = -1;
            problems.add(source, "profile", fieldLine, "version", "must be the integer 1");
            parser.skipChildren();
          }
          break;
        case "description":
          profile.description = v.isScalarValue() ? parser.getText() : "";
          parser.skipChildren();
          break;
        case "specs":
          if (specsSeen) {
            problems.add(source, "profile", fieldLine, field, "give either specs or spec, not both");
          }
          specsSeen = true;
          if (v != JsonToken.START_ARRAY) {
            problems.add(source, "profile", fieldLine, field, "must be a list of specs");
            parser.skipChildren();
            break;
          }
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            readSpec(profile.specs.size());
          }
          break;
        case "spec":
          // kperf's older single-spec form: one phase.
          if (specsSeen) {
            problems.add(source, "profile", fieldLine, field, "give either specs or spec, not both");
          }
          specsSeen = true;
          readSpec(profile.specs.size());
          break;
        default:
          problems.add(source, "profile", fieldLine, field, ProfileReader.unknownField(field, TOP_FIELDS));
          parser.skipChildren();
      }
    }
    if (version == null) {
      problems.add(source, "profile", 0, "version", "missing (must be 1)");
    }
    if (profile.specs.isEmpty()) {
      problems.add(source, "profile", 0, "specs", "must be provided (a list of specs, one per phase)");
    }
  }

  private void readSpec(int index) throws IOException {
    String where = "specs[" + index + "]";
    LoadProfile.Spec spec = new LoadProfile.Spec();
    spec.line = line();
    profile.specs.add(spec);
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      problems.add(source, where, spec.line, null, "must be a mapping with rate, duration or total, conns, client, requests");
      parser.skipChildren();
      return;
    }
    spec.settings.contentType = null;
    boolean rateSeen = false;
    int rateLine = spec.line;
    int connsLine = spec.line;
    int clientLine = spec.line;
    int contentTypeLine = spec.line;
    int requestsLine = spec.line;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      int fieldLine = line();
      JsonToken v = parser.nextToken();
      switch (field) {
        case "name":
          spec.name = v.isScalarValue() ? parser.getText() : null;
          if (spec.name == null || spec.name.trim().isEmpty()) {
            problems.add(source, where, fieldLine, field, "must be a non-empty string");
            parser.skipChildren();
          }
          break;
        case "rate":
          rateSeen = true;
          rateLine = fieldLine;
          if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            spec.settings.rate = parser.getDoubleValue();
          } else {
            problems.add(source, where, fieldLine, field, "must be a number (requests per second)");
            parser.skipChildren();
          }
          break;
        case "total":
          spec.settings.total = integer(v, where, field);
          break;
        case "duration":
          spec.settings.duration = integer(v, where, field);
          break;
        case "conns":
          connsLine = fieldLine;
          spec.settings.conns = (int) integer(v, where, field);
          break;
        case "client":
          clientLine = fieldLine;
          spec.settings.client = (int) integer(v, where, field);
          break;
        case "maxRetries":
          spec.settings.maxRetries = (int) integer(v, where, field);
          break;
        case "contentType":
          contentTypeLine = fieldLine;
          spec.settings.contentType = v.isScalarValue() ? parser.getText() : null;
          parser.skipChildren();
          break;
        case "disableHTTP2":
          if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            spec.settings.disableHTTP2 = v == JsonToken.VALUE_TRUE;
          } else {
            problems.add(source, where, fieldLine, field, "must be true or false");
            parser.skipChildren();
          }
          break;
        case "requests":
          requestsLine = fieldLine;
          if (v != JsonToken.START_ARRAY) {
            problems.add(source, where, fieldLine, field, "must be a list of weighted requests");
            parser.skipChildren();
            break;
          }
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            readRequest(spec, where + ".requests[" + spec.requests.size() + "]");
          }
          break;
        default:
          problems.add(source, where, fieldLine, field, ProfileReader.unknownField(field, SPEC_FIELDS));
          parser.skipChildren();
      }
    }
    // kperf's LoadProfileSpec.Validate, all rules rather than the first.
    LoadSpecRules.check(spec, where, source, problems, rateSeen, rateLine, connsLine, clientLine, contentTypeLine, requestsLine);
  }

  private void readRequest(LoadProfile.Spec spec, String where) throws IOException {
    int start = line();
    LoadRequest r = new LoadRequest();
    r.line = start;
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      problems.add(source, where, start, null, "must be a mapping with shares and one of " + KINDS);
      parser.skipChildren();
      return;
    }
    JsonNode entry = JSON.readTree(parser);
    spec.requests.add(r);
    Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
    boolean unknownKey = false;
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      if (key.equals("shares")) {
        if (f.getValue().isIntegralNumber()) {
          r.shares = f.getValue().asInt();
        } else {
          problems.add(source, where, start, "shares", "must be an integer");
        }
      } else if (KINDS.contains(key)) {
        if (r.kind != null) {
          problems.add(source, where, start, key, "one kind per request, but " + r.kind + " is given too");
          continue;
        }
        r.kind = key;
        if (!f.getValue().isObject()) {
          problems.add(source, where, start, key, "must be a mapping of the request's fields");
          continue;
        }
        readKind(r, (ObjectNode) f.getValue(), where);
      } else {
        List<String> known = new java.util.ArrayList<>(KINDS);
        known.add(0, "shares");
        problems.add(source, where, start, key, ProfileReader.unknownField(key, known));
        unknownKey = true;
      }
    }
    if (r.kind == null && unknownKey) {
      return; // most likely a misspelt kind, already reported
    }
    LoadSpecRules.checkRequest(r, where, source, problems);
  }

  private void readKind(LoadRequest r, ObjectNode node, String where) {
    List<String> allowed = LoadSpecRules.fieldsOf(r.kind);
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      String field = r.kind + "." + key;
      JsonNode v = f.getValue();
      if (!allowed.contains(key)) {
        problems.add(source, where, r.line, field, ProfileReader.unknownField(key, allowed));
        continue;
      }
      switch (key) {
        case "limit":
        case "keySpaceSize":
        case "valueSize":
        case "tailLines":
        case "limitBytes":
          if (!v.isIntegralNumber()) {
            problems.add(source, where, r.line, field, "must be an integer");
            continue;
          }
          long n = v.asLong();
          if (key.equals("limit")) {
            r.limit = n;
          } else if (key.equals("keySpaceSize")) {
            r.keySpaceSize = n;
          } else if (key.equals("valueSize")) {
            r.valueSize = n;
          } else if (key.equals("tailLines")) {
            r.tailLines = n;
          } else {
            r.limitBytes = n;
          }
          break;
        case "deleteRatio":
          if (!v.isNumber()) {
            problems.add(source, where, r.line, field, "must be a number between 0 and 0.5");
            continue;
          }
          r.deleteRatio = v.asDouble();
          break;
        case "body":
          // kperf's body is a string of JSON; a YAML mapping or list is taken as that JSON.
          r.body = v.isContainerNode() ? v.toString() : v.asText();
          break;
        default:
          if (!v.isValueNode() || v.isNull()) {
            if (!v.isNull()) {
              problems.add(source, where, r.line, field, "must be a string");
            }
            continue;
          }
          String text = v.asText();
          switch (key) {
            case "group":
              r.group = text;
              break;
            case "version":
              r.version = text;
              break;
            case "resource":
              r.resource = text;
              break;
            case "namespace":
              r.namespace = text;
              break;
            case "name":
              r.name = text;
              break;
            case "selector":
              r.selector = text;
              break;
            case "fieldSelector":
              r.fieldSelector = text;
              break;
            case "patchType":
              r.patchType = text;
              break;
            case "container":
              r.container = text;
              break;
            default:
              break;
          }
      }
    }
  }

  private long integer(JsonToken v, String where, String field) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) {
      return parser.getLongValue();
    }
    problems.add(source, where, line(), field, "must be an integer");
    parser.skipChildren();
    return 0;
  }

  private int line() {
    JsonLocation loc = parser.currentTokenLocation();
    return loc == null ? 0 : loc.getLineNr();
  }
}
