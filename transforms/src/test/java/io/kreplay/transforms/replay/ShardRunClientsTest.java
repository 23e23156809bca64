package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.kreplay.transforms.execute.ConnectionSettings;
import org.junit.Test;

/**
 * Which shards share a client (a connection pool): on HTTP/1.1 all shards of a run in a JVM
 * share one; on HTTP/2 each shard has its own, so one connection's stream limit is never hit by
 * the sum of every shard's in-flight cap.
 */
public class ShardRunClientsTest {
  private static ReplaySettings to(ConnectionSettings target) {
    return new ReplaySettings("clients", target, false, 4, 1_000, 0, 0, 0, 500, 0);
  }

  @Test
  public void shardsShareOneHttp11Client() {
    ReplaySettings cleartext = to(ConnectionSettings.masterUrl("http://127.0.0.1:1"));
    assertEquals(ShardRun.clientKey(cleartext, 0), ShardRun.clientKey(cleartext, 1));
    ReplaySettings tlsWithoutHttp2 = to(ConnectionSettings.masterUrl("https://127.0.0.1:1").disableHttp2(true));
    assertEquals(ShardRun.clientKey(tlsWithoutHttp2, 0), ShardRun.clientKey(tlsWithoutHttp2, 1));
  }

  @Test
  public void eachShardHasItsOwnHttp2Client() {
    ReplaySettings http2 = to(ConnectionSettings.masterUrl("https://127.0.0.1:1"));
    assertNotEquals(ShardRun.clientKey(http2, 0), ShardRun.clientKey(http2, 1));
    assertEquals(ShardRun.clientKey(http2, 1), ShardRun.clientKey(http2, 1));
  }
}
