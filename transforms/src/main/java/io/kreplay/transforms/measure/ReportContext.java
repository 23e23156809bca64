package io.kreplay.transforms.measure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kreplay.transforms.plan.PlanManifest;
import java.io.InputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Everything a report needs besides the histograms: phases and their time ranges, the
 * partition, and what was run. Stored as {@code report-context.json} beside
 * {@code histograms.bin}, so {@code kreplay report --from=DIR} rebuilds every report file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ReportContext implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String FILE = "report-context.json";
  public static final int FORMAT_VERSION = 1;

  /** The report's {@code run} object. Never holds secrets: the target is a description. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Run implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The shared start instant, ISO-8601. */
    @JsonProperty public String startedAt;
    @JsonProperty public String target;
    @JsonProperty public double speed = 1;
    @JsonProperty public int shards;
    @JsonProperty public String kreplayVersion = version();
    @JsonProperty public double timelineSeconds;
    @JsonProperty public int maxUrlsPerPhase;
    @JsonProperty public boolean raw;
  }

  @JsonProperty public int formatVersion = FORMAT_VERSION;
  @JsonProperty public List<KperfReport.Phase> phases = new ArrayList<>();
  /** The intended length of the whole replay (last request due), seconds. */
  @JsonProperty public double totalSeconds;
  @JsonProperty public long[] perShard = new long[0];
  @JsonProperty public double imbalance;
  @JsonProperty public Run run = new Run();

  /** Phases only (tests, reports without a plan). */
  public static ReportContext of(List<KperfReport.Phase> phases, double totalSeconds) {
    ReportContext c = new ReportContext();
    c.phases = new ArrayList<>(phases);
    c.totalSeconds = totalSeconds;
    return c;
  }

  /** From a plan replayed at {@code speed}: phase time ranges are the replay's, not the profile's. */
  public static ReportContext fromManifest(PlanManifest m, double speed) {
    ReportContext c = new ReportContext();
    for (PlanManifest.Phase p : m.phases) {
      c.phases.add(
          new KperfReport.Phase(
              p.index, p.name, p.offsetMs / 1000.0 / speed, (p.offsetMs + p.durationMs) / 1000.0 / speed,
              p.requests, p.perShard));
    }
    c.totalSeconds = m.durationMs / 1000.0 / speed;
    c.perShard = m.perShard == null ? new long[0] : m.perShard.clone();
    c.imbalance = m.imbalance;
    c.run.speed = speed;
    c.run.shards = m.shards;
    return c;
  }

  public ReportContext startedAt(long epochMicros) {
    run.startedAt = Instant.ofEpochSecond(epochMicros / 1_000_000, epochMicros % 1_000_000 * 1_000).toString();
    return this;
  }

  /** Where requests went; any user:password@ and query string in a URL are dropped. */
  public ReportContext target(String description) {
    run.target =
        description == null
            ? null
            : description.replaceAll("(\\w+://)[^/@\\s]*@", "$1").replaceAll("\\?[^\\s)]*", "");
    return this;
  }

  public ReportContext measured(MeasureSettings m) {
    run.timelineSeconds = m.timelineMillis / 1000.0;
    run.maxUrlsPerPhase = m.maxUrlsPerPhase;
    run.raw = m.rawReportDir != null;
    return this;
  }

  /** The version of the jar kreplay runs from (Maven's pom.properties); "dev" from classes. */
  static String version() {
    for (String artifact : new String[] {"kreplay-pipeline", "kreplay-transforms"}) {
      try (InputStream in =
          ReportContext.class.getResourceAsStream("/META-INF/maven/io.kreplay/" + artifact + "/pom.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          return p.getProperty("version", "dev");
        }
      } catch (java.io.IOException e) {
        // fall through
      }
    }
    return "dev";
  }
}
