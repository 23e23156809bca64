package io.kreplay.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kreplay.pipeline.Kreplay;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code kreplay replay --runner=DataflowRunner ...} as far as it goes without a Google Cloud
 * project: DataflowRunner applies its overrides, translates the graph (every DoFn and coder is
 * serialized into the job), stages kreplay's classes and the pipeline proto, and, because
 * {@code --templateLocation} is set, writes the job specification to a file instead of calling
 * the Dataflow API. A DoFn that does not serialize or a PCollection without a usable coder fails
 * here. No credentials (NoopCredentialFactory), no bucket checks (NoopPathValidator), no network:
 * staging and the template go to local directories; the report URI is a gs:// URI, passed on as
 * is.
 */
public class DataflowTranslationTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final Path SAMPLE = Paths.get("..", "..", "samples", "pod-lifecycle.yaml").toAbsolutePath().normalize();

  @Test
  public void theReplayGraphTranslatesToAStreamingDataflowJob() throws Exception {
    File plan = tmp.newFolder("plan");
    File staging = tmp.newFolder("staging");
    File template = new File(tmp.getRoot(), "kreplay-job.json");
    Run planned = kreplay("plan", "--profile=" + SAMPLE, "--plan=" + plan);
    assertEquals(planned.err, 0, planned.code);

    Run r =
        kreplay(
            "replay",
            "--plan=" + plan,
            "--report=gs://kreplay-nightly/reports/2026-11-24",
            "--master=https://kube-apiserver.staging.example:6443",
            "--runner=DataflowRunner",
            "--project=kreplay-offline-check",
            "--region=europe-west1",
            "--gcpTempLocation=gs://kreplay-nightly/tmp",
            "--stagingLocation=" + staging,
            "--templateLocation=" + template,
            "--numWorkers=2",
            "--maxNumWorkers=2",
            "--streaming=true",
            "--enableStreamingEngine=true",
            "--filesToStage=" + String.join(",", kreplayClasses()),
            "--pathValidatorClass=" + NoopPathValidator.class.getName(),
            "--credentialFactoryClass=" + NoopCredentialFactory.class.getName());
    // A template is written, not run: kreplay says so and exits 3 (the pipeline did not run).
    assertTrue("template written: " + r.err, template.isFile());
    assertEquals(r.err, 3, r.code);
    assertThat(r.err, containsString("template"));

    JsonNode job = new ObjectMapper().readTree(template);
    assertEquals("JOB_TYPE_STREAMING", job.get("type").asText());
    List<String> steps = new ArrayList<>();
    for (JsonNode step : job.get("steps")) {
      steps.add(step.get("kind").asText() + " " + step.get("properties").get("user_name").get("value").asText());
    }
    assertThat(steps.toString(), steps, hasItem(containsString("SplittableProcessKeyed ReplayShards/")));
    assertThat(steps.toString(), steps, hasItem(containsString("CombineHistograms")));
    assertThat(steps.toString(), steps, hasItem(containsString("WriteReport")));
    // The options travel with the job: the report URI unchanged, not made a local path.
    JsonNode options = job.get("environment").get("sdkPipelineOptions").get("options");
    assertEquals("gs://kreplay-nightly/reports/2026-11-24", options.get("report").asText());
    assertEquals(2, options.get("numWorkers").asInt());
    assertTrue("kreplay's classes were staged", staging.list().length > 0);
  }

  private static List<String> kreplayClasses() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator))
        .filter(e -> e.endsWith("/transforms/target/classes") || e.endsWith("/pipeline/target/classes") || e.contains("/io/kreplay/"))
        .collect(Collectors.toList());
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
}
