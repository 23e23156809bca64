package io.kreplay.transforms.execute;

import io.kreplay.transforms.model.LoadKind;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;

/**
 * Turns a {@link ReplayRequest} into the {@link HttpCall} kperf's replay builder would send
 * (kperf {@code replay/builder.go}), so a profile replays the same against kreplay and kperf:
 *
 * <ul>
 *   <li>the path gets a leading '/'; a path with '&amp;' but no '?' has its first '&amp;'
 *       turned into '?' (profiles recorded with that mistake are common);
 *   <li>the query is re-encoded Go's way ({@link GoQuery}); LIST and WATCH with a selector set
 *       {@code labelSelector}, WATCH sets {@code watch=true};
 *   <li>CREATE→POST; GET, LIST, WATCH→GET; DELETE, DELETECOLLECTION→DELETE; PATCH→PATCH as a
 *       strategic merge patch for built-in groups and a merge patch otherwise (CRDs reject
 *       strategic merge with 415); APPLY→PATCH as server-side apply with field manager
 *       {@value #FIELD_MANAGER};
 *   <li>DELETE, PATCH and APPLY are aggregated with the object name masked as {@code :name}.
 *       So is a GET of a named object, unlike kperf (which keeps one report key per object
 *       read): a trace over 100k objects would otherwise keep 100k per-URL histograms, and a
 *       per-object latency is what {@code --raw} is for.
 * </ul>
 *
 * <p>One deliberate difference: DELETECOLLECTION also sends its {@code labelSelector}. kperf
 * drops it, which turns "delete the pods labelled app=x" into "delete every pod in the
 * namespace" — a different load, and a destructive one on a shared cluster.
 */
public final class RequestBuilder {
  /** Our server-side-apply field manager (kperf uses its own name). */
  public static final String FIELD_MANAGER = "kreplay";

  static final String JSON = "application/json";
  static final String PROTOBUF_ACCEPT = "application/vnd.kubernetes.protobuf, application/json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  private RequestBuilder() {}

  /**
   * Builds the call for one request.
   *
   * @param protobuf the profile's {@code contentType: protobuf}: ask for protobuf responses
   *     (bodies are still sent as JSON/YAML, which is what the profile holds)
   */
  public static HttpCall build(ReplayRequest request, boolean protobuf) {
    if (request.kind() != LoadKind.NONE) {
      return buildLoad(request, protobuf);
    }
    Verb verb = request.verb();
    String apiPath = normalize(request.apiPath());

    int q = apiPath.indexOf('?');
    String path = q < 0 ? apiPath : apiPath.substring(0, q);
    GoQuery query = GoQuery.parse(q < 0 ? "" : apiPath.substring(q + 1));
    String selector = request.labelSelector();
    if (!selector.isEmpty()
        && (verb == Verb.LIST || verb == Verb.WATCH || verb == Verb.DELETECOLLECTION)) {
      query.set("labelSelector", selector);
    }
    if (verb == Verb.WATCH) {
      query.set("watch", "true");
    }
    if (verb == Verb.APPLY) {
      query.set("fieldManager", FIELD_MANAGER);
    }
    String encodedQuery = query.encode();

    String body = verb.requiresBody() ? request.body() : null;
    String contentType = body == null ? null : contentType(verb, path);
    String masked =
        verb == Verb.DELETE || verb == Verb.PATCH || verb == Verb.APPLY
            ? maskLastPathSegment(path)
            : verb == Verb.GET && !request.name().isEmpty() ? maskName(path, request.name()) : path;
    if (!encodedQuery.isEmpty()) {
      masked = masked + '?' + encodedQuery;
    }
    return new HttpCall(
        verb,
        httpMethod(verb),
        path,
        encodedQuery,
        body,
        contentType,
        protobuf ? PROTOBUF_ACCEPT : JSON,
        masked,
        reportMethod(verb));
  }

  static final String JSON_PATCH = "application/json-patch+json";

