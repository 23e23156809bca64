package io.kreplay.transforms.plan;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.ReplayRequestCoder;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.util.VarInt;

/** Appends requests, already in time order, to one segment file on any Beam filesystem. */
final class SegmentWriter implements Closeable {
  private static final int BUFFER = 32 * 1024;

  private final SegmentInfo info = new SegmentInfo();
  private final OutputStream out;
  private final ByteArrayOutputStream scratch = new ByteArrayOutputStream(512);

  SegmentWriter(ResourceId planDir, int phase, int shard, long window) throws IOException {
    info.phase = phase;
    info.shard = shard;
    info.window = window;
    info.path = SegmentFormat.relativePath(phase, shard, window);
    ResourceId file = planDir.resolve(info.path, StandardResolveOptions.RESOLVE_FILE);
    out = new BufferedOutputStream(Channels.newOutputStream(FileSystems.create(file, MimeTypes.BINARY)), BUFFER);
    out.write(SegmentFormat.MAGIC);
    info.bytes = SegmentFormat.MAGIC.length;
  }

  void write(ReplayRequest r) throws IOException {
    scratch.reset();
    ReplayRequestCoder.of().encode(r, scratch);
    int n = scratch.size();
    VarInt.encode(n, out);
    scratch.writeTo(out);
    info.bytes += VarInt.getLength(n) + n;
    if (info.requests == 0) {
      info.firstTimestampMs = r.timestampMs();
    }
    info.lastTimestampMs = r.timestampMs();
    info.requests++;
  }

  SegmentInfo info() {
    return info;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
