package io.kreplay.transforms.plan;

import java.nio.charset.StandardCharsets;

/**
 * The plan's segment file format, ours: an 8-byte magic, then records, each a varint length
 * followed by that many bytes of {@link io.kreplay.transforms.model.ReplayRequestCoder}
 * encoding. Length prefixes make sequential reads a tight loop and let a reader resume at any
 * record's byte offset (or skip N records without decoding them).
 */
public final class SegmentFormat {
  public static final String MAGIC_TEXT = "KRSEG002";
  static final byte[] MAGIC = MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII);
  /** Byte offset of the first record. */
  public static final long FIRST_RECORD_OFFSET = MAGIC.length;

  private SegmentFormat() {}

  /** Where a segment lives, relative to the plan directory. */
  public static String relativePath(int phase, int shard, long window) {
    return String.format("segments/phase-%04d/shard-%05d/window-%06d.seg", phase, shard, window);
  }
}
