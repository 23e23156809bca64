package io.kreplay.transforms.plan;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.ReplayRequestCoder;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.VarInt;

/**
 * Reads one segment sequentially, from its start or from a record's byte offset (as returned
 * by {@link #offset()} after an earlier read), which is how a replay resumes.
 */
public final class SegmentReader implements Closeable {
  private final DataInputStream in;
  private long offset;
  private byte[] buffer = new byte[512];

  private SegmentReader(InputStream in, long offset) {
    this.in = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
    this.offset = offset;
  }

  /** Opens {@code relativePath} under {@code planDir} at record offset {@code offset}. */
  public static SegmentReader open(ResourceId planDir, String relativePath, long offset) throws IOException {
    ResourceId file = planDir.resolve(relativePath, StandardResolveOptions.RESOLVE_FILE);
    ReadableByteChannel ch = FileSystems.open(file);
    byte[] magic = new byte[SegmentFormat.MAGIC.length];
    InputStream raw = Channels.newInputStream(ch);
    new DataInputStream(raw).readFully(magic);
    if (!Arrays.equals(magic, SegmentFormat.MAGIC)) {
      raw.close();
      throw new IOException(file + " is not a kreplay segment (bad magic)");
    }
    long start = Math.max(offset, SegmentFormat.FIRST_RECORD_OFFSET);
    if (start > SegmentFormat.FIRST_RECORD_OFFSET) {
      if (ch instanceof SeekableByteChannel) {
        ((SeekableByteChannel) ch).position(start);
      } else {
        long toSkip = start - SegmentFormat.FIRST_RECORD_OFFSET;
        while (toSkip > 0) {
          long n = raw.skip(toSkip);
          if (n <= 0) {
            raw.close();
            throw new EOFException(file + ": offset " + offset + " is past the end");
          }
          toSkip -= n;
        }
      }
    }
    return new SegmentReader(raw, start);
  }

  /** The next request, or null at the end of the segment. */
  public ReplayRequest next() throws IOException {
    int n;
    try {
      n = VarInt.decodeInt(in);
    } catch (EOFException e) {
      return null;
    }
    if (n > buffer.length) {
      buffer = new byte[Math.max(n, buffer.length * 2)];
    }
    in.readFully(buffer, 0, n);
    offset += VarInt.getLength(n) + n;
    return ReplayRequestCoder.of().decode(new java.io.ByteArrayInputStream(buffer, 0, n));
  }

  /** Byte offset of the next record: pass it to {@link #open} to resume there. */
  public long offset() {
    return offset;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
