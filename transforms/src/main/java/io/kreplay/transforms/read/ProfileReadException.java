package io.kreplay.transforms.read;

import java.io.IOException;

/** A profile could not be opened or read to its end; the message is meant for the user. */
public final class ProfileReadException extends IOException {
  private static final long serialVersionUID = 1L;

  public ProfileReadException(String message) {
    super(message);
  }

  public ProfileReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
