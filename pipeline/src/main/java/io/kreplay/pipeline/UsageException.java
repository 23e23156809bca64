package io.kreplay.pipeline;

/** The command line or the input is wrong: exit code 2, message on stderr. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
