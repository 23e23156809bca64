package io.kreplay.pipeline;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code kreplay <command> [--option=value ...]}: the entry point behind {@code bin/kreplay}.
 *
 * <p>Exit codes, for every command: 0 success; 1 a threshold or regression failed; 2 invalid
 * input or usage (message on stderr); 3 a runtime failure.
 */
public final class Kreplay {
  public static final int OK = 0;
  public static final int THRESHOLD_FAILED = 1;
  public static final int INVALID = 2;
  public static final int RUNTIME_FAILURE = 3;

  private static final Map<String, Command<?>> COMMANDS = new LinkedHashMap<>();

  static {
    for (Command<?> c : new Command<?>[] {
      new RunCommand(), new ValidateCommand(), new PlanCommand(), new ReplayCommand(), new GenerateCommand(),
      new ReportCommand(), new CompareCommand(), new NightlyCommand()
    }) {
      COMMANDS.put(c.name(), c);
    }
  }

  private Kreplay() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (Boolean.getBoolean("kreplay.stats")) {
      printStats(System.err);
    }
    System.exit(code);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || isHelp(args[0])) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? INVALID : OK;
    }
    Command<?> command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println("kreplay: unknown command '" + args[0] + "'");
      usage(err);
      return INVALID;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (Arrays.stream(rest).anyMatch(Kreplay::isHelp)) {
      Help.print(command, out);
      return OK;
    }
    try {
      return runCommand(command, rest, out, err);
    } catch (UsageException e) {
      err.println("kreplay " + command.name() + ": " + e.getMessage());
      return INVALID;
    } catch (Exception e) {
      err.println("kreplay " + command.name() + ": failed: " + rootMessage(e));
      if (Boolean.getBoolean("kreplay.debug")) {
        e.printStackTrace(err);
      }
      return RUNTIME_FAILURE;
    }
  }

  private static <O extends PipelineOptions> int runCommand(
      Command<O> command, String[] args, PrintStream out, PrintStream err) throws Exception {
    O options;
    try {
      PipelineOptionsFactory.register(command.optionsClass());
      options = PipelineOptionsFactory.fromArgs(camelCase(args)).withValidation().as(command.optionsClass());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replace('\n', ' ') + " (see kreplay " + command.name() + " --help)");
    }
    options.setJobName("kreplay-" + command.name() + "-" + System.currentTimeMillis());
    return command.run(options, out, err);
  }

  /**
   * Beam's options parser takes only camelCase names; people and CI scripts write kebab-case
   * ({@code --max-p99-increase=10%}). Renames {@code --a-b-c[=v]} to {@code --aBC[=v]}; values
   * are left alone.
   */
  static String[] camelCase(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      String a = out[i];
      if (!a.startsWith("--")) {
        continue;
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
      if (name.indexOf('-') < 0) {
        continue;
      }
      StringBuilder sb = new StringBuilder("--");
      boolean upper = false;
      for (char c : name.toCharArray()) {
        if (c == '-') {
          upper = sb.length() > 2;
        } else {
          sb.append(upper ? Character.toUpperCase(c) : c);
          upper = false;
        }
      }
      out[i] = sb + (eq < 0 ? "" : a.substring(eq));
    }
    return out;
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help");
  }

  private static void usage(PrintStream out) {
    out.println("usage: kreplay <command> [--option=value ...]");
    out.println();
    out.println("Commands:");
    for (Command<?> c : COMMANDS.values()) {
      out.printf("  %-10s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("kreplay <command> --help lists a command's options.");
    out.println("Exit codes: 0 ok, 1 threshold failed, 2 invalid input or usage, 3 runtime failure.");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? e.toString() : e.getMessage() + " (caused by " + t + ")";
  }

  /** For benchmarks: peak heap and CPU time of this process. */
  private static void printStats(PrintStream err) {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    long cpuNanos = 0;
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      cpuNanos = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    err.printf(
        "kreplay-stats: peakHeapBytes=%d maxHeapBytes=%d cpuSeconds=%.3f uptimeSeconds=%.3f%n",
        peak,
        Runtime.getRuntime().maxMemory(),
        cpuNanos / 1e9,
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }
}
