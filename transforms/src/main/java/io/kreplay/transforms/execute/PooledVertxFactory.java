package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.vertx.VertxHttpClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClientOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * fabric8's Vert.x client factory with two changes: every client it makes runs on one Vert.x
 * instance per JVM (one set of event-loop threads, however many clients: one per shard, one per
 * load phase), and a client's connection pool can be bounded (kperf's {@code conns}).
 *
 * <p>Why a proxy: fabric8 7.4's {@code VertxHttpClientBuilder.build()} fixes the pool at 8192
 * per server and never calls the factory's {@code additionalConfig(WebClientOptions)} hook
 * (fabric8 issue #7252), so the only place the options can still be changed is where the
 * builder hands them to {@code Vertx.createHttpClient}. The builder gets a {@link Proxy} of the
 * shared instance that sets {@code maxPoolSize} there and passes every other call through.
 */
final class PooledVertxFactory extends VertxHttpClientFactory {
  private static Vertx shared;

  private final int pool;

  /** {@code pool}: most connections per server; 0 or less leaves fabric8's 8192. */
  PooledVertxFactory(int pool) {
    super(sharedVertx());
    this.pool = pool;
  }

  @Override
  public VertxHttpClientBuilder<VertxHttpClientFactory> newBuilder() {
    Vertx vertx = sharedVertx();
    return new VertxHttpClientBuilder<>(this, pool > 0 ? poolBounded(vertx, pool) : vertx);
  }

  /**
   * The JVM's Vert.x instance, made as fabric8 makes its own (daemon threads, no file caching,
   * the JDK's DNS resolver) and never closed: its threads are daemons, and clients come and go.
   */
  static synchronized Vertx sharedVertx() {
    if (shared == null) {
      String dns = System.getProperty("vertx.disableDnsResolver");
      System.setProperty("vertx.disableDnsResolver", "true");
      try {
        shared =
            Vertx.vertx(
                new VertxOptions()
                    .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
                    .setUseDaemonThread(true));
      } finally {
        if (dns == null) {
          System.clearProperty("vertx.disableDnsResolver");
        } else {
          System.setProperty("vertx.disableDnsResolver", dns);
        }
      }
    }
    return shared;
  }

  private static Vertx poolBounded(Vertx vertx, int pool) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> c = vertx.getClass(); c != null; c = c.getSuperclass()) {
      interfaces.addAll(java.util.Arrays.asList(c.getInterfaces()));
    }
    return (Vertx)
        Proxy.newProxyInstance(
            vertx.getClass().getClassLoader(),
            interfaces.toArray(new Class<?>[0]),
            (proxy, method, args) -> {
              if ("createHttpClient".equals(method.getName())
                  && args != null
                  && args.length > 0
                  && args[0] instanceof HttpClientOptions) {
                ((HttpClientOptions) args[0]).setMaxPoolSize(pool);
              }
              try {
                return method.invoke(vertx, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
