package io.kreplay.pipeline;

import java.io.PrintStream;
import org.apache.beam.sdk.options.PipelineOptions;

/** One {@code kreplay <command>}. */
interface Command<O extends PipelineOptions> {
  String name();

  /** One line for the launcher's --help. */
  String summary();

  Class<O> optionsClass();

  /** Returns the exit code; throws {@link UsageException} for exit code 2. */
  int run(O options, PrintStream out, PrintStream err) throws Exception;
}
