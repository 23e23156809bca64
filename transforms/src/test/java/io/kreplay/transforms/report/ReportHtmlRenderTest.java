package io.kreplay.transforms.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Opens report.html in headless Chromium, offline, and reads the DOM after the page's scripts
 * ran: every chart drew a canvas and no section failed. Skipped where /usr/bin/chromium is not
 * installed ({@code apt-get install -y chromium}).
 */
public class ReportHtmlRenderTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @BeforeClass
  public static void needsChromium() {
    Assume.assumeTrue("headless Chromium not installed at " + CHROMIUM, CHROMIUM.canExecute());
  }

  @Test
  public void everyChartOfTheFixtureRenders() throws Exception {
    String dom = render(ReportFixtures.threePhases());
    assertThat(dom, containsString("data-failures=\"0\""));
    assertThat(dom, containsString("data-charts=\"" + ReportHtmlTest.CHART_IDS.size() + "\""));
    for (String id : ReportHtmlTest.CHART_IDS) {
      assertTrue(id + " drew a canvas", chartDrew(dom, id));
    }
    // Tables filled from the data: one row per phase plus "all", one per URL pattern.
    assertThat(dom, containsString(">spike</td>"));
    assertThat(dom, containsString(">LIST /api/v1/namespaces/demo/pods</td>"));
    assertThat(dom, containsString(">23,959<"));
  }

  @Test
  public void reportWithoutExtrasRendersWhatItHas() throws Exception {
    String dom = render(ReportFixtures.withoutExtras());
    assertThat(dom, containsString("data-failures=\"0\""));
    assertTrue(chartDrew(dom, "chart-percentiles"));
    assertTrue(chartDrew(dom, "chart-urls"));
    assertTrue(chartDrew(dom, "chart-errors"));
    assertThat(dom, containsString("This report has no timeline"));
  }

  @Test
  public void hostileTextIsShownAsText() throws Exception {
    ObjectNode report = ReportFixtures.threePhases();
    ObjectNode url = ((ArrayNode) report.path("aggregated").path("byUrl")).insertObject(0);
    url.put("url", "GET /x</script><img id=injected src=x onerror=alert(1)>")
        .put("count", 1).put("failed", 0).put("p50", 0.1).put("p99", 99.0).put("max", 99.0);
    String dom = render(report);
    assertThat(dom, containsString("data-failures=\"0\""));
    assertThat(dom, not(containsString("id=\"injected\"")));
    assertThat(dom, containsString("GET /x&lt;/script&gt;&lt;img id=injected"));
  }

  private String render(ObjectNode report) throws Exception {
    File dir = tmp.newFolder();
    File page = new File(dir, ReportHtml.HTML_FILE);
    Files.writeString(page.toPath(), ReportHtml.html(report), StandardCharsets.UTF_8);
    File profile = tmp.newFolder();
    File out = new File(dir, "dom.html");
    Process chromium = new ProcessBuilder(List.of(CHROMIUM.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile, "--window-size=1400,3000", "--dump-dom",
            page.toURI().toString()))
        .redirectOutput(out)
        .redirectError(new File(dir, "chromium.log"))
        .start();
    assertTrue("chromium finished", chromium.waitFor(120, TimeUnit.SECONDS));
    assertEquals("chromium exit code", 0, chromium.exitValue());
    String dom = Files.readString(out.toPath(), StandardCharsets.UTF_8);
    assertThat("the page's script ran to the end", dom, containsString("data-rendered=\"true\""));
    return dom;
  }

  /** The chart's container holds a canvas that ECharts created. */
  private static boolean chartDrew(String dom, String id) {
    Matcher m = Pattern.compile("<div[^>]*id=\"" + id + "\"[^>]*>(.{0,2000})", Pattern.DOTALL).matcher(dom);
    return m.find() && m.group(0).contains("data-rendered=\"true\"") && m.group(1).contains("<canvas");
  }
}
