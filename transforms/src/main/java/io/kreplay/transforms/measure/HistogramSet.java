package io.kreplay.transforms.measure;

import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stats keyed by (phase, method, masked URL): what one shard records, and what the combine step
 * merges across shards and workers into the report's per-phase and aggregate views.
 */
public final class HistogramSet {
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

    /** kperf's per-URL key: {@code "<METHOD> <maskedURL>"}. */
    public String methodAndUrl() {
      return method + " " + url;
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

  public HistogramSet add(Outcome o) {
    byKey.computeIfAbsent(new Key(o.phase, o.method, o.url), k -> new Stats()).add(o);
    return this;
  }

  public HistogramSet merge(HistogramSet other) {
    other.byKey.forEach((k, s) -> byKey.computeIfAbsent(k, x -> new Stats()).merge(s));
    return this;
  }

  public SortedSet<Integer> phases() {
    TreeSet<Integer> phases = new TreeSet<>();
    byKey.keySet().forEach(k -> phases.add(k.phase));
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

  public Map<Key, Stats> entries() {
    return byKey;
  }

  public boolean isEmpty() {
    return byKey.isEmpty();
  }
}
