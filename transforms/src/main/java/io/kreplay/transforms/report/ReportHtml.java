package io.kreplay.transforms.report;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.transforms.model.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The human-facing report: {@code report.html}, one self-contained page (Apache ECharts, the page's
 * script and the report data all inlined, so it opens offline), and PNGs of the main charts
 * ({@link ReportCharts}) for terminals and CI artifacts. Renders {@code report.json} as the report
 * contract describes it; every field beyond kperf's is optional and a missing one leaves its chart
 * out rather than failing.
 */
public final class ReportHtml {
  public static final String HTML_FILE = "report.html";
  /** The ECharts WebJar on the classpath; its version is pinned in the root pom. */
  static final String ECHARTS_WEBJAR = "META-INF/resources/webjars/echarts/";
  static final String ECHARTS_VERSION = "5.3.1";

  private static final String RESOURCES = "/io/kreplay/transforms/report/";
  private static final ObjectMapper SCRIPT_SAFE_JSON = scriptSafeMapper();

  private ReportHtml() {}

  /**
   * Writes {@code report.html} and the chart PNGs into {@code reportDir} (a path or any Beam
   * filesystem URI) and returns the names of the files written.
   */
  public static List<String> write(ObjectNode reportJson, String reportDir) throws IOException {
    List<String> written = new ArrayList<>();
    writeText(JsonFiles.in(reportDir, HTML_FILE), html(reportJson));
    written.add(HTML_FILE);
    for (ReportCharts.Png png : ReportCharts.draw(reportJson)) {
      ResourceId file = JsonFiles.in(reportDir, png.name());
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, "image/png"))) {
        out.write(png.bytes());
      }
      written.add(png.name());
    }
    return written;
  }

  /** The page for {@code reportJson}. */
  public static String html(JsonNode reportJson) {
    String template = resource(RESOURCES + "report.html");
    StringBuilder page = new StringBuilder(1_200_000);
    // Fill each placeholder of the template in order; inserted text is never searched again, so a
    // placeholder-looking string in the data stays data.
    String[][] parts = {
      {"/*KREPLAY:CSS*/", resource(RESOURCES + "report.css")},
      {"/*KREPLAY:DATA*/", scriptSafeJson(reportJson)},
      {"/*KREPLAY:ECHARTS*/", echarts()},
      {"/*KREPLAY:SCRIPT*/", resource(RESOURCES + "report.js")},
    };
    int from = 0;
    for (String[] part : parts) {
      int at = template.indexOf(part[0], from);
      if (at < 0) {
        throw new IllegalStateException("report.html template lacks " + part[0]);
      }
      page.append(template, from, at).append(part[1]);
      from = at + part[0].length();
    }
    return page.append(template, from, template.length()).toString();
  }

  /**
   * JSON that can sit inside a {@code <script>} element: {@code <}, {@code >} and {@code &} are
   * written as {@code \u003c} etc., so no string in the data can close the element or open a
   * comment; U+2028/U+2029 are escaped for older JavaScript parsers.
   */
  static String scriptSafeJson(JsonNode value) {
    try {
      return SCRIPT_SAFE_JSON.writeValueAsString(value == null ? SCRIPT_SAFE_JSON.createObjectNode() : value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The minified ECharts library from its WebJar. */
  static String echarts() {
    String path = "/" + ECHARTS_WEBJAR + ECHARTS_VERSION + "/dist/echarts.min.js";
    String js = resource(path);
    // Inlined verbatim: it must not contain what would end its <script> element.
    if (js.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
      throw new IllegalStateException(path + " contains </script and cannot be inlined as is");
    }
    return js;
  }

  private static String resource(String path) {
    try (InputStream in = ReportHtml.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeText(ResourceId file, String text) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, "text/html"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static ObjectMapper scriptSafeMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.getFactory().setCharacterEscapes(new ScriptSafeEscapes());
    return mapper;
  }

  private static final class ScriptSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] asciiEscapes;

    ScriptSafeEscapes() {
      asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();
      asciiEscapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
      asciiEscapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
      asciiEscapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) {
        return new SerializedString("\\u2028");
      }
      if (ch == 0x2029) {
        return new SerializedString("\\u2029");
      }
      return null;
    }
  }

  /**
   * Renders a stored report: {@code ReportHtml <report.json> [outDir]} (outDir defaults to the
   * directory of report.json). Prints the files written. Exit codes: 2 unreadable input, 3 write
   * failure.
   */
  public static void main(String[] args) {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: ReportHtml <report.json> [outDir]");
      System.exit(2);
    }
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    JsonNode report;
    ResourceId json;
    try {
      json = FileSystems.matchNewResource(args[0], false);
      report = JsonFiles.readTree(json);
    } catch (IOException | RuntimeException e) {
      System.err.println(args[0] + ": cannot read: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!(report instanceof ObjectNode)) {
      System.err.println(args[0] + ": not a JSON object");
      System.exit(2);
    }
    String dir = args.length == 2 ? args[1] : json.getCurrentDirectory().toString();
    try {
      for (String name : write((ObjectNode) report, dir)) {
        System.out.println(JsonFiles.in(dir, name));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println(dir + ": cannot write the report: " + e);
      System.exit(3);
    }
  }
}
