package io.kreplay.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@code kreplay generate}: a valid synthetic replay profile of N requests over D seconds on K
 * pods, streamed to disk (a 10M-request profile never exists in memory). Each pod walks a
 * lifecycle, so a replay of it makes sense to an API server: create, get, patch, apply, list
 * by label, get, delete; every 500th request is an unselected namespace LIST.
 */
final class GenerateCommand implements Command<GenerateOptions> {
  private static final String[] LIFECYCLE = {"CREATE", "GET", "PATCH", "APPLY", "LIST", "GET", "DELETE"};

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "Write a synthetic replay profile (N requests over D seconds on K pods) for tests and benchmarks.";
  }

  @Override
  public Class<GenerateOptions> optionsClass() {
    return GenerateOptions.class;
  }

  @Override
  public int run(GenerateOptions o, PrintStream out, PrintStream err) throws Exception {
    if (!o.getShape().equals("lifecycle") && !o.getShape().equals("deletes")) {
      throw new UsageException("--shape must be lifecycle or deletes");
    }
    if (o.getRequests() <= 0 || o.getObjects() <= 0 || o.getNamespaces() <= 0 || o.getDurationSeconds() < 0) {
      throw new UsageException("--requests, --objects and --namespaces must be > 0, --durationSeconds >= 0");
    }
    FileSystems.setDefaultPipelineOptions(o);
    OutputStream file =
        Channels.newOutputStream(FileSystems.create(FileSystems.matchNewResource(o.getOut(), false), MimeTypes.BINARY));
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(o.getGzip() ? new GZIPOutputStream(file, 1 << 16) : file, StandardCharsets.UTF_8),
            1 << 16)) {
      write(o, w);
    }
    out.printf("wrote %d requests over %.1fs on %d pods to %s%n", o.getRequests(), o.getDurationSeconds(), o.getObjects(), o.getOut());
    return 0;
  }

  static void write(GenerateOptions o, Writer w) throws IOException {
    long n = o.getRequests();
    int objects = o.getObjects();
    double spanMs = o.getDurationSeconds() * 1000.0;
    w.write("version: 1\n");
    w.write("description: synthetic pod lifecycles (" + n + " requests, " + objects + " pods)\n");
    w.write("spec:\n  runnerCount: " + o.getRunnerCount() + "\n  connsPerRunner: 4\n  clientsPerRunner: 8\n  contentType: json\n");
    w.write("requests:\n");
    StringBuilder sb = new StringBuilder(512);
    for (long i = 0; i < n; i++) {
      long t = n == 1 ? 0 : (long) (i * spanMs / (n - 1));
      int pod = (int) (i % objects);
      String ns = "ns-" + (pod % o.getNamespaces());
      String name = "pod-" + pod;
      String verb = i % 500 == 499 ? "LIST*" : LIFECYCLE[(int) ((i / objects) % LIFECYCLE.length)];
      sb.setLength(0);
      sb.append("- timestamp: ").append(t).append('\n');
      String base = "/api/v1/namespaces/" + ns + "/pods";
      if (o.getShape().equals("deletes")) {
        String target = "t" + t + "-" + i;
        entry(sb, "DELETE", ns, target, base + "/" + target, null);
        w.append(sb);
        continue;
      }
      switch (verb) {
        case "CREATE":
          entry(sb, "CREATE", ns, "", base, null);
          body(sb, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"a" + (pod % 16) + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
          break;
        case "PATCH":
          entry(sb, "PATCH", ns, name, base + "/" + name, null);
          body(sb, "{\"metadata\":{\"annotations\":{\"kreplay/step\":\"" + i + "\"}}}");
          break;
        case "APPLY":
          entry(sb, "APPLY", ns, name, base + "/" + name, null);
          body(sb, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"a" + (pod % 16) + "\",\"applied\":\"true\"}}}");
          break;
        case "LIST":
          entry(sb, "LIST", ns, "", base, "app=a" + (pod % 16));
          break;
        case "LIST*":
          entry(sb, "LIST", ns, "", base, null);
          break;
        default:
          entry(sb, verb, ns, name, base + "/" + name, null);
      }
      w.append(sb);
    }
  }

  private static void entry(StringBuilder sb, String verb, String ns, String name, String path, String selector) {
    sb.append("  verb: ").append(verb).append('\n');
    sb.append("  namespace: ").append(ns).append('\n');
    sb.append("  resourceKind: Pod\n");
    if (!name.isEmpty()) {
      sb.append("  name: ").append(name).append('\n');
    }
    sb.append("  apiPath: ").append(path).append('\n');
    if (selector != null) {
      sb.append("  labelSelector: ").append(selector).append('\n');
    }
  }

  private static void body(StringBuilder sb, String json) {
    sb.append("  body: '").append(json.replace("'", "''")).append("'\n");
  }
}
