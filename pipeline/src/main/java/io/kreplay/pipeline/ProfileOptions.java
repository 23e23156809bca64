package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of every command that reads profiles. */
public interface ProfileOptions extends PipelineOptions {
  @Description(
      "Replay profiles, comma-separated, replayed back to back as phases: local paths, globs, "
          + "Beam filesystem URIs (gs://, s3://, ...) or http(s) URLs. gzip is detected by content.")
  String getProfile();

  void setProfile(String value);

  @Description("Number of shards (kperf's runners). Default: the first profile's spec.runnerCount; "
      + "1 for a load profile (kperf runs a load profile on one runner).")
  Integer getShards();

  void setShards(Integer value);

  @Description(
      "How object keys map to shards: jump (jump consistent hash of FNV-1a, stable when the shard "
          + "count changes) or kperf (FNV-1a mod shards, kperf's own assignment).")
  @Default.String("jump")
  String getPartitioner();

  void setPartitioner(String value);

  @Description("Width of the plan's time windows: each shard gets one segment file per window.")
  @Default.Integer(60)
  int getPlanWindowSeconds();

  void setPlanWindowSeconds(int value);

  @Description("Largest profile to download or read before decompression, in bytes.")
  @Default.Long(4L << 30)
  long getMaxDownloadBytes();

  void setMaxDownloadBytes(long value);

  @Description("Largest profile after gzip decompression, in bytes (stops gzip bombs).")
  @Default.Long(32L << 30)
  long getMaxDecompressedBytes();

  void setMaxDecompressedBytes(long value);

  @Description("Connect timeout for http(s) profiles, in seconds.")
  @Default.Integer(10)
  int getUrlConnectTimeoutSeconds();

  void setUrlConnectTimeoutSeconds(int value);

  @Description("Longest wait for more bytes of an http(s) profile, in seconds.")
  @Default.Integer(60)
  int getUrlReadTimeoutSeconds();

  void setUrlReadTimeoutSeconds(int value);

  @Description("Load profiles: seed of the weighted choice of request kinds, generated names and "
      + "Poisson gaps. The same profile and seed give the same requests.")
  @Default.Long(1)
  long getSeed();

  void setSeed(long value);

  @Description("Load profiles: how arrivals are spaced at each spec's rate: even (1/rate apart) or "
      + "poisson (exponential gaps, mean 1/rate).")
  @Default.String("even")
  String getArrivals();

  void setArrivals(String value);

  @Description("Replay profile: split it into named time ranges, name@offset,... with offsets in "
      + "seconds or Go durations (warmup@0,peak@5m,cooldown@1h). Overrides the profile's phases: "
      + "header. Default: one phase named after the profile.")
  String getPhases();

  void setPhases(String value);

  @Description("Seconds of pause between the phases of consecutive profiles in --profile.")
  @Default.Double(0)
  double getPhaseGapSeconds();

  void setPhaseGapSeconds(double value);
}
