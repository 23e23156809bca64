package io.kreplay.transforms.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReportHtmlTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String DATA_OPEN = "<script type=\"application/json\" id=\"kreplay-data\">";
  /** Every section and chart container of the page. */
  static final List<String> CHART_IDS = List.of(
      "chart-latency", "chart-throughput", "chart-percentiles", "chart-errors", "chart-errors-over-time", "chart-urls");
  static final List<String> SECTION_IDS = List.of(
      "overview", "phases", "latency-over-time", "throughput-over-time", "percentile-distribution", "errors", "urls");

  @Test
  public void pageLoadsNothingFromTheNetwork() {
    String html = ReportHtml.html(ReportFixtures.threePhases());
    // Our markup has no element that loads anything (the library's own strings build tooltips).
    String ours = html.replace(ReportHtml.echarts(), "");
    Matcher loads = Pattern.compile("<(script|link|img|iframe|object|embed)\\b[^>]*\\b(src|href|data)\\s*=",
        Pattern.CASE_INSENSITIVE).matcher(ours);
    assertFalse("no element loads a resource: " + (loads.find() ? loads.group() : ""), loads.find(0));
    // Nor does anything in the page, library included, point a src or href at the network.
    Matcher remote = Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html);
    assertFalse("no remote src/href: " + (remote.find() ? remote.group() : ""), remote.find(0));
    assertThat(html, not(containsString("@import")));
    assertThat(html, not(containsString("url(http")));
  }

  @Test
  public void pageInlinesTheChartLibraryAndTheData() throws Exception {
    ObjectNode report = ReportFixtures.threePhases();
    String html = ReportHtml.html(report);
    assertThat(html, containsString(ReportHtml.echarts()));
    assertEquals(report, embeddedData(html));
  }

  @Test
  public void pageHasEverySectionAndChart() {
    String html = ReportHtml.html(ReportFixtures.threePhases());
    for (String id : SECTION_IDS) {
      assertThat(html, containsString("<section id=\"" + id + "\""));
    }
    for (String id : CHART_IDS) {
      assertThat(html, containsString("id=\"" + id + "\""));
    }
    assertThat(html, containsString("id=\"phase-table\""));
    assertThat(html, containsString("id=\"url-table\""));
  }

  /** A URL or error key can hold anything a profile held; none of it may end the data's script element. */
  @Test
  public void dataCannotBreakOutOfItsScriptElement() throws Exception {
    ObjectNode report = ReportFixtures.threePhases();
    String hostile = "GET /api/v1/x</script><script>alert(1)</script><!-- \u2028 & \u2029 </SCRIPT >";
    ObjectNode url = ((ArrayNode) report.path("aggregated").path("byUrl")).addObject();
    url.put("url", hostile).put("count", 1).put("failed", 0).put("p50", 0.1).put("p99", 0.2).put("max", 0.3);
    ((ObjectNode) report.path("aggregated").path("errorStats")).put("unknown/</script>", 1);
    ((ObjectNode) report.path("perSpecResults").get(0)).put("phase", "/*KREPLAY:ECHARTS*/</script>");

    String html = ReportHtml.html(report);
    String data = html.substring(html.indexOf(DATA_OPEN) + DATA_OPEN.length());
    data = data.substring(0, data.indexOf("</script>"));
    assertThat(data, not(containsString("<")));
    assertThat(data, not(containsString(">")));
    assertThat(data, not(containsString("\u2028")));
    assertEquals("the data ends where its element ends", report, ReportFixtures.JSON.readTree(data));
    // The library is inserted once, not into the phase name that looks like its placeholder.
    assertEquals(html.indexOf(ReportHtml.echarts()), html.lastIndexOf(ReportHtml.echarts()));
  }

  @Test
  public void writesHtmlAndThePngsOfTheMainCharts() throws Exception {
    File dir = tmp.newFolder("report");
    List<String> written = ReportHtml.write(ReportFixtures.threePhases(), dir.getPath());
    assertEquals(List.of("report.html", "latency.png", "throughput.png", "percentiles.png", "errors.png", "urls.png"),
        written);
    String html = Files.readString(new File(dir, "report.html").toPath(), StandardCharsets.UTF_8);
    assertEquals(ReportFixtures.threePhases(), embeddedData(html));
    for (String png : written.subList(1, written.size())) {
      assertDrawn(new File(dir, png));
    }
  }

  /** A report from before the timeline (a real one from the sample replay): what it has is drawn. */
  @Test
  public void reportWithoutExtrasDrawsWhatItHas() throws Exception {
    File dir = tmp.newFolder("old");
    List<String> written = ReportHtml.write(ReportFixtures.withoutExtras(), dir.getPath());
    assertEquals(List.of("report.html", "percentiles.png", "errors.png", "urls.png"), written);
    for (String png : written.subList(1, written.size())) {
      assertDrawn(new File(dir, png));
    }
  }

  @Test
  public void malformedOptionalFieldsAreSkippedNotFatal() throws Exception {
    ObjectNode report = ReportFixtures.threePhases();
    ObjectNode agg = (ObjectNode) report.get("aggregated");
    agg.put("timeline", "not an object");
    agg.put("byUrl", 5);
    agg.putObject("latencyDistribution").put("corrected", "x");
    ObjectNode phase = (ObjectNode) report.path("perSpecResults").get(1);
    phase.putObject("timeline").putArray("windows").addObject().put("startSeconds", "soon");
    phase.put("startSeconds", "late");
    ((ArrayNode) report.get("perSpecResults")).add(7);
    ((ArrayNode) report.path("perSpecResults").get(0).path("correctedLatencies")).addArray().add("p").add(true);

    File dir = tmp.newFolder("malformed");
    List<String> written = ReportHtml.write(report, dir.getPath());
    assertTrue(written.contains("report.html"));
    // The other phases' timelines still give the time charts.
    assertTrue(written.toString(), written.contains("latency.png"));
    assertTrue(written.toString(), written.contains("percentiles.png"));
    for (String png : written.subList(1, written.size())) {
      assertDrawn(new File(dir, png));
    }
  }

  @Test
  public void emptyReportStillGivesAPage() throws Exception {
    File dir = tmp.newFolder("empty");
    assertEquals(List.of("report.html"), ReportHtml.write(ReportFixtures.JSON.createObjectNode(), dir.getPath()));
    assertTrue(new File(dir, "report.html").length() > 100_000);
  }

  @Test
  public void ninesAxisLabelsArePercentiles() {
    ReportCharts.NinesFormat nines = new ReportCharts.NinesFormat();
    assertEquals("0%", nines.format(1.0));
    assertEquals("90%", nines.format(ReportCharts.ninesX(90)));
    assertEquals("99.9%", nines.format(ReportCharts.ninesX(99.9)));
    assertEquals("99.999%", nines.format(1e5));
    assertEquals("2:05", new ReportCharts.ClockFormat().format(125.0));
  }

  static JsonNode embeddedData(String html) throws Exception {
    int start = html.indexOf(DATA_OPEN);
    assertTrue("data element present", start >= 0);
    String data = html.substring(start + DATA_OPEN.length(), html.indexOf("</script>", start));
    return ReportFixtures.JSON.readTree(data);
  }

  /**
   * Decodes as a PNG of the chart size, is not a blank or solid fill, and shows data: an empty
   * JFreeChart (title, axes, grid) has none of the series colours, a drawn one has thousands.
   */
  static void assertDrawn(File png) throws Exception {
    BufferedImage image = ImageIO.read(png);
    assertNotNull(png + " decodes", image);
    assertEquals(png + " width", ReportCharts.WIDTH, image.getWidth());
    assertEquals(png + " height", ReportCharts.HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    double sum = 0;
    double squares = 0;
    long dataPixels = 0;
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y) & 0xffffff;
        colours.add(rgb);
        double luma = 0.299 * (rgb >> 16) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
        sum += luma;
        squares += luma * luma;
        dataPixels += isSeriesColour(rgb) ? 1 : 0;
        n++;
      }
    }
    double variance = squares / n - (sum / n) * (sum / n);
    assertThat(png + " luminance variance", variance, greaterThan(100.0));
    assertThat(png + " colours", colours.size(), greaterThan(20));
    assertThat(png + " pixels in series colours", dataPixels, greaterThan(1000L));
  }

  private static boolean isSeriesColour(int rgb) {
    for (java.awt.Color c : ReportCharts.SERIES_COLOURS) {
      int dr = (rgb >> 16) - c.getRed();
      int dg = (rgb >> 8 & 0xff) - c.getGreen();
      int db = (rgb & 0xff) - c.getBlue();
      if (dr * dr + dg * dg + db * db < 30 * 30) {
        return true;
      }
    }
    return false;
  }
}
