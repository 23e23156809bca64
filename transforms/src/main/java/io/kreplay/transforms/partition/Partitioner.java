package io.kreplay.transforms.partition;

import java.nio.charset.StandardCharsets;

/**
 * How an object key becomes a shard. Both partitioners hash the key with 64-bit FNV-1a, as
 * kperf does; they differ in how the hash becomes a shard number.
 */
public enum Partitioner {
  /**
   * Lamping–Veach jump consistent hash of the FNV-1a value: growing the shard count from N to
   * N+1 moves only ~1/(N+1) of the keys, so plans for different shard counts stay comparable.
   */
  JUMP {
    @Override
    public int shardOf(long hash, int shards) {
      return jumpConsistentHash(hash, shards);
    }
  },
  /** FNV-1a mod N: exactly kperf's runner assignment, for side-by-side comparisons. */
  KPERF {
    @Override
    public int shardOf(long hash, int shards) {
      return (int) Long.remainderUnsigned(hash, shards);
    }
  };

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /** The shard of {@code hash}, in {@code [0, shards)}. */
  public abstract int shardOf(long hash, int shards);

  public int shardOf(String objectKey, int shards) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shards must be > 0, got " + shards);
    }
    return shardOf(fnv1a64(objectKey), shards);
  }

  /** Parses {@code jump} or {@code kperf} (any case). */
  public static Partitioner parse(String name) {
    for (Partitioner p : values()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown partitioner '" + name + "' (jump or kperf)");
  }

  /** 64-bit FNV-1a over the key's UTF-8 bytes, as Go's hash/fnv New64a. */
  public static long fnv1a64(String key) {
    long h = FNV_OFFSET_BASIS;
    // Keys are almost always ASCII; avoid allocating the byte array for them.
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c >= 0x80) {
        return fnv1a64(key.getBytes(StandardCharsets.UTF_8));
      }
      h ^= c;
      h *= FNV_PRIME;
    }
    return h;
  }

  public static long fnv1a64(byte[] bytes) {
    long h = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= FNV_PRIME;
    }
    return h;
  }

  /** Lamping &amp; Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (2014). */
  static int jumpConsistentHash(long key, int buckets) {
    long b = -1;
    long j = 0;
    while (j < buckets) {
      b = j;
      key = key * 2862933555777941757L + 1;
      j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
    }
    return (int) b;
  }
}
