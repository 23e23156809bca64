package io.kreplay.transforms.plan;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.partition.PartitionByObject;
import io.kreplay.transforms.read.PhaseInfo;
import io.kreplay.transforms.read.ProfileSource;
import io.kreplay.transforms.read.ProfileStreams;
import io.kreplay.transforms.read.RequestStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming pass over one profile: read, validate, partition, and (when planning) append
 * each request to its (shard, window) segment.
 *
 * <p>A profile's requests are sorted by timestamp (a validation rule), so appending them in
 * profile order yields time-sorted segments with ties in profile order, without a sort and
 * with one open file per shard. That is what lets a 10M-request profile plan in a small heap
 * on any runner: the requests are never a collection, only the segment list is.
 */
public final class ProfileScanner {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileScanner.class);

  /** Called for every valid request; lets callers count or sample without a second pass. */
  public interface Listener {
    void accept(ReplayRequest request, int shard);
  }

  private ProfileScanner() {}

  public static ScanResult scan(ProfileSource source, PlanConfig config) throws IOException {
    return scan(source, config, (r, s) -> {});
  }

  public static ScanResult scan(ProfileSource source, PlanConfig config, Listener listener)
      throws IOException {
    ScanResult result = new ScanResult();
    result.phase = source.phase;
    result.source = source.displayName();
    result.perShard = new long[config.shards];
    ResourceId planDir =
        config.planDir == null ? null : FileSystems.matchNewResource(config.planDir, true);
    SegmentWriter[] open = new SegmentWriter[config.shards];
    boolean writing = planDir != null;
    java.util.Map<Integer, ScanResult.Part> parts = new java.util.HashMap<>();
    try (RequestStream reader = ProfileStreams.open(source, config.limits, config.streams, result.problems)) {
      ReplayRequest r;
      while ((r = reader.next()) != null) {
        int shard = PartitionByObject.shardOf(r, config.shards, config.partitioner);
        result.perShard[shard]++;
        result.verbs.merge(r.verbLabel(), 1L, Long::sum);
        ScanResult.Part part = parts.computeIfAbsent(r.phase(), p -> newPart(config.shards));
        part.requests++;
        part.perShard[shard]++;
        part.verbs.merge(r.verbLabel(), 1L, Long::sum);
        listener.accept(r, shard);
        if (writing && !result.problems.isEmpty()) {
          // The plan will not be used; stop spending disk on it but keep validating.
          closeAll(open, result.segments);
          writing = false;
        }
        if (writing) {
          long window = r.timestampMs() / config.windowMs;
          SegmentWriter w = open[shard];
          if (w == null || w.info().window != window || w.info().phase != r.phase()) {
            if (w != null) {
              w.close();
              result.segments.add(w.info());
            }
            w = new SegmentWriter(planDir, r.phase(), shard, window);
            open[shard] = w;
          }
          w.write(r);
        }
      }
      result.requests = reader.accepted();
      result.entries = reader.entries();
      result.description = reader.description();
      for (PhaseInfo info : reader.phases()) {
        ScanResult.Part part = parts.getOrDefault(info.index, newPart(config.shards));
        part.index = info.index;
        part.name = info.name;
        part.durationMs = info.durationMs;
        part.spec = info.spec;
        part.load = info.load;
        result.parts.add(part);
        result.durationMs += info.durationMs;
      }
      result.spec = result.parts.isEmpty() ? null : result.parts.get(0).spec;
    } finally {
      closeAll(open, result.segments);
    }
    if (!result.problems.isEmpty() && planDir != null) {
      deleteSegments(planDir, result);
    }
    return result;
  }

  private static ScanResult.Part newPart(int shards) {
    ScanResult.Part p = new ScanResult.Part();
    p.perShard = new long[shards];
    return p;
  }

  private static void closeAll(SegmentWriter[] open, List<SegmentInfo> done) throws IOException {
    for (int i = 0; i < open.length; i++) {
      if (open[i] != null) {
        open[i].close();
        done.add(open[i].info());
        open[i] = null;
      }
    }
  }

  /** An invalid profile leaves no segments behind (best effort: the manifest is what counts). */
  private static void deleteSegments(ResourceId planDir, ScanResult result) {
    List<ResourceId> files = new ArrayList<>();
    for (SegmentInfo s : result.segments) {
      files.add(planDir.resolve(s.path, org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE));
    }
    try {
      FileSystems.delete(files, org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      LOG.warn("could not delete the segments of invalid profile {}: {}", result.source, e.toString());
    }
    result.segments.clear();
  }
}
