package io.kreplay.transforms.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kreplay.transforms.model.LoadSpec;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * kperf's validation rules for load profiles (its {@code api/types/load_traffic.go}), as checks
 * that report every problem rather than the first.
 */
final class LoadSpecRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadSpecRules() {}

  /** The fields each kind accepts (kperf's structs; {@code selector} as kperf spells it now). */
  static List<String> fieldsOf(String kind) {
    switch (kind) {
      case LoadRequest.STALE_LIST:
      case LoadRequest.QUORUM_LIST:
        return Arrays.asList("group", "version", "resource", "namespace", "limit", "selector", "fieldSelector");
      case LoadRequest.WATCH_LIST:
        return Arrays.asList("group", "version", "resource", "namespace", "selector", "fieldSelector");
      case LoadRequest.STALE_GET:
      case LoadRequest.QUORUM_GET:
        return Arrays.asList("group", "version", "resource", "namespace", "name");
      case LoadRequest.PUT:
        return Arrays.asList("group", "version", "resource", "namespace", "name", "keySpaceSize", "valueSize");
      case LoadRequest.PATCH:
        return Arrays.asList(
            "group", "version", "resource", "namespace", "name", "keySpaceSize", "patchType", "body");
      case LoadRequest.GET_POD_LOG:
        return Arrays.asList("namespace", "name", "container", "tailLines", "limitBytes");
      case LoadRequest.POST_DEL:
        return Arrays.asList("group", "version", "resource", "namespace", "deleteRatio");
      default:
        return Arrays.asList();
    }
  }

  static void check(
      LoadProfile.Spec spec, String where, String source, ProfileProblems problems, boolean rateSeen, int rateLine,
      int connsLine, int clientLine, int contentTypeLine, int requestsLine) {
    LoadSpec s = spec.settings;
    if (s.conns <= 0) {
      problems.add(source, where, connsLine, "conns", "must be > 0, got " + s.conns);
    }
    if (!rateSeen || s.rate == 0) {
      // kperf reads 0 as "no limit": as fast as the clients go. That is a closed model and has
      // no arrival times to replay.
      problems.add(
          source, where, rateLine, "rate",
          (rateSeen ? "0 means unlimited in kperf (as fast as the clients can go), which has no arrival times to "
              + "replay" : "missing")
              + "; give the requests per second to send, e.g. rate: 100");
    } else if (s.rate < 0 || Double.isNaN(s.rate) || Double.isInfinite(s.rate)) {
      problems.add(source, where, rateLine, "rate", "must be > 0 requests per second, got " + s.rate);
    }
    if (s.total <= 0 && s.duration <= 0) {
      problems.add(
          source, where, spec.line, "duration",
          "give duration > 0 (seconds) or total > 0 (requests), got duration " + s.duration + ", total " + s.total);
    }
    if (s.client <= 0) {
      problems.add(source, where, clientLine, "client", "must be > 0, got " + s.client);
    }
    if (!"json".equals(s.contentType) && !"protobuf".equals(s.contentType)) {
      problems.add(
          source, where, contentTypeLine, "contentType",
          s.contentType == null ? "missing (json or protobuf)" : "must be json or protobuf, got '" + s.contentType + "'");
    }
    long shares = 0;
    for (LoadRequest r : spec.requests) {
      shares += Math.max(0, r.shares);
    }
    if (spec.requests.isEmpty()) {
      problems.add(source, where, requestsLine, "requests", "must list at least one weighted request");
    } else if (shares <= 0) {
      problems.add(source, where, requestsLine, "requests", "shares must add up to more than 0");
    }
  }

  static void checkRequest(LoadRequest r, String where, String source, ProfileProblems problems) {
    if (r.shares < 0) {
      problems.add(source, where, r.line, "shares", "must be >= 0, got " + r.shares);
    }
    if (r.kind == null) {
      problems.add(source, where, r.line, null, "empty request: give one of " + LoadProfileReader.KINDS);
      return;
    }
    String k = r.kind + ".";
    if (!r.kind.equals(LoadRequest.GET_POD_LOG)) {
      if (r.version.isEmpty()) {
        problems.add(source, where, r.line, k + "version", "required (kube metadata)");
      }
      if (r.resource.isEmpty()) {
        problems.add(source, where, r.line, k + "resource", "required (kube metadata)");
      }
    }
    switch (r.kind) {
      case LoadRequest.STALE_LIST:
      case LoadRequest.QUORUM_LIST:
        if (r.limit < 0) {
          problems.add(source, where, r.line, k + "limit", "must be >= 0, got " + r.limit);
        } else if (r.kind.equals(LoadRequest.STALE_LIST) && r.limit != 0) {
          problems.add(
              source, where, r.line, k + "limit",
              "a stale list (resourceVersion=0) does not support pagination "
                  + "(https://github.com/kubernetes/kubernetes/issues/108003); use quorumList for pages");
        }
        break;
      case LoadRequest.STALE_GET:
      case LoadRequest.QUORUM_GET:
        requireName(r, where, source, problems, k);
        break;
      case LoadRequest.PUT:
        if (r.name.isEmpty()) {
          problems.add(source, where, r.line, k + "name", "name pattern is required");
        }
        if (r.keySpaceSize <= 0) {
          problems.add(source, where, r.line, k + "keySpaceSize", "must be > 0, got " + r.keySpaceSize);
        }
        if (r.valueSize <= 0) {
          problems.add(source, where, r.line, k + "valueSize", "must be > 0, got " + r.valueSize);
        }
        break;
      case LoadRequest.PATCH:
        requireName(r, where, source, problems, k);
        if (r.keySpaceSize <= 0) {
          problems.add(
              source, where, r.line, k + "keySpaceSize",
              "must be > 0 (objects <name>-0 .. <name>-(keySpaceSize-1) are patched), got " + r.keySpaceSize);
        }
        if (!Arrays.asList("json", "merge", "strategic-merge").contains(r.patchType)) {
          problems.add(
              source, where, r.line, k + "patchType",
              "unknown patch type '" + r.patchType + "' (valid types: json, merge, strategic-merge)");
        }
        if (r.body.trim().isEmpty()) {
          problems.add(source, where, r.line, k + "body", "required");
        } else if (!validJson(r.body.trim())) {
          problems.add(source, where, r.line, k + "body", "invalid JSON in patch body");
        } else {
          r.body = r.body.trim();
        }
        break;
      case LoadRequest.GET_POD_LOG:
        if (r.namespace.isEmpty()) {
          problems.add(source, where, r.line, k + "namespace", "required");
        }
        requireName(r, where, source, problems, k);
        break;
      case LoadRequest.POST_DEL:
        if (r.deleteRatio < 0 || r.deleteRatio > 0.5) {
          problems.add(
              source, where, r.line, k + "deleteRatio",
              String.format(Locale.ROOT, "must be between 0 and 0.5 (creates must outnumber deletes), got %s", r.deleteRatio));
        }
        break;
      default:
        break;
    }
  }

  private static void requireName(LoadRequest r, String where, String source, ProfileProblems problems, String k) {
    if (r.name.isEmpty()) {
      problems.add(source, where, r.line, k + "name", "required");
    }
  }

  static boolean validJson(String text) {
    try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(text)) {
      JSON.readTree(p);
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }
}
