package io.kreplay.transforms.measure;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stats keyed by (phase, method, masked URL), plus a timeline per (phase, window): what one
 * shard records, and what the combine step merges across shards and workers into the report's
 * per-phase and aggregate views.
 *
 * <p>Two limits keep it small. Distinct URLs per phase are capped ({@link #maxUrlsPerPhase}):
 * kperf does not mask GET URLs, so a trace touching 100k objects would make 100k keys of three
 * histograms each; past the cap a request counts under {@code "<METHOD> (other)"}. The
 * timeline's latency histograms keep 2 significant digits. Both settings travel with the set
 * (and its coder), so an empty accumulator takes them from the first set merged into it.
 */
public final class HistogramSet {
  /** The URL of the bucket that requests beyond the key budget fold into. */
  public static final String OTHER_URL = "(other)";

  /** (phase, method, URL); ordered so encodings and reports are stable. */
  public static final class Key implements Comparable<Key> {
    final int phase;
    final String method;
    final String url;

    public Key(int phase, String method, String url) {
      this.phase = phase;
      this.method = method;
      this.url = url;
    }

    public int phase() {
      return phase;
    }

    public String method() {
      return method;
    }

    public String url() {
      return url;
    }

    /** kperf's per-URL key: {@code "<METHOD> <maskedURL>"}. */
    public String methodAndUrl() {
      return method + " " + url;
    }

    /** The "(other)" bucket of folded URLs. */
    public boolean isOther() {
      return OTHER_URL.equals(url);
    }

    @Override
    public int compareTo(Key o) {
      int c = Integer.compare(phase, o.phase);
      if (c == 0) {
        c = method.compareTo(o.method);
      }
      return c != 0 ? c : url.compareTo(o.url);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && compareTo((Key) o) == 0;
    }

    @Override
    public int hashCode() {
      return Objects.hash(phase, method, url);
    }
  }

  final TreeMap<Key, Stats> byKey = new TreeMap<>();
  /** phase → window index → counts and latency of the requests intended in that window. */
  final TreeMap<Integer, TreeMap<Long, WindowStats>> timeline = new TreeMap<>();
  /** Timeline window length; 0 until known (an empty accumulator), then no timeline is kept. */
  long windowMicros;
  /** Distinct (method, URL) keys per phase before folding; 0 until known (no cap). */
  int maxUrlsPerPhase;
  /** Why shards stopped early ({@code "signal"}, {@code "heap"}); empty for a run that ran its course. */
  final TreeSet<String> stoppedBy = new TreeSet<>();
  /** Real (not "(other)") keys per phase; derived from {@link #byKey}. */
  private final Map<Integer, Integer> urlsPerPhase = new HashMap<>();

  /** No timeline, no key cap: what an empty accumulator starts as. */
  public HistogramSet() {}

  public HistogramSet(long windowMicros, int maxUrlsPerPhase) {
    if (windowMicros < 0 || maxUrlsPerPhase < 0) {
      throw new IllegalArgumentException("window and URL cap must be >= 0");
    }
    this.windowMicros = windowMicros;
    this.maxUrlsPerPhase = maxUrlsPerPhase;
  }

  /** Records {@code o}, with its intended time taken as relative to nanoTime 0. */
  public HistogramSet add(Outcome o) {
    return add(o, 0);
  }

  /**
   * Records {@code o}; {@code originNanos} is the shared start on the recording JVM's nanoTime
   * clock, which places the request in its timeline window by its intended send time.
   */
  public HistogramSet add(Outcome o, long originNanos) {
    statsFor(new Key(o.phase, o.method, o.url)).add(o);
    if (windowMicros > 0) {
      long index = Math.max(0, o.intendedNanos - originNanos) / 1_000 / windowMicros;
      timeline.computeIfAbsent(o.phase, p -> new TreeMap<>()).computeIfAbsent(index, i -> new WindowStats()).add(o);
    }
    return this;
  }

  public HistogramSet merge(HistogramSet other) {
    adoptSettings(other);
    stoppedBy.addAll(other.stoppedBy);
    other.byKey.forEach((k, s) -> statsFor(k).merge(s));
    other.timeline.forEach((phase, windows) -> {
      TreeMap<Long, WindowStats> mine = timeline.computeIfAbsent(phase, p -> new TreeMap<>());
      windows.forEach((i, w) -> mine.computeIfAbsent(i, x -> new WindowStats()).merge(w));
    });
    return this;
  }

  private void adoptSettings(HistogramSet other) {
    if (windowMicros == 0) {
      windowMicros = other.windowMicros;
    }
    if (other.maxUrlsPerPhase > 0 && (maxUrlsPerPhase == 0 || other.maxUrlsPerPhase < maxUrlsPerPhase)) {
      maxUrlsPerPhase = other.maxUrlsPerPhase;
    }
  }

  /** The stats of {@code key}, or of its method's "(other)" bucket once the phase is full. */
  private Stats statsFor(Key key) {
    Stats s = byKey.get(key);
    if (s != null) {
      return s;
    }
    if (!key.isOther()) {
      int urls = urlsPerPhase.getOrDefault(key.phase, 0);
      if (maxUrlsPerPhase > 0 && urls >= maxUrlsPerPhase) {
        return byKey.computeIfAbsent(new Key(key.phase, key.method, OTHER_URL), k -> new Stats());
      }
      urlsPerPhase.put(key.phase, urls + 1);
    }
    s = new Stats();
    byKey.put(key, s);
    return s;
  }

  /** For the coder: puts a decoded key as it was, whatever the budget. */
  void putDecoded(Key key, Stats stats) {
    byKey.put(key, stats);
    if (!key.isOther()) {
      urlsPerPhase.merge(key.phase, 1, Integer::sum);
    }
  }

  public SortedSet<Integer> phases() {
    TreeSet<Integer> phases = new TreeSet<>();
    byKey.keySet().forEach(k -> phases.add(k.phase));
    phases.addAll(timeline.keySet());
    return phases;
  }

  /** All of one phase; {@code phase < 0} for every phase. */
  public Stats rollUp(int phase) {
    Stats all = new Stats();
    byKey.forEach((k, s) -> {
      if (phase < 0 || k.phase == phase) {
        all.merge(s);
      }
    });
    return all;
  }

  /** Stats per {@code "<METHOD> <URL>"} of one phase; {@code phase < 0} across phases. */
  public Map<String, Stats> byUrl(int phase) {
    TreeMap<String, Stats> out = new TreeMap<>();
    byKey.forEach((k, s) -> {
      if (phase < 0 || k.phase == phase) {
        out.computeIfAbsent(k.methodAndUrl(), x -> new Stats()).merge(s);
      }
    });
    return out;
  }

  /** Requests counted under an "(other)" bucket in one phase ({@code < 0}: all phases). */
  public long foldedRequests(int phase) {
    long n = 0;
    for (Map.Entry<Key, Stats> e : byKey.entrySet()) {
      if (e.getKey().isOther() && (phase < 0 || e.getKey().phase == phase)) {
        n += e.getValue().total();
      }
    }
    return n;
  }

  /** Timeline windows of one phase ({@code < 0}: every phase merged), by window index. */
  public TreeMap<Long, WindowStats> timeline(int phase) {
    TreeMap<Long, WindowStats> out = new TreeMap<>();
    timeline.forEach((p, windows) -> {
      if (phase < 0 || p == phase) {
        windows.forEach((i, w) -> out.computeIfAbsent(i, x -> new WindowStats()).merge(w));
      }
    });
    return out;
  }

  public long windowMicros() {
    return windowMicros;
  }

  public int maxUrlsPerPhase() {
    return maxUrlsPerPhase;
  }

  public Map<Key, Stats> entries() {
    return byKey;
  }

  /** Records that a shard stopped early, and why. */
  public HistogramSet stoppedBy(String reason) {
    stoppedBy.add(reason);
    return this;
  }

  /** Why shards stopped early, sorted; empty when none did. */
  public SortedSet<String> stoppedBy() {
    return stoppedBy;
  }

  public boolean isEmpty() {
    return byKey.isEmpty() && stoppedBy.isEmpty();
  }
}
