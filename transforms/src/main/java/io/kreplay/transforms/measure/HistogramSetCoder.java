package io.kreplay.transforms.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact coder for {@link HistogramSet}: HdrHistogram's own compressed encoding for each
 * histogram, varints and strings for the rest, keys in sorted order.
 */
public final class HistogramSetCoder extends CustomCoder<HistogramSet> {
  private static final HistogramSetCoder INSTANCE = new HistogramSetCoder();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  public static HistogramSetCoder of() {
    return INSTANCE;
  }

  private HistogramSetCoder() {}

  @Override
  public void encode(HistogramSet set, OutputStream out) throws IOException {
    INT.encode(set.byKey.size(), out);
    for (Map.Entry<HistogramSet.Key, Stats> e : set.byKey.entrySet()) {
      INT.encode(e.getKey().phase, out);
      STRING.encode(e.getKey().method, out);
      STRING.encode(e.getKey().url, out);
      Stats s = e.getValue();
      encode(s.latency, out);
      encode(s.service, out);
      encode(s.lag, out);
      for (long v : new long[] {s.ok, s.failed, s.skipped, s.retries, s.bytes}) {
        LONG.encode(v, out);
      }
      INT.encode(s.errors.size(), out);
      for (Map.Entry<String, Long> err : s.errors.entrySet()) {
        STRING.encode(err.getKey(), out);
        LONG.encode(err.getValue(), out);
      }
    }
  }

  @Override
  public HistogramSet decode(InputStream in) throws IOException {
    HistogramSet set = new HistogramSet();
    int keys = INT.decode(in);
    for (int i = 0; i < keys; i++) {
      HistogramSet.Key key = new HistogramSet.Key(INT.decode(in), STRING.decode(in), STRING.decode(in));
      Stats s = new Stats(decodeHistogram(in), decodeHistogram(in), decodeHistogram(in));
      s.ok = LONG.decode(in);
      s.failed = LONG.decode(in);
      s.skipped = LONG.decode(in);
      s.retries = LONG.decode(in);
      s.bytes = LONG.decode(in);
      int errors = INT.decode(in);
      for (int j = 0; j < errors; j++) {
        s.errors.put(STRING.decode(in), LONG.decode(in));
      }
      set.byKey.put(key, s);
    }
    return set;
  }

  private static void encode(Histogram h, OutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    BYTES.encode(Arrays.copyOf(buf.array(), n), out);
  }

  private static Histogram decodeHistogram(InputStream in) throws IOException {
    try {
      Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(BYTES.decode(in)), 0);
      h.setAutoResize(true); // merges may bring larger values than this shard saw
      return h;
    } catch (DataFormatException e) {
      throw new IOException("corrupt histogram encoding", e);
    }
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "histogram encodings are not canonical; never use as a key");
  }
}
