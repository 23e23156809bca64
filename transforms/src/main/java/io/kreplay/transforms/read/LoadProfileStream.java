package io.kreplay.transforms.read;

import com.fasterxml.jackson.core.JsonParser;
import io.kreplay.transforms.model.LoadKind;
import io.kreplay.transforms.model.LoadSpec;
import io.kreplay.transforms.model.ProfileSpec;
import io.kreplay.transforms.model.ReplayRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Expands a kperf load profile into timestamped requests, one spec (= one phase) after the
 * other, generating each request when asked: a one-hour phase at 1,000 req/s is never a list.
 *
 * <p>Arrivals are an open model at the spec's {@code rate}: evenly spaced ({@code i / rate}) or,
 * with {@link Arrivals#POISSON}, exponential gaps of mean {@code 1 / rate}, for {@code duration}
 * seconds or until {@code total} requests, whichever comes first. Each request's kind is a
 * weighted choice by {@code shares}. All randomness (choice, gaps, generated names and values)
 * comes from one {@link SplittableRandom} per spec, seeded from {@code seed} and the spec's
 * position, so the same profile and seed give the same requests, and a spec's requests do not
 * depend on the specs before it.
 *
 * <p>Timestamps are milliseconds from the phase's start (phases are placed by the manifest).
 */
public final class LoadProfileStream implements RequestStream {
  /** How arrivals are spaced. */
  public enum Arrivals {
    EVEN,
    POISSON;

    public static Arrivals parse(String text) {
      for (Arrivals a : values()) {
        if (a.name().equalsIgnoreCase(text)) {
          return a;
        }
      }
      throw new IllegalArgumentException("must be even or poisson, got '" + text + "'");
    }
  }

  private final String source;
  private final String sourceName;
  private final int firstPhase;
  private final long seed;
  private final Arrivals arrivals;
  private final InputStream in;
  private final LoadProfile profile;

  private int spec = -1;
  private Generator generator;
  private long entries;

  LoadProfileStream(
      ProfileSource source, InputStream in, JsonParser parser, long seed, Arrivals arrivals, ProfileProblems problems) {
    this.source = source.displayName();
    this.sourceName = PhaseNames.of(this.source);
    this.firstPhase = source.phase;
    this.seed = seed;
    this.arrivals = arrivals;
    this.in = in;
    LoadProfile p = new LoadProfile();
    long before = problems.total;
    try {
      p = LoadProfileReader.read(this.source, parser, problems);
    } catch (IOException e) {
      problems.add(this.source, "profile", 0, null, ProfileReader.readErrorMessage(e, this.source));
    }
    this.profile = p;
    if (problems.total != before) {
      spec = profile.specs.size(); // nothing to expand
    }
    for (int i = 0; i < profile.specs.size(); i++) {
      LoadSpec s = profile.specs.get(i).settings;
      s.arrivals = arrivals.name().toLowerCase(Locale.ROOT);
      s.seed = seed;
      for (LoadRequest r : profile.specs.get(i).requests) {
        if (r.kind != null) {
          s.shares.merge(r.kind, (long) Math.max(0, r.shares), Long::sum);
        }
      }
    }
  }

  @Override
  public ReplayRequest next() {
    while (true) {
      if (generator != null) {
        ReplayRequest r = generator.next();
        if (r != null) {
          entries++;
          return r;
        }
        generator = null;
      }
      if (spec + 1 >= profile.specs.size()) {
        return null;
      }
      spec++;
      generator = new Generator(spec, profile.specs.get(spec));
    }
  }

  @Override
  public long entries() {
    return entries;
  }

  @Override
  public long accepted() {
    return entries;
  }

  @Override
  public String description() {
    return profile.description;
  }

  @Override
  public int phaseCount() {
    return Math.max(1, profile.specs.size());
  }

  @Override
  public List<PhaseInfo> phases() {
    List<PhaseInfo> out = new ArrayList<>();
    for (int i = 0; i < profile.specs.size(); i++) {
      LoadProfile.Spec s = profile.specs.get(i);
      ProfileSpec equivalent = new ProfileSpec();
      equivalent.connsPerRunner = s.settings.conns;
      equivalent.clientsPerRunner = s.settings.client;
      equivalent.contentType = s.settings.contentType;
      equivalent.disableHTTP2 = s.settings.disableHTTP2;
      String name = s.name != null ? s.name : profile.specs.size() == 1 ? sourceName : sourceName + "-" + i;
      out.add(new PhaseInfo(firstPhase + i, name, s.settings.phaseDurationMs(), equivalent, s.settings));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
    }
  }

  /** The seed of spec {@code index}: independent streams for independent specs. */
  static long specSeed(long seed, int index) {
    return new SplittableRandom(seed).split().nextLong() ^ (0x9E3779B97F4A7C15L * (index + 1));
  }

  /** One spec's requests, generated on demand. */
  private final class Generator {
    private final int phase;
    private final LoadProfile.Spec spec;
    private final SplittableRandom random;
    private final long durationMs;
    private final long maxCount;
    private final double rate;
    private final long[] cumulativeShares;
    private final long[] postDelCreated;
    private final long[] postDelDeleted;
    private final String namePrefix;
    private long count;
    private double poissonClockMs;

    Generator(int index, LoadProfile.Spec spec) {
      this.phase = firstPhase + index;
      this.spec = spec;
      this.random = new SplittableRandom(specSeed(seed, index));
      this.durationMs = spec.settings.phaseDurationMs();
      this.maxCount = spec.settings.total > 0 ? spec.settings.total : Long.MAX_VALUE;
      this.rate = spec.settings.rate;
      this.cumulativeShares = new long[spec.requests.size()];
      long sum = 0;
      for (int i = 0; i < cumulativeShares.length; i++) {
        sum += Math.max(0, spec.requests.get(i).shares);
        cumulativeShares[i] = sum;
      }
      this.postDelCreated = new long[spec.requests.size()];
      this.postDelDeleted = new long[spec.requests.size()];
      // Objects postDel creates: unique per seed and spec, so two runs with different seeds
      // against one cluster do not collide.
      this.namePrefix = "kreplay-" + Long.toHexString(seed) + "-" + index + "-";
    }

    ReplayRequest next() {
      if (count >= maxCount) {
        return null;
      }
      double atMs;
      if (arrivals == Arrivals.POISSON) {
        if (count > 0) {
          // Exponential gap, mean 1/rate; 1 - u is in (0, 1] so the log is finite.
          poissonClockMs += -Math.log(1 - random.nextDouble()) * 1000.0 / rate;
        }
        atMs = poissonClockMs;
      } else {
        atMs = count * 1000.0 / rate;
      }
      if (atMs >= durationMs) {
        return null;
      }
      long sequence = count++;
      int pick = pick();
      return build(spec.requests.get(pick), pick, (long) Math.floor(atMs), sequence);
    }

    private int pick() {
      long total = cumulativeShares[cumulativeShares.length - 1];
      long x = random.nextLong(total);
      for (int i = 0; i < cumulativeShares.length; i++) {
        if (x < cumulativeShares[i]) {
          return i;
        }
      }
      throw new IllegalStateException("unreachable: shares " + total);
    }

    private ReplayRequest build(LoadRequest r, int index, long t, long seq) {
      String collection = LoadPaths.collection(r.group, r.version, r.namespace, r.resource);
      Query q = new Query();
      switch (r.kind) {
        case LoadRequest.STALE_LIST:
          q.add("fieldSelector", r.fieldSelector).add("resourceVersion", "0");
          return request(seq, t, LoadKind.STALE_LIST, r, "", collection + q, "", r.selector);
        case LoadRequest.QUORUM_LIST:
          q.add("fieldSelector", r.fieldSelector).add("limit", r.limit > 0 ? Long.toString(r.limit) : "");
          return request(seq, t, LoadKind.QUORUM_LIST, r, "", collection + q, "", r.selector);
        case LoadRequest.WATCH_LIST:
          q.add("allowWatchBookmarks", "true")
              .add("fieldSelector", r.fieldSelector)
              .add("resourceVersionMatch", "NotOlderThan")
              .add("sendInitialEvents", "true");
          return request(seq, t, LoadKind.WATCH_LIST, r, "", collection + q, "", r.selector);
        case LoadRequest.STALE_GET:
          return request(seq, t, LoadKind.STALE_GET, r, r.name, collection + "/" + r.name + "?resourceVersion=0", "", "");
        case LoadRequest.QUORUM_GET:
          return request(seq, t, LoadKind.QUORUM_GET, r, r.name, collection + "/" + r.name, "", "");
        case LoadRequest.PUT: {
          String name = r.name + "-" + random.nextLong(r.keySpaceSize);
          return request(seq, t, LoadKind.PUT, r, name, collection + "/" + name, LoadBodies.put(r, name, random), "");
        }
        case LoadRequest.PATCH: {
          String name = r.name + "-" + random.nextLong(r.keySpaceSize);
          LoadKind kind =
              r.patchType.equals("json") ? LoadKind.PATCH_JSON : r.patchType.equals("merge") ? LoadKind.PATCH_MERGE
                  : LoadKind.PATCH_STRATEGIC;
          return request(seq, t, kind, r, name, collection + "/" + name, r.body, "");
        }
        case LoadRequest.GET_POD_LOG: {
          q.add("container", r.container)
              .add("limitBytes", r.limitBytes == null ? "" : r.limitBytes.toString())
              .add("tailLines", r.tailLines == null ? "" : r.tailLines.toString());
          String path = "/api/v1/namespaces/" + r.namespace + "/pods/" + r.name + "/log" + q;
          return new ReplayRequest(phase, seq, t, LoadKind.POD_LOG.verb(), r.namespace, "pods", r.name, path, "", "",
              LoadKind.POD_LOG);
        }
        case LoadRequest.POST_DEL:
        default: {
          // Delete, oldest first, a created object with probability deleteRatio; else create.
          boolean delete = random.nextDouble() < r.deleteRatio && postDelDeleted[index] < postDelCreated[index];
          if (delete) {
            String name = namePrefix + index + "-" + postDelDeleted[index]++;
            return request(seq, t, LoadKind.DELETE, r, name, collection + "/" + name, "", "");
          }
          String name = namePrefix + index + "-" + postDelCreated[index]++;
          return request(seq, t, LoadKind.POST, r, name, collection, LoadBodies.create(r, name), "");
        }
      }
    }

    private ReplayRequest request(
        long seq, long t, LoadKind kind, LoadRequest r, String name, String apiPath, String body, String selector) {
      return new ReplayRequest(phase, seq, t, kind.verb(), r.namespace, r.resource, name, apiPath, body, selector, kind);
    }
  }

  /** Query parameters in the order given, empty values left out (kperf omits zero options). */
  private static final class Query {
    private final StringBuilder sb = new StringBuilder();

    Query add(String key, String value) {
      if (value != null && !value.isEmpty()) {
        sb.append(sb.length() == 0 ? '?' : '&').append(key).append('=').append(LoadPaths.escape(value));
      }
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
