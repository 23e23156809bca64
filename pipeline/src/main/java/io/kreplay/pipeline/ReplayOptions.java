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

  @Description("Replay speed: 2 replays the profile's timeline twice as fast.")
  @Default.Double(1.0)
  double getSpeed();

  void setSpeed(double value);

  @Description("Seconds from submission to the shared start instant, for workers to come up.")
  @Default.Integer(5)
  int getWarmupSeconds();

  void setWarmupSeconds(int value);

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

  @Description("Seconds between measurement flushes from each shard.")
  @Default.Integer(5)
  int getFlushSeconds();

  void setFlushSeconds(int value);

  @Description("Cap on requests per second for the whole replay, split evenly across shards; "
      + "requests held back leave late (measured as lag), never dropped. 0: no cap.")
  @Default.Double(0)
  double getMaxQps();

  void setMaxQps(double value);
}
