package io.kreplay.runners.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kreplay.pipeline.Kreplay;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code kreplay replay --runner=FlinkRunner --flinkMaster=host:port}: the replay is submitted
 * over REST to a Flink 1.19 cluster running in another JVM ({@link FlinkClusterMain}) whose class
 * path lacks kreplay, so the job runs only with what it staged (--filesToStage): the shaded
 * {@code kreplay-flink.jar} when the build made one ({@code mvn -Pflink install}; the cluster
 * then has Flink alone), else kreplay's own classes (the cluster then carries the libraries).
 * The requests go to the embedded API on loopback in this JVM; the report must come back
 * complete.
 */
public class FlinkRemoteSubmissionTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final Path SAMPLE = Paths.get("..", "..", "samples", "pod-lifecycle.yaml").toAbsolutePath().normalize();

  private Process cluster;
  private String restAddress;

  @Before
  public void startCluster() throws Exception {
    long t0 = System.nanoTime();
    File log = new File("target", "flink-cluster.log");
    Path ready = tmp.getRoot().toPath().resolve("flink-rest-address");
    ProcessBuilder pb =
        new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx640m",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp",
            String.join(File.pathSeparator, clusterClassPath()),
            FlinkClusterMain.class.getName(),
            "4",
            ready.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log);
    cluster = pb.start();
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!ready.toFile().exists() && cluster.isAlive() && System.nanoTime() < giveUp) {
      Thread.sleep(100);
    }
    if (ready.toFile().exists()) {
      restAddress = Files.readString(ready).trim();
    }
    assertNotNull("the Flink cluster did not start; see " + log.getAbsolutePath(), restAddress);
    System.out.printf(Locale.ROOT, "flink cluster up at %s in %.1f s%n", restAddress, (System.nanoTime() - t0) / 1e9);
  }

  @After
  public void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.getOutputStream().close(); // FlinkClusterMain stops when stdin closes
      if (!cluster.waitFor(20, TimeUnit.SECONDS)) {
        cluster.destroyForcibly();
      }
    }
  }

  @Test
  public void aReplaySubmittedOverRestComesBackWithACompleteReport() throws Exception {
    // Plan here (DirectRunner), replay there: what a nightly job does with a big plan.
    File plan = tmp.newFolder("plan");
    File report = tmp.newFolder("report");
    Run planned = kreplay("plan", "--profile=" + SAMPLE, "--plan=" + plan);
    assertEquals(planned.err, 0, planned.code);

    List<String> staged = filesToStage();
    long t0 = System.nanoTime();
    Run r =
        kreplay(
            "replay",
            "--plan=" + plan,
            "--report=" + report,
            "--runner=FlinkRunner",
            "--flinkMaster=" + restAddress,
            "--filesToStage=" + String.join(",", staged),
            "--parallelism=2",
            "--speed=4",
            "--warmupSeconds=" + warmupSeconds(),
            "--graceSeconds=10");
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.print(r.out);
    System.out.printf(
        Locale.ROOT,
        "flink remote: staged %d files (%.1f MB); submit to complete %.1f s (%d s warm-up, 3 s replay)%n",
        staged.size(), staged.stream().mapToLong(f -> new File(f).length()).sum() / 1e6, seconds, warmupSeconds());
    assertEquals(r.err, 0, r.code);
    assertThat(r.out, containsString("starting an embedded Kubernetes API"));

    JsonNode a = new ObjectMapper().readTree(new File(report, "report.json")).get("aggregated");
    long total = a.get("total").asLong();
    long failed = a.get("totalFailed").asLong();
    long ok = a.get("totalRun").asLong() - failed;
    long skipped = a.get("skipped").asLong();
    assertEquals("every planned request is in the report", 18, total);
    assertEquals(total, ok + failed + skipped);
    assertTrue("requests were sent from the cluster: " + a, ok > 0);
  }

  /**
   * Submission and task start-up must fit in the warm-up, or every request is overdue: ~15-25 s
   * on this shared 2-core machine with 13 MB staged; ~35-40 s with the 188 MB shaded jar.
   */
  static int warmupSeconds() {
    return shadedJar() != null ? 60 : 25;
  }

  static final class Run {
    int code;
    String out;
    String err;
  }

  static Run kreplay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Run r = new Run();
    r.code = Kreplay.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    r.out = out.toString(StandardCharsets.UTF_8);
    r.err = err.toString(StandardCharsets.UTF_8);
    return r;
  }

  private static List<String> classPath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator))
        .filter(s -> !s.isEmpty() && new File(s).exists())
        .collect(Collectors.toList());
  }

  /** kreplay's own classes: the staged jars must bring them (and only they can). */
  private static boolean isKreplay(String entry) {
    String p = entry.replace('\\', '/');
    return p.contains("/io/kreplay/") || p.endsWith("/transforms/target/classes") || p.endsWith("/pipeline/target/classes");
  }

  /** What the job's own jars bring when the shaded jar is staged: Beam, fabric8 and theirs. */
  private static boolean isJobLibrary(String entry) {
    String p = entry.replace('\\', '/');
    return p.contains("/org/apache/beam/") || p.contains("/io/fabric8/") || p.contains("/io/vertx/")
        || p.contains("/io/netty/") || p.contains("/org/hdrhistogram/");
  }

  /**
   * The cluster's class path (its lib/ directory). With the shaded jar: Flink and its own
   * dependencies only. Without: also the libraries, as on a cluster whose lib/ carries them, so
   * that less travels (a 144 MB upload of the whole class path took most of a minute on this
   * shared machine).
   */
  static List<String> clusterClassPath() {
    boolean shaded = shadedJar() != null;
    List<String> staged = filesToStage();
    return classPath().stream()
        .filter(e -> !isKreplay(e) && !staged.contains(e) && !e.contains("/beam-runners-direct-java/"))
        .filter(e -> !(shaded && isJobLibrary(e)))
        .collect(Collectors.toList());
  }

  /**
   * The shaded jar if the build made one, else kreplay's own classes (zipped by Beam) and Beam's
   * jars. Beam must travel with the job even when the cluster has it: Beam's Flink source
   * deserializes its splits on the JobManager with Beam's own class loader, which sees kreplay's
   * coders only when Beam came from the job's jars. Beam's vendored gRPC/Guava (self-contained,
   * 25 MB) and the DirectRunner (not used there) stay on the cluster.
   */
  static List<String> filesToStage() {
    String shaded = shadedJar();
    if (shaded != null) {
      return List.of(shaded);
    }
    return classPath().stream()
        .filter(
            e -> {
              String p = e.replace('\\', '/');
              return isKreplay(e)
                  || (p.contains("/org/apache/beam/") && !p.contains("/beam-vendor-") && !p.contains("/beam-runners-direct-java/"));
            })
        .collect(Collectors.toList());
  }

  private static String shadedJar() {
    String shaded = System.getProperty("kreplay.flinkJar");
    return shaded != null && !shaded.isEmpty() && new File(shaded).isFile() ? shaded : null;
  }
}
