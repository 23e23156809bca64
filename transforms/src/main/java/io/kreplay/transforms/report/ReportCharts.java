package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNGs of the report's main charts, drawn with JFreeChart on a headless AWT: latency and
 * throughput over time (with phase bands), the per-phase percentile distribution, errors by type
 * and the slowest URL patterns. A chart whose data the report lacks is not drawn.
 */
public final class ReportCharts {
  public static final int WIDTH = 1200;
  public static final int HEIGHT = 600;

  /** One encoded chart. */
  public record Png(String name, byte[] bytes) {}

  static final Color[] PALETTE = {
    new Color(0x2f6fd0), new Color(0xe8743b), new Color(0x19a979), new Color(0x945ecf),
    new Color(0xed4a7b), new Color(0x13a4b4), new Color(0x6c8893), new Color(0xd0a017)
  };
  private static final Color OK = new Color(0x4a90d9);
  private static final Color FAILED = new Color(0xd9534f);
  private static final Color SKIPPED = new Color(0xb0b7c3);
  /** Every colour data is drawn in (the tests look for them). */
  static final List<Color> SERIES_COLOURS = List.of(
      PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5], PALETTE[6], PALETTE[7], OK, FAILED);
  private static final Color GRID = new Color(0xe3e7ee);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
  private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font PHASE_LABEL = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private static final int MAX_URLS = 12;

  private ReportCharts() {}

  /** Every chart the report has data for, in a fixed order. */
  public static List<Png> draw(JsonNode report) {
    // Charts are drawn off-screen; a server or CI box has no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    ReportView view = new ReportView(report);
    Map<String, JFreeChart> charts = new LinkedHashMap<>();
    if (view.timeline != null) {
      charts.put("latency.png", latencyOverTime(view));
      charts.put("throughput.png", throughputOverTime(view));
    }
    JFreeChart percentiles = percentiles(view);
    if (percentiles != null) {
      charts.put("percentiles.png", percentiles);
    }
    JFreeChart errors = errors(view);
    if (errors != null) {
      charts.put("errors.png", errors);
    }
    JFreeChart urls = slowestUrls(view);
    if (urls != null) {
      charts.put("urls.png", urls);
    }
    List<Png> pngs = new ArrayList<>();
    charts.forEach((name, chart) -> pngs.add(new Png(name, encode(chart))));
    return pngs;
  }

  static JFreeChart latencyOverTime(ReportView view) {
    XYSeries p50 = new XYSeries("p50");
    XYSeries p99 = new XYSeries("p99");
    double half = view.timeline.windowSeconds() / 2;
    for (ReportView.Window w : view.timeline.windows()) {
      // A log axis cannot show 0; an empty window has no latency to show.
      if (w.p50() > 0) {
        p50.add(w.startSeconds() + half, w.p50() * 1000);
      }
      if (w.p99() > 0) {
        p99.add(w.startSeconds() + half, w.p99() * 1000);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(p50);
    data.addSeries(p99);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    lines.setSeriesPaint(0, PALETTE[0]);
    lines.setSeriesPaint(1, PALETTE[1]);
    lines.setDefaultStroke(new BasicStroke(2.2f));
    lines.setAutoPopulateSeriesStroke(false);
    LogAxis latency = millisLogAxis("corrected latency (ms, log scale)");
    XYPlot plot = new XYPlot(data, timeAxis(view), latency, lines);
    phaseBands(plot, view);
    return chart("Latency over time", "corrected latency of the requests intended in each "
        + (int) view.timeline.windowSeconds() + " s window", plot);
  }

  static JFreeChart throughputOverTime(ReportView view) {
    double size = view.timeline.windowSeconds();
    DefaultTableXYDataset bars = new DefaultTableXYDataset();
    XYSeries ok = new XYSeries("ok", true, false);
    XYSeries failed = new XYSeries("failed", true, false);
    XYSeries skipped = new XYSeries("skipped", true, false);
    for (ReportView.Window w : view.timeline.windows()) {
      double x = w.startSeconds() + size / 2;
      if (ok.indexOf(x) >= 0) {
        continue; // the same window twice (one per phase timeline); the first wins
      }
      ok.add(x, w.ok() / size);
      failed.add(x, w.failed() / size);
      skipped.add(x, w.skipped() / size);
    }
    bars.addSeries(ok);
    bars.addSeries(failed);
    bars.addSeries(skipped);
    bars.setIntervalWidth(size);
    StackedXYBarRenderer stacked = new StackedXYBarRenderer(0.1);
    stacked.setBarPainter(new StandardXYBarPainter());
    stacked.setShadowVisible(false);
    stacked.setDrawBarOutline(false);
    stacked.setSeriesPaint(0, OK);
    stacked.setSeriesPaint(1, FAILED);
    stacked.setSeriesPaint(2, SKIPPED);
    NumberAxis perSecond = new NumberAxis("requests/s");
    XYPlot plot = new XYPlot(bars, timeAxis(view), perSecond, stacked);

    XYSeries planned = new XYSeries("planned", false, true);
    for (ReportView.Result r : view.phases) {
      if (!Double.isNaN(r.intendedRate) && r.hasRange()) {
        planned.add(r.startSeconds, r.intendedRate);
        planned.add(r.endSeconds, r.intendedRate);
      }
    }
    if (planned.getItemCount() > 0) {
      XYLineAndShapeRenderer dashed = new XYLineAndShapeRenderer(true, false);
      dashed.setSeriesPaint(0, new Color(0x1f2430));
      dashed.setSeriesStroke(0, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
          new float[] {7f, 5f}, 0f));
      // Renderer first: with none, the plot would range the line with the stacked renderer.
      plot.setRenderer(1, dashed);
      plot.setDataset(1, new XYSeriesCollection(planned));
    }
    phaseBands(plot, view);
    return chart("Throughput over time", "requests per second by outcome (stacked); dashed: planned rate", plot);
  }

  static JFreeChart percentiles(ReportView view) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    List<ReportView.Result> rows = view.phases.isEmpty() && view.aggregated != null
        ? List.of(view.aggregated) : view.phases;
    int color = 0;
    for (ReportView.Result r : rows) {
      Paint paint = PALETTE[color++ % PALETTE.length];
      for (String kind : new String[] {"corrected", "service"}) {
        List<double[]> points = r.distribution(kind);
        if (points.isEmpty()) {
          continue;
        }
        XYSeries s = new XYSeries(kind.equals("corrected") ? r.name : r.name + " (service)", false, true);
        for (double[] p : points) {
          // 100% (the max) is at infinity on this axis; the HTML tables show it.
          if (p[0] < 100 && p[1] > 0) {
            s.add(ninesX(p[0]), p[1] * 1000);
          }
        }
        if (s.getItemCount() == 0) {
          continue;
        }
        int index = data.getSeriesCount();
        data.addSeries(s);
        lines.setSeriesPaint(index, paint);
        lines.setSeriesStroke(index, kind.equals("corrected")
            ? new BasicStroke(2.2f)
            : new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    if (data.getSeriesCount() == 0) {
      return null;
    }
    LogAxis nines = new LogAxis("percentile");
    nines.setSmallestValue(1);
    nines.setNumberFormatOverride(new NinesFormat());
    decades(nines);
    nines.setRange(1, Math.max(10, data.getDomainUpperBound(false)));
    XYPlot plot = new XYPlot(data, nines, millisLogAxis("latency (ms, log scale)"), lines);
    return chart("Latency percentile distribution",
        "per phase; solid: corrected latency, dashed: service time; x axis in nines (HdrHistogram style)", plot);
  }

  static JFreeChart errors(ReportView view) {
    List<ReportView.Result> rows = view.phases.isEmpty() && view.aggregated != null
        ? List.of(view.aggregated) : view.phases;
    Map<String, Long> totals = new LinkedHashMap<>();
    for (ReportView.Result r : rows) {
      r.errors.forEach((type, n) -> totals.merge(type, n, Long::sum));
    }
    if (totals.isEmpty()) {
      return null;
    }
    List<String> types = new ArrayList<>(totals.keySet());
    types.sort((a, b) -> Long.compare(totals.get(b), totals.get(a)));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (ReportView.Result r : rows) {
      for (String type : types) {
        data.addValue(r.errors.getOrDefault(type, 0L), r.name, type);
      }
    }
    StackedBarRenderer bars = new StackedBarRenderer();
    styleBars(bars);
    for (int i = 0; i < rows.size(); i++) {
      bars.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    NumberAxis count = new NumberAxis("requests");
    count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    CategoryAxis type = new CategoryAxis();
    type.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
    bars.setMaximumBarWidth(0.12);
    CategoryPlot plot = new CategoryPlot(data, type, count, bars);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    return chart("Errors by type", "failed requests per error key and phase", plot);
  }

  static JFreeChart slowestUrls(ReportView view) {
    ReportView.Result r = view.aggregated != null ? view.aggregated : view.phases.isEmpty() ? null : view.phases.get(0);
    if (r == null || r.urls.isEmpty()) {
      return null;
    }
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    Set<String> labels = new LinkedHashSet<>();
    Iterator<ReportView.Url> it = r.urls.iterator();
    for (int i = 0; i < MAX_URLS && it.hasNext(); i++) {
      ReportView.Url u = it.next();
      String label = u.url().length() > 64 ? u.url().substring(0, 61) + "..." : u.url();
      while (!labels.add(label)) {
        label = label + " ";
      }
      data.addValue(millis(u.p50()), "p50", label);
      data.addValue(millis(u.p99()), "p99", label);
      data.addValue(millis(u.max()), "max", label);
    }
    BarRenderer bars = new BarRenderer();
    styleBars(bars);
    bars.setItemMargin(0.05);
    bars.setSeriesPaint(0, PALETTE[0]);
    bars.setSeriesPaint(1, PALETTE[1]);
    bars.setSeriesPaint(2, SKIPPED);
    CategoryAxis url = new CategoryAxis();
    url.setTickLabelFont(new Font(Font.MONOSPACED, Font.PLAIN, 11));
    url.setMaximumCategoryLabelWidthRatio(0.6f);
    NumberAxis latency = new NumberAxis(r.urlsCorrected ? "corrected latency (ms)" : "service time (ms)");
    CategoryPlot plot = new CategoryPlot(data, url, latency, bars);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    return chart("Slowest URL patterns", "the " + data.getColumnCount() + " slowest by p99"
        + (view.phases.size() > 1 && r == view.aggregated ? ", all phases" : ""), plot);
  }

  private static Double millis(double seconds) {
    return Double.isNaN(seconds) ? null : seconds * 1000;
  }

  /** HdrHistogram's percentile axis: 1 / (1 − percentile). */
  static double ninesX(double percentile) {
    return 1 / (1 - percentile / 100);
  }

  /** A log axis in ms with one labelled tick per decade (0.1, 1, 10, 100 ...). */
  private static LogAxis millisLogAxis(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setSmallestValue(0.001);
    axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    decades(axis);
    return axis;
  }

  private static void decades(LogAxis axis) {
    axis.setTickUnit(new NumberTickUnit(1), false, false);
    axis.setAutoTickUnitSelection(false);
    axis.setMinorTickCount(9);
    axis.setMinorTickMarksVisible(true);
  }

  private static NumberAxis timeAxis(ReportView view) {
    NumberAxis time = new NumberAxis("time since start (m:ss)");
    time.setNumberFormatOverride(new ClockFormat());
    time.setLowerBound(0);
    double end = view.endSeconds();
    if (end > 0) {
      time.setUpperBound(end);
    }
    time.setAutoRangeIncludesZero(true);
    double[] steps = {5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    for (double step : steps) {
      if (end / step <= 12) {
        time.setTickUnit(new NumberTickUnit(step, new ClockFormat()));
        break;
      }
    }
    return time;
  }

  private static void phaseBands(XYPlot plot, ReportView view) {
    int i = 0;
    for (ReportView.Result r : view.phases) {
      if (!r.hasRange()) {
        continue;
      }
      IntervalMarker band = new IntervalMarker(r.startSeconds, r.endSeconds,
          i++ % 2 == 0 ? new Color(120, 130, 150, 22) : new Color(47, 111, 208, 26));
      band.setLabel(r.name);
      band.setLabelFont(PHASE_LABEL);
      band.setLabelPaint(new Color(0x44506a));
      band.setLabelAnchor(RectangleAnchor.TOP);
      band.setLabelTextAnchor(TextAnchor.TOP_CENTER);
      band.setLabelOffset(new RectangleInsets(6, 0, 0, 0));
      band.setLabelBackgroundColor(new Color(0, 0, 0, 0));
      plot.addDomainMarker(band, Layer.BACKGROUND);
      if (r.startSeconds > 0) {
        ValueMarker edge = new ValueMarker(r.startSeconds, new Color(0x8190a5),
            new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        plot.addDomainMarker(edge, Layer.FOREGROUND);
      }
    }
  }

  private static void styleBars(BarRenderer bars) {
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setDrawBarOutline(false);
  }

  private static JFreeChart chart(String title, String subtitle, org.jfree.chart.plot.Plot plot) {
    JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 16));
    TextTitle sub = new TextTitle(subtitle, SUBTITLE);
    sub.setPaint(new Color(0x5b6475));
    chart.addSubtitle(sub);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.TOP);
    legend.setFrame(BlockBorder.NONE);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
      xy.setDomainGridlineStroke(new BasicStroke(1f));
      xy.setRangeGridlineStroke(new BasicStroke(1f));
      if (xy.getRangeAxis() instanceof LogAxis) {
        xy.setRangeMinorGridlinesVisible(true);
        xy.setRangeMinorGridlinePaint(new Color(0xf0f2f6));
      }
      tidy(xy.getDomainAxis());
      tidy(xy.getRangeAxis());
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(GRID);
      category.setRangeGridlineStroke(new BasicStroke(1f));
      tidy(category.getRangeAxis());
    }
    return chart;
  }

  private static void tidy(ValueAxis axis) {
    axis.setAxisLineVisible(false);
    axis.setTickMarksVisible(false);
    axis.setLabelPaint(new Color(0x5b6475));
  }

  private static byte[] encode(JFreeChart chart) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Seconds as m:ss. */
  static final class ClockFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double seconds, StringBuffer to, FieldPosition pos) {
      long s = Math.round(seconds);
      return to.append(s / 60).append(':').append(String.format("%02d", Math.abs(s % 60)));
    }

    @Override
    public StringBuffer format(long seconds, StringBuffer to, FieldPosition pos) {
      return format((double) seconds, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return null;
    }
  }

  /** Tick labels of the nines axis: x = 1/(1−p) shown as p ("90%", "99.9%"). */
  static final class NinesFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
      if (x <= 1) {
        return to.append("0%");
      }
      double p = 100 * (1 - 1 / x);
      return to.append(new DecimalFormat("0.#####").format(p)).append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
      return format((double) x, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return null;
    }
  }
}
