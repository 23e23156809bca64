package io.kreplay.transforms.measure;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assume.assumeTrue;

import io.kreplay.transforms.execute.HttpCall;
import io.kreplay.transforms.execute.RequestBuilder;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.junit.Test;

/**
 * What kept a 6,000-request replay over 3,000 objects from fitting in 512 MB: one report key
 * per object read, and a ~138 KB scratch buffer left inside every histogram the coder touched.
 */
public class MeasurementMemoryTest {
  private static final int OBJECTS = 3_000;
  private static final int NAMESPACES = 10;

  /** The generated pod lifecycle's shape: create and get each of 3,000 pods in 10 namespaces. */
  private static HistogramSet replayed() {
    HistogramSet set = MeasureSettings.defaults().newHistogramSet();
    for (int i = 0; i < OBJECTS; i++) {
      String ns = "ns-" + (i % NAMESPACES);
      String pods = "/api/v1/namespaces/" + ns + "/pods";
      for (ReplayRequest r : new ReplayRequest[] {
          new ReplayRequest(i, 0, 0, Verb.CREATE, ns, "Pod", "", pods, "{}", ""),
          new ReplayRequest(i, 0, 0, Verb.GET, ns, "Pod", "pod-" + i, pods + "/pod-" + i, "", "")}) {
        HttpCall c = RequestBuilder.build(r, false);
        long t = i * 3_000_000L;
        // Latencies up to a minute, as on a struggling server: wide histograms.
        set.add(Outcome.ok(0, c.reportMethod(), c.maskedUrl(), t, t, t + (i % 60) * 1_000_000_000L + 1_000, 10, 0));
      }
    }
    return set;
  }

  @Test
  public void thousandsOfObjectsCollapseIntoAHandfulOfUrlPatterns() {
    HistogramSet set = replayed();
    // POST .../ns-N/pods and GET .../ns-N/pods/:name per namespace; nothing folded.
    assertEquals(2 * NAMESPACES, set.entries().size());
    assertEquals(0, set.foldedRequests(-1));
    assertEquals(2 * OBJECTS, set.rollUp(-1).total());
  }

  @Test
  public void encodingLeavesNoScratchBufferInTheHistograms() throws Exception {
    Field scratch = scratchField();
    assumeTrue("HdrHistogram no longer has the field this test looks at", scratch != null);
    // The field is what we think: HdrHistogram's compressed encoding leaves a buffer there.
    Histogram probe = new org.HdrHistogram.PackedHistogram(3);
    probe.recordValue(60_000_000);
    probe.encodeIntoCompressedByteBuffer(ByteBuffer.allocate(probe.getNeededByteBufferCapacity()));
    assertThat(((ByteBuffer) scratch.get(probe)).capacity(), org.hamcrest.Matchers.greaterThan(100_000));
    HistogramSet set = replayed();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HistogramSetCoder.of().encode(set, out);
    for (Stats s : set.entries().values()) {
      for (Histogram h : new Histogram[] {s.latency, s.service, s.lag}) {
        assertNull("a histogram keeps a scratch buffer after it was encoded", scratch.get(h));
      }
    }
    // And the encoding is small: 20 keys of three histograms each, plus the timeline.
    assertThat(out.size(), lessThan(64 * 1024));
    HistogramSet back = HistogramSetCoder.of().decode(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(set.entries().keySet(), back.entries().keySet());
    for (Map.Entry<HistogramSet.Key, Stats> e : set.entries().entrySet()) {
      assertEquals(e.getValue().latency, back.entries().get(e.getKey()).latency);
    }
  }

  private static Field scratchField() {
    for (Class<?> c = AbstractHistogram.class; c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField("intermediateUncompressedByteBuffer");
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    return null;
  }

  /** Reports written before the change (format 2, compressed histograms) still load. */
  @Test
  public void readsTheCompressedFormatOfOlderReports() throws Exception {
    HistogramSet set = new HistogramSet(0, 5);
    set.add(Outcome.ok(1, "GET", "/api/v1/pods", 0, 2_000, 9_000_000, 7, 0));
    Stats s = set.entries().values().iterator().next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VarIntCoder.of().encode(2, out);
    VarLongCoder.of().encode(0L, out);
    VarIntCoder.of().encode(5, out);
    VarIntCoder.of().encode(1, out);
    VarIntCoder.of().encode(1, out);
    StringUtf8Coder.of().encode("GET", out);
    StringUtf8Coder.of().encode("/api/v1/pods", out);
    for (Histogram h : new Histogram[] {s.latency, s.service, s.lag}) {
      ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
      int n = h.copy().encodeIntoCompressedByteBuffer(buf);
      ByteArrayCoder.of().encode(java.util.Arrays.copyOf(buf.array(), n), out);
    }
    for (long v : new long[] {1, 0, 0, 0, 7}) {
      VarLongCoder.of().encode(v, out);
    }
    VarIntCoder.of().encode(0, out); // errors
    VarIntCoder.of().encode(0, out); // timeline phases
    HistogramSet back = HistogramSetCoder.of().decode(new ByteArrayInputStream(out.toByteArray()));
    Stats b = back.entries().get(new HistogramSet.Key(1, "GET", "/api/v1/pods"));
    assertEquals(s.latency, b.latency);
    assertEquals(1, b.ok());
    assertEquals(7, b.bytes());
  }
}
