package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of every command that sends requests: target, pacing, limits, report. */
public interface ReplayOptions extends PipelineOptions, ReportOptions, ThresholdOptions {
  @Description("Directory (any Beam filesystem) for the report: report.json, latency.hlog, histograms.bin, ...")
  @Default.String("kreplay-report")
  String getReport();

  void setReport(String value);

  @Description(
      "kubeconfig of the target cluster; fabric8 reads its auth, TLS and contexts. Without "
          + "--kubeconfig or --master (and outside a pod), an embedded API on loopback is the target.")
  String getKubeconfig();

  void setKubeconfig(String value);

  @Description("kubeconfig context to use (default: its current context).")
  String getContext();

  void setContext(String value);

  @Description("API server URL, for a server without a kubeconfig (e.g. a local test server).")
  String getMaster();

  void setMaster(String value);

  @Description("Use the pod's service account when running inside a cluster.")
  @Default.Boolean(false)
  boolean getInCluster();

  void setInCluster(boolean value);

  @Description("Do not verify the API server's TLS certificate. Verification is on by default.")
  @Default.Boolean(false)
  boolean getInsecureSkipTlsVerify();

  void setInsecureSkipTlsVerify(boolean value);

  @Description(
      "HTTP/1.1 only (kperf's disableHTTP2): true sends through fabric8's Vert.x client, false "
          + "through its JDK client, which negotiates HTTP/2 (ALPN on TLS, h2c upgrade on cleartext). "
          + "Default: the profile's spec.disableHTTP2 (a load profile's, per spec); given, it holds for every phase.")
  Boolean getDisableHttp2();

  void setDisableHttp2(Boolean value);

  @Description("Replay speed: 2 replays the profile's timeline twice as fast.")
  @Default.Double(1.0)
  double getSpeed();

  void setSpeed(double value);

  @Description(
      "The shared start instant of every shard: ISO-8601 (2026-11-24T10:30:00Z) or epoch "
          + "milliseconds. Must be in the future. Default: now + --warmupSeconds.")
  String getStartAt();

  void setStartAt(String value);

  @Description(
      "Per-object ordering: 'timestamp' dispatches each object's requests in timestamp order; "
          + "'strict' also waits for the object's previous request to be answered (the wait is lag).")
  @Default.String("timestamp")
  String getOrdering();

  void setOrdering(String value);

  @Description("Seconds from submission to the shared start instant, for workers to come up.")
  @Default.Integer(5)
  int getWarmupSeconds();

  void setWarmupSeconds(int value);

  @Description(
      "Requests each worker JVM sends to a null API server of its own (in the JVM, on loopback; "
          + "never the target) before the shared start, so its sending code is compiled before "
          + "the replay is due. Stops 1 s before the start whatever the count; 0 turns it off.")
  @Default.Integer(30_000)
  int getWarmUpRequests();

  void setWarmUpRequests(int value);

  @Description("Milliseconds before its due time a request is handed to its shard's sender.")
  @Default.Integer(500)
  int getLeadMillis();

  void setLeadMillis(int value);

  @Description("Seconds after the last request is due before anything still open is stopped and counted.")
  @Default.Integer(30)
  int getGraceSeconds();

  void setGraceSeconds(int value);

  @Description("Timeout of one request (not WATCH), in seconds.")
  @Default.Integer(60)
  int getRequestTimeoutSeconds();

  void setRequestTimeoutSeconds(int value);

  @Description("Requests in flight per shard; more wait and count as lag. Default: the profile's "
      + "clientsPerRunner (0 means connsPerRunner).")
  Integer getMaxInFlight();

  void setMaxInFlight(Integer value);

  @Description("Connections per shard to the API server; requests beyond them wait (HTTP/1.1) or share "
      + "them as streams (HTTP/2, at most 250 per connection). Default: the profile's connsPerRunner, a "
      + "load phase's conns split across shards.")
  Integer getConns();

  void setConns(Integer value);

  @Description(
      "Seconds between measurement flushes from each shard to the run's merge (the timeline's "
          + "resolution is --timelineSeconds, not this). Each flush is merged into the run's "
          + "accumulator, which the DirectRunner copies whole per merge, so flushes are rare.")
  @Default.Integer(60)
  int getFlushSeconds();

  void setFlushSeconds(int value);

  @Description("Stop the replay early, still writing the report, when the heap is this full after a garbage "
      + "collection (fraction of -Xmx): nothing more is sent, the rest counts as skipped, report.json says "
      + "run.stoppedBy: heap, and the exit code is 3. 0 turns the guard off.")
  @Default.Double(0.9)
  double getHeapStopFraction();

  void setHeapStopFraction(double value);

  @Description("Cap on requests per second for the whole replay, split evenly across shards; "
      + "requests held back leave late (measured as lag), never dropped. 0: no cap.")
  @Default.Double(0)
  double getMaxQps();

  void setMaxQps(double value);
}
