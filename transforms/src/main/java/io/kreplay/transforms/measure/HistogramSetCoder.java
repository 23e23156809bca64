package io.kreplay.transforms.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact coder for {@link HistogramSet}: HdrHistogram's own V2 encoding for each histogram
 * (counts as zero-run-length LEB128 varints, so a sparse histogram takes a few hundred bytes),
 * varints and strings for the rest, keys in sorted order. It is also the format of a report's
 * {@code histograms.bin}, so it starts with a format number.
 *
 * <p>Not HdrHistogram's <em>compressed</em> encoding: {@code encodeIntoCompressedByteBuffer}
 * keeps a scratch buffer inside the histogram for its whole life, sized for the histogram's full
 * counts array (~138 KB for 3 digits up to a minute in µs), and every histogram the runner
 * encodes (each flush, each copy the DirectRunner makes, each combine accumulator) kept one.
 * That was what filled the heap on a 6,000-request, 3,000-object replay (DEVELOPERS.md, Memory).
 * The plain encoding writes into a buffer we pass, one per thread, reused.
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

  /** Bump when the encoding changes: old histograms.bin files then fail with a clear message. */
  static final int FORMAT = 3;
  /** The previous format, HdrHistogram's compressed encoding per histogram; still read. */
  static final int FORMAT_COMPRESSED = 2;

  /** Per thread: where a histogram is encoded before it is written out; grown when needed. */
  private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

  @Override
  public void encode(HistogramSet set, OutputStream out) throws IOException {
    INT.encode(FORMAT, out);
    LONG.encode(set.windowMicros, out);
    INT.encode(set.maxUrlsPerPhase, out);
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
      encodeErrors(s.errors, out);
    }
    INT.encode(set.timeline.size(), out);
    for (Map.Entry<Integer, TreeMap<Long, WindowStats>> phase : set.timeline.entrySet()) {
      INT.encode(phase.getKey(), out);
      INT.encode(phase.getValue().size(), out);
      for (Map.Entry<Long, WindowStats> w : phase.getValue().entrySet()) {
        LONG.encode(w.getKey(), out);
        WindowStats ws = w.getValue();
        LONG.encode(ws.ok, out);
        LONG.encode(ws.failed, out);
        LONG.encode(ws.skipped, out);
        encodeErrors(ws.errors, out);
        encode(ws.latency, out);
      }
    }
    INT.encode(set.stoppedBy.size(), out);
    for (String reason : set.stoppedBy) {
      STRING.encode(reason, out);
    }
  }

  private static void encodeErrors(TreeMap<String, Long> errors, OutputStream out) throws IOException {
    INT.encode(errors.size(), out);
    for (Map.Entry<String, Long> err : errors.entrySet()) {
      STRING.encode(err.getKey(), out);
      LONG.encode(err.getValue(), out);
    }
  }

  private static void decodeErrors(InputStream in, TreeMap<String, Long> into) throws IOException {
    int errors = INT.decode(in);
    for (int j = 0; j < errors; j++) {
      into.put(STRING.decode(in), LONG.decode(in));
    }
  }

  @Override
  public HistogramSet decode(InputStream in) throws IOException {
    int format = INT.decode(in);
    if (format != FORMAT && format != FORMAT_COMPRESSED) {
      throw new IOException("histogram set format " + format + ", this kreplay reads formats "
          + FORMAT_COMPRESSED + " and " + FORMAT);
    }
    boolean compressed = format == FORMAT_COMPRESSED;
    HistogramSet set = new HistogramSet(LONG.decode(in), INT.decode(in));
    int keys = INT.decode(in);
    for (int i = 0; i < keys; i++) {
      HistogramSet.Key key = new HistogramSet.Key(INT.decode(in), STRING.decode(in), STRING.decode(in));
      Stats s = new Stats(decodeHistogram(in, compressed), decodeHistogram(in, compressed), decodeHistogram(in, compressed));
      s.ok = LONG.decode(in);
      s.failed = LONG.decode(in);
      s.skipped = LONG.decode(in);
      s.retries = LONG.decode(in);
      s.bytes = LONG.decode(in);
      decodeErrors(in, s.errors);
      set.putDecoded(key, s);
    }
    int phases = INT.decode(in);
    for (int i = 0; i < phases; i++) {
      TreeMap<Long, WindowStats> windows = new TreeMap<>();
      set.timeline.put(INT.decode(in), windows);
      int n = INT.decode(in);
      for (int j = 0; j < n; j++) {
        long index = LONG.decode(in);
        long ok = LONG.decode(in);
        long failed = LONG.decode(in);
        long skipped = LONG.decode(in);
        TreeMap<String, Long> errors = new TreeMap<>();
        decodeErrors(in, errors);
        WindowStats ws = new WindowStats(decodeHistogram(in, compressed));
        ws.ok = ok;
        ws.failed = failed;
        ws.skipped = skipped;
        ws.errors.putAll(errors);
        windows.put(index, ws);
      }
    }
    if (!compressed) {
      int reasons = INT.decode(in);
      for (int i = 0; i < reasons; i++) {
        set.stoppedBy.add(STRING.decode(in));
      }
    }
    return set;
  }

  private static void encode(Histogram h, OutputStream out) throws IOException {
    ByteBuffer buf = SCRATCH.get();
    // The whole counts array's worth: an upper bound for what the V2 encoding of the used part needs.
    int needed = h.getNeededByteBufferCapacity();
    if (buf.capacity() < needed) {
      buf = ByteBuffer.allocate(needed);
      SCRATCH.set(buf);
    }
    buf.clear();
    int n = h.encodeIntoByteBuffer(buf);
    BYTES.encode(Arrays.copyOf(buf.array(), n), out);
  }

  private static Histogram decodeHistogram(InputStream in, boolean compressed) throws IOException {
    try {
      ByteBuffer bytes = ByteBuffer.wrap(BYTES.decode(in));
      Histogram h =
          compressed
              ? PackedHistogram.decodeFromCompressedByteBuffer(bytes, 0)
              : PackedHistogram.decodeFromByteBuffer(bytes, 0);
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
