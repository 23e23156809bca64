package io.kreplay.transforms.read;

import io.kreplay.transforms.model.ReplayRequest;
import java.io.Closeable;
import java.util.List;

/**
 * The requests of one profile source, one at a time, never as a list: read from a replay
 * profile, or expanded from a load profile. Problems go to the {@link ProfileProblems} it was
 * opened with; a request with a problem is not handed out.
 */
public interface RequestStream extends Closeable {
  /** The next valid request, or null at the end. */
  ReplayRequest next();

  /** Request entries seen (replay) or generated (load), valid or not. */
  long entries();

  /** Requests handed out. */
  long accepted();

  String description();

  /** How many phases this source yields; known before the first request. */
  int phaseCount();

  /** The phases, in order, once {@link #next()} has returned null. */
  List<PhaseInfo> phases();
}