  /**
   * A request generated from a load profile, as kperf's {@code request/random.go} sends it. The
   * expansion already wrote the path and the kind's fixed query parameters (resourceVersion=0,
   * limit, fieldSelector, sendInitialEvents, container, tailLines, ...) into {@code apiPath};
   * this adds the label selector and {@code watch=true}, re-encodes the query Go's way, and
   * picks method, content type and kperf's method label from the kind. Generated object names
   * (put, patch, postDel's delete) are masked as {@code :name} so a run keeps a handful of
   * report keys however large the key space.
   */
  private static HttpCall buildLoad(ReplayRequest request, boolean protobuf) {
    LoadKind kind = request.kind();
    String apiPath = normalize(request.apiPath());
    int q = apiPath.indexOf('?');
    String path = q < 0 ? apiPath : apiPath.substring(0, q);
    GoQuery query = GoQuery.parse(q < 0 ? "" : apiPath.substring(q + 1));
    String selector = request.labelSelector();
    boolean collection =
        kind == LoadKind.STALE_LIST || kind == LoadKind.QUORUM_LIST || kind == LoadKind.WATCH_LIST;
    if (collection && !selector.isEmpty()) {
      query.set("labelSelector", selector);
    }
    if (kind == LoadKind.WATCH_LIST) {
      query.set("watch", "true");
    }
    String encodedQuery = query.encode();
    String method;
    String contentType = null;
    boolean masked = false;
    switch (kind) {
      case PUT:
        method = "PUT";
        contentType = JSON;
        masked = true;
        break;
      case PATCH_JSON:
      case PATCH_MERGE:
      case PATCH_STRATEGIC:
        method = "PATCH";
        contentType =
            kind == LoadKind.PATCH_JSON ? JSON_PATCH : kind == LoadKind.PATCH_MERGE ? MERGE_PATCH : STRATEGIC_MERGE_PATCH;
        masked = true;
        break;
      case POST:
        method = "POST";
        contentType = JSON;
        break;
      case DELETE:
        method = "DELETE";
        masked = true;
        break;
      default:
        method = "GET";
    }
    String body = contentType == null ? null : request.body();
    String maskedUrl = masked ? maskLastPathSegment(path) : path;
    if (!encodedQuery.isEmpty()) {
      maskedUrl = maskedUrl + '?' + encodedQuery;
    }
    return new HttpCall(
        kind.verb(),
        method,
        path,
        encodedQuery,
        body,
        contentType,
        protobuf ? PROTOBUF_ACCEPT : JSON,
        maskedUrl,
        kind.reportMethod());
  }

  /** Leading '/', and the first '&amp;' as '?' when the path has no '?'. */
  static String normalize(String apiPath) {
    String p = apiPath.startsWith("/") ? apiPath : "/" + apiPath;
    if (p.indexOf('?') < 0) {
      int amp = p.indexOf('&');
      if (amp >= 0) {
        p = p.substring(0, amp) + '?' + p.substring(amp + 1);
      }
    }
    return p;
  }

  static String httpMethod(Verb verb) {
    switch (verb) {
      case CREATE:
        return "POST";
      case PATCH:
      case APPLY:
        return "PATCH";
      case DELETE:
      case DELETECOLLECTION:
        return "DELETE";
      case GET:
      case LIST:
      case WATCH:
      default:
        return "GET";
    }
  }

  /** kperf's labels: LIST and WATCH keep their own names so they are reported apart from GET. */
  static String reportMethod(Verb verb) {
    switch (verb) {
      case LIST:
        return "LIST";
      case WATCH:
        return "WATCH";
      default:
        return httpMethod(verb);
    }
  }

  private static String contentType(Verb verb, String path) {
    switch (verb) {
      case PATCH:
        return isBuiltinApiPath(path) ? STRATEGIC_MERGE_PATCH : MERGE_PATCH;
      case APPLY:
        return APPLY_PATCH;
      default:
        return JSON;
    }
  }

  /**
   * Built-in resources accept strategic merge patch: the core group ({@code /api/...}) and
   * groups without a dot ({@code apps}, {@code batch}) or ending in {@code .k8s.io}. Anything
   * else under {@code /apis/} is taken to be a CRD.
   */
  static boolean isBuiltinApiPath(String path) {
    if (path.startsWith("/api/")) {
      return true;
    }
    if (!path.startsWith("/apis/")) {
      return false;
    }
    String rest = path.substring("/apis/".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String group = rest.substring(0, slash);
    return group.indexOf('.') < 0 || group.endsWith(".k8s.io");
  }

  /**
   * A GET's report URL: the path segment that is the object's name (the last such, so
   * {@code .../pods/web-0/log} keeps its subresource) becomes {@code :name}; if no segment is
   * the name, the last segment does, as for DELETE.
   */
  static String maskName(String path, String name) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int at = p.lastIndexOf('/' + name);
    while (at >= 0) {
      int end = at + 1 + name.length();
      if (end == p.length() || p.charAt(end) == '/') {
        return p.substring(0, at + 1) + ":name" + p.substring(end);
      }
      at = at == 0 ? -1 : p.lastIndexOf('/' + name, at - 1);
    }
    return maskLastPathSegment(path);
  }

  /** kperf's rule: drop one trailing '/', then replace what follows the last '/'. */
  static String maskLastPathSegment(String path) {
    if (path.isEmpty()) {
      return path;
    }
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    int slash = p.lastIndexOf('/');
    return slash < 0 ? ":name" : p.substring(0, slash + 1) + ":name";
  }
}
