package io.kreplay.transforms.partition;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.hash.Hashing;
import org.junit.Test;

public class PartitionerTest {
  private static final BigInteger MOD_2_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger OFFSET = new BigInteger("cbf29ce484222325", 16);
  private static final BigInteger PRIME = new BigInteger("100000001b3", 16);

  /** FNV-1a 64 computed the slow, obviously-correct way: unsigned arithmetic mod 2^64. */
  private static BigInteger referenceFnv1a64(String key) {
    BigInteger h = OFFSET;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = h.xor(BigInteger.valueOf(b & 0xff)).multiply(PRIME).mod(MOD_2_64);
    }
    return h;
  }

  private static String key(int i) {
    return "ns-" + (i % 17) + "/Pod/pod-" + i;
  }

  @Test
  public void fnv1aMatchesPublishedVectors() {
    // Vectors from the FNV reference test suite (Landon Curt Noll).
    assertEquals(0xcbf29ce484222325L, Partitioner.fnv1a64(""));
    assertEquals(0xaf63dc4c8601ec8cL, Partitioner.fnv1a64("a"));
    assertEquals(0x85944171f73967e8L, Partitioner.fnv1a64("foobar"));
  }

  @Test
  public void fnv1aMatchesIndependentComputationIncludingNonAscii() {
    String[] keys = {"default/Pod/nginx", "/Node/node-1", "kube-system/ConfigMap/ü-ñ-名前", "ns/Pod/?labelSelector=app=web"};
    for (String k : keys) {
      assertEquals(k, referenceFnv1a64(k).longValue(), Partitioner.fnv1a64(k));
    }
    for (int i = 0; i < 2000; i++) {
      assertEquals(referenceFnv1a64(key(i)).longValue(), Partitioner.fnv1a64(key(i)));
    }
  }

  @Test
  public void kperfPartitionerIsUnsignedFnvModN() {
    for (int shards : new int[] {1, 2, 3, 7, 10, 64}) {
      for (int i = 0; i < 2000; i++) {
        int expected = referenceFnv1a64(key(i)).mod(BigInteger.valueOf(shards)).intValue();
        assertEquals(expected, Partitioner.KPERF.shardOf(key(i), shards));
      }
    }
  }

  @Test
  public void jumpMatchesGuavasIndependentImplementation() {
    for (int shards : new int[] {1, 2, 3, 5, 8, 100, 1000}) {
      for (int i = 0; i < 5000; i++) {
        long h = Partitioner.fnv1a64(key(i));
        assertEquals(Hashing.consistentHash(h, shards), Partitioner.JUMP.shardOf(h, shards));
      }
    }
  }

  @Test
  public void jumpMovesAboutOneNthOfKeysWhenAShardIsAdded() {
    int keys = 100_000;
    for (int n : new int[] {4, 10, 31}) {
      int moved = 0;
      int kperfMoved = 0;
      for (int i = 0; i < keys; i++) {
        String k = key(i);
        int before = Partitioner.JUMP.shardOf(k, n);
        int after = Partitioner.JUMP.shardOf(k, n + 1);
        if (before != after) {
          moved++;
          assertEquals("a key that moves goes to the new shard", n, after);
        }
        if (Partitioner.KPERF.shardOf(k, n) != Partitioner.KPERF.shardOf(k, n + 1)) {
          kperfMoved++;
        }
      }
      double expected = keys / (double) (n + 1);
      assertThat((double) moved, allOf(greaterThan(expected * 0.9), lessThan(expected * 1.1)));
      // Mod-N, by contrast, reshuffles nearly everything: the reason jump is the default.
      assertThat(kperfMoved, greaterThan(keys / 2));
    }
  }

  @Test
  public void shardsStayInRangeAndSpreadEvenly() {
    int shards = 8;
    long[] counts = new long[shards];
    for (int i = 0; i < 80_000; i++) {
      counts[Partitioner.JUMP.shardOf(key(i), shards)]++;
    }
    for (long c : counts) {
      assertThat((double) c, allOf(greaterThan(10_000 * 0.9), lessThan(10_000 * 1.1)));
    }
  }

  @Test(expected = IllegalArgumentException.class)
  public void zeroShardsIsRejected() {
    Partitioner.JUMP.shardOf("a/b/c", 0);
  }

  @Test
  public void parseAcceptsBothNamesAnyCase() {
    assertEquals(Partitioner.JUMP, Partitioner.parse("jump"));
    assertEquals(Partitioner.KPERF, Partitioner.parse("KPERF"));
  }
}
