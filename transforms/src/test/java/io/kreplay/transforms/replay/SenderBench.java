package io.kreplay.transforms.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The replay's sending half without a runner: the same {@link ShardRun}s (sender threads,
 * fabric8 client, in-flight caps, measurement) fed a constant rate by one thread that hands on
 * each request half a second ahead, as the pacer does. It separates what our sending costs from
 * what the runner costs (the DirectRunner's driver loop spins one core by design). Used by
 * {@code RUNNER=none bench/replay-null-server.sh}; not a test.
 *
 * <p>Args: url rate durationSeconds shards inFlightPerShard warmupSeconds reportDir. Requests
 * are DELETEs of {@code /api/v1/namespaces/bench/pods/t<ms>-<i>}, like {@code generate
 * --shape=deletes}, so the server can tell each one's intended time. {@code
 * -Dkreplay.disableHttp2=true} sends through the HTTP/1.1 (Vert.x) client instead of the JDK one.
 */
public final class SenderBench {
  private SenderBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    double rate = Double.parseDouble(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int shards = Integer.parseInt(args[3]);
    int inFlight = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    File reportDir = new File(args[6]);
    long total = Math.round(rate * seconds);
    long start = ReplayClock.nowEpochMicros() + warmup * 1_000_000L;
    long end = start + seconds * 1_000_000L;
    ReplaySettings settings =
        new ReplaySettings(
            "bench-" + System.nanoTime(), ConnectionSettings.masterUrl(url)
                .insecureSkipTlsVerify(url.startsWith("https:")) // the bench's throwaway certificate
                .disableHttp2(Boolean.getBoolean("kreplay.disableHttp2")), false, inFlight, 60_000, start, end,
            end + 10_000_000, 5_000, 0)
        .withConns(Integer.getInteger("kreplay.conns", inFlight));
    System.out.printf(Locale.ROOT, "sender only: %d requests on %d shards (%s client); shared start (epoch ms %d)%n",
        total, shards, settings.target.isDisableHttp2() || !url.startsWith("https:") ? "Vert.x, HTTP/1.1" : "JDK, HTTP/2 by ALPN", start / 1000);
    List<ShardRun> runs = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      runs.add(ShardRun.of(settings, s));
    }
    SenderWarmUp.await(); // its CPU is not the replay's
    long cpuBefore = processCpuNanos();
    long leadMicros = 500_000;
    for (long i = 0; i < total; i++) {
      long ms = Math.round(i * 1000.0 / rate);
      long due = start + ms * 1000;
      long wait = due - leadMicros - ReplayClock.nowEpochMicros();
      if (wait > 0) {
        Thread.sleep(Math.max(1, Math.min(wait / 1000, 250)));
      }
      String name = "t" + ms + "-" + i;
      ReplayRequest r =
          new ReplayRequest(0, i, ms, Verb.DELETE, "bench", "pods", name, "/api/v1/namespaces/bench/pods/" + name, "", "");
      runs.get((int) (i % shards)).schedule(r, due);
    }
    HistogramSet all = new HistogramSet();
    for (ShardRun run : runs) {
      while (!run.idle() && ReplayClock.nowEpochMicros() < end + 20_000_000) {
        Thread.sleep(50);
      }
      HistogramSet m = run.drain();
      if (m != null) {
        all.merge(m);
      }
      run.close();
    }
    long cpu = processCpuNanos() - cpuBefore;
    Stats s = all.rollUp(-1);
    System.out.printf(Locale.ROOT, "process CPU while sending: %.1f s, %.0f µs per request%n",
        cpu / 1e9, cpu / 1e3 / Math.max(1, s.total()));
    if (!s.errors().isEmpty()) {
      System.out.println("errors: " + s.errors());
    }
    reportDir.mkdirs();
    ObjectMapper m = new ObjectMapper();
    ObjectNode report = m.createObjectNode();
    ObjectNode a = report.putObject("aggregated");
    a.put("total", s.total());
    a.put("totalRun", s.ok() + s.failed());
    a.put("totalFailed", s.failed());
    a.put("skipped", s.skipped());
    a.set("lagPercentiles", percentiles(m, s.lag()));
    a.set("servicePercentiles", percentiles(m, s.service()));
    m.writeValue(new File(reportDir, "report.json"), report);
    System.exit(0);
  }

  private static ArrayNode percentiles(ObjectMapper m, Histogram h) {
    ArrayNode out = m.createArrayNode();
    for (double p : new double[] {0, 0.5, 0.9, 0.95, 0.99, 1.0}) {
      long micros = p == 1.0 ? h.getMaxValue() : h.getValueAtPercentile(p * 100);
      out.addArray().add(p).add(micros / 1e6);
    }
    return out;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
