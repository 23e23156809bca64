package io.kreplay.transforms.plan;

import io.kreplay.transforms.model.JsonFiles;
import java.io.IOException;
import java.util.Collections;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes what a scan found: always the summary (with problems) to {@code summaryFile}, and,
 * only when there is no problem, {@code manifest.json} into the plan directory. The manifest is
 * written last and is what makes a directory a plan, so an invalid or half-written plan can
 * never be replayed.
 */
public final class WritePlanFiles extends PTransform<PCollection<PlanManifest>, PDone> {
  public static final String MANIFEST = "manifest.json";

  private final String planDir;
  private final String summaryFile;

  private WritePlanFiles(String planDir, String summaryFile) {
    this.planDir = planDir;
    this.summaryFile = summaryFile;
  }

  /** {@code planDir} may be null (validation only). */
  public static WritePlanFiles to(String planDir, String summaryFile) {
    return new WritePlanFiles(planDir, summaryFile);
  }

  @Override
  public PDone expand(PCollection<PlanManifest> manifest) {
    manifest.apply("WriteManifest", ParDo.of(new WriteFn(planDir, summaryFile)));
    return PDone.in(manifest.getPipeline());
  }

  /** Removes a previous plan's manifest, so a failed re-plan leaves no valid-looking plan. */
  public static void invalidate(String planDir) throws IOException {
    ResourceId manifest = manifestOf(planDir);
    FileSystems.delete(
        Collections.singletonList(manifest), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public static ResourceId manifestOf(String planDir) {
    return JsonFiles.in(planDir, MANIFEST);
  }

  private static final class WriteFn extends DoFn<PlanManifest, Void> {
    private final String planDir;
    private final String summaryFile;

    WriteFn(String planDir, String summaryFile) {
      this.planDir = planDir;
      this.summaryFile = summaryFile;
    }

    @ProcessElement
    public void process(@Element PlanManifest m) throws IOException {
      if (summaryFile != null) {
        JsonFiles.write(FileSystems.matchNewResource(summaryFile, false), m);
      }
      if (planDir != null && m.problems.isEmpty()) {
        JsonFiles.write(manifestOf(planDir), m);
      }
    }
  }
}
