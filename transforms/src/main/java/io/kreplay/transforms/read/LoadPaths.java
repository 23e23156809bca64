package io.kreplay.transforms.read;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** kperf's URL layout for a group/version/resource (Kubernetes' API groups). */
final class LoadPaths {
  private LoadPaths() {}

  /** {@code /api/v1[/namespaces/ns]/res} for the core group, {@code /apis/g/v[/namespaces/ns]/res} else. */
  static String collection(String group, String version, String namespace, String resource) {
    StringBuilder sb = new StringBuilder();
    if (group.isEmpty()) {
      sb.append("/api/").append(version);
    } else {
      sb.append("/apis/").append(group).append('/').append(version);
    }
    if (!namespace.isEmpty()) {
      sb.append("/namespaces/").append(namespace);
    }
    return sb.append('/').append(resource).toString();
  }

  /** Any valid query escaping: the request builder re-encodes the query Go's way. */
  static String escape(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
