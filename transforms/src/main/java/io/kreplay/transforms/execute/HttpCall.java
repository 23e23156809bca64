package io.kreplay.transforms.execute;

import io.kreplay.transforms.model.Verb;
import java.util.Objects;

/**
 * One HTTP request, ready to send to an API server: what {@link RequestBuilder} makes of a
 * {@code ReplayRequest}. Immutable; it carries no server address or credentials, so the same
 * call can go to any cluster and can be logged whole.
 *
 * <p>{@code maskedUrl} and {@code reportMethod} are the aggregation key kperf uses
 * ({@code "<reportMethod> <maskedUrl>"}, with kperf's base URL in front).
 */
public final class HttpCall {
  private final Verb verb;
  private final String method;
  private final String path;
  private final String query;
  private final String body;
  private final String contentType;
  private final String accept;
  private final String maskedUrl;
  private final String reportMethod;

  HttpCall(
      Verb verb,
      String method,
      String path,
      String query,
      String body,
      String contentType,
      String accept,
      String maskedUrl,
      String reportMethod) {
    this.verb = Objects.requireNonNull(verb, "verb");
    this.method = Objects.requireNonNull(method, "method");
    this.path = Objects.requireNonNull(path, "path");
    this.query = query == null ? "" : query;
    this.body = body;
    this.contentType = contentType;
    this.accept = Objects.requireNonNull(accept, "accept");
    this.maskedUrl = Objects.requireNonNull(maskedUrl, "maskedUrl");
    this.reportMethod = Objects.requireNonNull(reportMethod, "reportMethod");
  }

  public Verb verb() {
    return verb;
  }

  /** The HTTP method sent: POST, GET, PATCH or DELETE. */
  public String method() {
    return method;
  }

  /** The path as the profile wrote it, with a leading '/'; already URL-escaped there. */
  public String path() {
    return path;
  }

  /** The encoded query without '?'; empty when there is none. */
  public String query() {
    return query;
  }

  /** What goes after the server's base URL. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + '?' + query;
  }

  /** The request body, or null when the verb sends none. */
  public String body() {
    return body;
  }

  /** The body's media type, or null when there is no body. */
  public String contentType() {
    return contentType;
  }

  /** The Accept header. */
  public String accept() {
    return accept;
  }

  /** Path (last segment replaced by {@code :name} for DELETE/PATCH/APPLY) plus query. */
  public String maskedUrl() {
    return maskedUrl;
  }

  /** kperf's method label: POST, GET, LIST, WATCH, PATCH or DELETE (APPLY reports as PATCH). */
  public String reportMethod() {
    return reportMethod;
  }

  /**
   * A WATCH stays open after its headers; its latency is time to headers. A load profile's
   * watchList is not one: it ends at its initial events' end ({@link #isWatchList()}).
   */
  public boolean isWatch() {
    return verb == Verb.WATCH && !isWatchList();
  }

  /**
   * kperf's WATCHLIST (watch with sendInitialEvents): a call like a LIST that streams, and ends
   * as a success at the BOOKMARK marking the end of the initial events (client-go's {@code
   * WatchList}, which kperf calls); its latency is the time to that bookmark.
   */
  public boolean isWatchList() {
    return verb == Verb.WATCH && "WATCHLIST".equals(reportMethod);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof HttpCall)) {
      return false;
    }
    HttpCall c = (HttpCall) o;
    return verb == c.verb
        && method.equals(c.method)
        && path.equals(c.path)
        && query.equals(c.query)
        && Objects.equals(body, c.body)
        && Objects.equals(contentType, c.contentType)
        && accept.equals(c.accept)
        && maskedUrl.equals(c.maskedUrl)
        && reportMethod.equals(c.reportMethod);
  }

  @Override
  public int hashCode() {
    return Objects.hash(verb, method, path, query, body, contentType, accept, maskedUrl);
  }

  /** No body: bodies can be large, and a log line should stay one line. */
  @Override
  public String toString() {
    return method + ' ' + pathAndQuery() + (body == null ? "" : " (" + contentType + ')');
  }
}
