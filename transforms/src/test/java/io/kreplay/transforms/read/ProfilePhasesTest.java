package io.kreplay.transforms.read;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.kreplay.transforms.model.ReplayRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** Splitting one replay profile into named phases: --phases, or the header's phases:. */
public class ProfilePhasesTest {
  static String profile(String header, long... timestamps) {
    StringBuilder y = new StringBuilder("version: 1\nspec: {runnerCount: 1, connsPerRunner: 1, contentType: json}\n")
        .append(header).append("requests:\n");
    for (long t : timestamps) {
      y.append("- {timestamp: ").append(t).append(", verb: GET, resourceKind: Pod, name: a, apiPath: /api/v1/pods/a}\n");
    }
    return y.toString();
  }

  static List<ReplayRequest> read(String yaml, List<PhaseMark> marks, List<PhaseInfo> phases, ProfileProblems problems)
      throws Exception {
    ProfileStreams.Options o = new ProfileStreams.Options();
    o.phases = marks;
    List<ReplayRequest> out = new ArrayList<>();
    try (RequestStream s = ProfileStreams.of(new ProfileSource(2, "x/trace.yaml"),
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), o, problems)) {
      ReplayRequest r;
      while ((r = s.next()) != null) {
        out.add(r);
      }
      phases.addAll(s.phases());
    }
    return out;
  }

  @Test
  public void phasesSplitAProfileIntoNamedRangesWithTheirOwnClock() throws Exception {
    List<PhaseInfo> phases = new ArrayList<>();
    ProfileProblems problems = new ProfileProblems();
    List<ReplayRequest> rs =
        read(profile("", 0, 4_999, 5_000, 7_000, 61_000), PhaseMark.parseList("warmup@0,peak@5s,cooldown@1m"), phases, problems);
    assertEquals(new ArrayList<String>(), problems.shown);
    int[] phase = rs.stream().mapToInt(ReplayRequest::phase).toArray();
    long[] t = rs.stream().mapToLong(ReplayRequest::timestampMs).toArray();
    assertEquals(Arrays.toString(new int[] {2, 2, 3, 3, 4}), Arrays.toString(phase));
    assertEquals(Arrays.toString(new long[] {0, 4_999, 0, 2_000, 1_000}), Arrays.toString(t));
    assertEquals("warmup", phases.get(0).name);
    assertEquals(5_000, phases.get(0).durationMs);
    assertEquals("peak", phases.get(1).name);
    assertEquals("a phase lasts until the next starts", 55_000, phases.get(1).durationMs);
    assertEquals("the last until the last request", 1_000, phases.get(2).durationMs);
  }

  @Test
  public void theHeaderCanNameThePhasesAndTheOptionWins() throws Exception {
    String header = "phases:\n- {name: calm, offset: 0}\n- {name: storm, offset: 2.5}\n";
    List<PhaseInfo> phases = new ArrayList<>();
    ProfileProblems problems = new ProfileProblems();
    List<ReplayRequest> rs = read(profile(header, 0, 2_500, 3_000), null, phases, problems);
    assertEquals(new ArrayList<String>(), problems.shown);
    assertEquals(Arrays.asList("calm", "storm"), Arrays.asList(phases.get(0).name, phases.get(1).name));
    assertEquals(500, rs.get(2).timestampMs());
    phases.clear();
    read(profile(header, 0, 2_500, 3_000), PhaseMark.parseList("all@0"), phases, problems);
    assertEquals(1, phases.size());
    assertEquals("all", phases.get(0).name);
    phases.clear();
    read(profile("", 0, 3_000), null, phases, problems);
    assertEquals("default: one phase named after the profile", "trace", phases.get(0).name);
    assertEquals(3_000, phases.get(0).durationMs);
  }

  @Test
  public void aBadPhasesHeaderIsAProblemWithItsLine() throws Exception {
    ProfileProblems problems = new ProfileProblems();
    read(profile("phases:\n- {name: a, offset: 5s}\n", 0), null, new ArrayList<>(), problems);
    assertEquals(
        Arrays.asList("x/trace.yaml: profile (line 3): phases: the first phase must start at 0 (a starts at 5000 ms)"),
        problems.shown);
  }

  @Test
  public void offsetsAreSecondsOrGoDurations() {
    assertEquals(90_000, PhaseMark.parseOffsetMs("90"));
    assertEquals(1_500, PhaseMark.parseOffsetMs("1.5"));
    assertEquals(90_000, PhaseMark.parseOffsetMs("90s"));
    assertEquals(5_400_000, PhaseMark.parseOffsetMs("1h30m"));
    assertEquals(250, PhaseMark.parseOffsetMs("250ms"));
    assertEquals(2_500, PhaseMark.parseOffsetMs("2.5s"));
    for (String bad : new String[] {"", "5 m", "5x", "m5", "-5s"}) {
      try {
        PhaseMark.parseOffsetMs(bad);
        fail("accepted '" + bad + "'");
      } catch (IllegalArgumentException expected) {
        // ok
      }
    }
  }

  @Test
  public void phaseMarksMustStartAtZeroIncreaseAndBeNamedOnce() {
    for (String[] c : new String[][] {
        {"a@1s", "the first phase must start at 0 (a starts at 1000 ms)"},
        {"a@0,b@5,c@5", "phase offsets must increase: c at 5000 ms is not after b at 5000 ms"},
        {"a@0,a@5", "phase name 'a' is used twice"},
        {"a@0,b", "'b' is not name@offset (e.g. warmup@0,peak@5m)"}}) {
      try {
        PhaseMark.parseList(c[0]);
        fail("accepted " + c[0]);
      } catch (IllegalArgumentException e) {
        assertEquals(c[1], e.getMessage());
      }
    }
  }
}
