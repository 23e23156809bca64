package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.File;
import java.io.Serializable;
import java.util.Objects;

/**
 * How to reach and authenticate to the API server, as a small serializable value a pipeline can
 * carry to its workers; each worker turns it into a fabric8 {@link Config} there, so tokens,
 * client certificates and exec plugins are resolved (and refreshed) by fabric8 on the machine
 * that sends, and no credential travels in the pipeline.
 *
 * <p>TLS verification stays on unless {@link #insecureSkipTlsVerify(boolean)} says otherwise
 * (a kubeconfig's own {@code insecure-skip-tls-verify} is honoured by fabric8 as written).
 */
public final class ConnectionSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Source {
    KUBECONFIG,
    IN_CLUSTER,
    MASTER_URL
  }

  private final Source source;
  private final String location; // kubeconfig path (null: fabric8's default lookup) or URL
  private final String context; // kubeconfig context; null: the current one
  private final boolean insecureSkipTlsVerify;
  private final boolean disableHttp2;
  private final int connectTimeoutMs;

  private ConnectionSettings(
      Source source,
      String location,
      String context,
      boolean insecureSkipTlsVerify,
      boolean disableHttp2,
      int connectTimeoutMs) {
    this.source = source;
    this.location = location;
    this.context = context;
    this.insecureSkipTlsVerify = insecureSkipTlsVerify;
    this.disableHttp2 = disableHttp2;
    this.connectTimeoutMs = connectTimeoutMs;
  }

  /** A kubeconfig file (null: {@code $KUBECONFIG} or {@code ~/.kube/config}) and context. */
  public static ConnectionSettings kubeconfig(String path, String context) {
    return new ConnectionSettings(Source.KUBECONFIG, path, context, false, false, 10_000);
  }

  /**
   * The pod's service account. fabric8's automatic configuration is used, which reads the
   * service account token and CA (and re-reads the token as it rotates) when no kubeconfig is
   * present — the normal case inside a pod.
   */
  public static ConnectionSettings inCluster() {
    return new ConnectionSettings(Source.IN_CLUSTER, null, null, false, false, 10_000);
  }

  /** A bare server URL without credentials: tests, or a local unauthenticated proxy. */
  public static ConnectionSettings masterUrl(String url) {
    return new ConnectionSettings(
        Source.MASTER_URL, Objects.requireNonNull(url, "url"), null, false, false, 10_000);
  }

  /** Skips server certificate and host name checks. Only ever on because someone asked. */
  public ConnectionSettings insecureSkipTlsVerify(boolean skip) {
    return new ConnectionSettings(
        source, location, context, skip, disableHttp2, connectTimeoutMs);
  }

  /**
   * kperf's {@code disableHTTP2}. Passed to fabric8 as {@code http2Disable}, which also decides
   * the HTTP client: JDK (HTTP/2) when false, Vert.x (HTTP/1.1) when true — see {@link
   * Fabric8Executor#httpClientFactory}.
   */
  public ConnectionSettings disableHttp2(boolean disable) {
    return new ConnectionSettings(
        source, location, context, insecureSkipTlsVerify, disable, connectTimeoutMs);
  }

  public ConnectionSettings connectTimeoutMs(int millis) {
    return new ConnectionSettings(
        source, location, context, insecureSkipTlsVerify, disableHttp2, millis);
  }

  public boolean isDisableHttp2() {
    return disableHttp2;
  }

  public boolean isInsecureSkipTlsVerify() {
    return insecureSkipTlsVerify;
  }

  /** Builds the fabric8 configuration; reads kubeconfig and service-account files. */
  public Config toConfig() {
    Config config;
    switch (source) {
      case KUBECONFIG:
        config =
            location == null
                ? Config.autoConfigure(context)
                : Config.fromKubeconfig(context, new File(location));
        break;
      case IN_CLUSTER:
        config = Config.autoConfigure(null);
        break;
      case MASTER_URL:
      default:
        config = new ConfigBuilder(Config.empty()).withMasterUrl(location).build();
        break;
    }
    return forReplay(config, insecureSkipTlsVerify, disableHttp2, connectTimeoutMs);
  }

  /**
   * The settings every replay client needs whatever the source. Retries off: fabric8 retries
   * 5xx responses and I/O errors by default (10 times, with backoff), which would hide the very
   * failures a replay is meant to count and multiply the load it sends.
   */
  static Config forReplay(
      Config config, boolean insecureSkipTlsVerify, boolean disableHttp2, int connectTimeoutMs) {
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(connectTimeoutMs);
    config.setHttp2Disable(disableHttp2);
    if (insecureSkipTlsVerify) {
      config.setTrustCerts(true);
      config.setDisableHostnameVerification(true);
    }
    return config;
  }

  /** Where it connects, never what it authenticates with. */
  @Override
  public String toString() {
    switch (source) {
      case KUBECONFIG:
        return "kubeconfig "
            + (location == null ? "(default)" : location)
            + (context == null ? "" : " context " + context);
      case IN_CLUSTER:
        return "in-cluster service account";
      default:
        return location;
    }
  }
}
