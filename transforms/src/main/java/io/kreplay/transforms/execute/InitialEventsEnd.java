package io.kreplay.transforms.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds the end of a watch-list's initial events in a JSON watch stream (one event per line, as
 * the API server writes them): the BOOKMARK event whose object carries the annotation {@code
 * k8s.io/initial-events-end: "true"} (KEP-3157). client-go's {@code Request.WatchList}, which
 * kperf's WATCHLIST calls, returns there; so does a kreplay watchList.
 *
 * <p>Only lines short enough to be a bookmark are kept (a bookmark's object is metadata only);
 * longer lines, the initial objects, are skipped without being held. A line is parsed only if
 * it mentions both BOOKMARK and the annotation.
 */
final class InitialEventsEnd {
  static final String ANNOTATION = "k8s.io/initial-events-end";
  private static final int MAX_BOOKMARK_LINE = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean skipping;
  private boolean seen;

  /** Reads {@code buffer} without moving its position; true once the bookmark has been seen. */
  boolean feed(ByteBuffer buffer) {
    int from = buffer.position();
    int limit = buffer.limit();
    while (!seen && from < limit) {
      int newline = from;
      while (newline < limit && buffer.get(newline) != '\n') {
        newline++;
      }
      append(buffer, from, newline);
      if (newline < limit) {
        seen = !skipping && isInitialEventsEnd(line.toByteArray());
        line.reset();
        skipping = false;
      }
      from = newline + 1;
    }
    return seen;
  }

  private void append(ByteBuffer buffer, int from, int to) {
    if (skipping || to == from) {
      return;
    }
    if (line.size() + (to - from) > MAX_BOOKMARK_LINE) {
      skipping = true;
      line.reset();
      return;
    }
    for (int i = from; i < to; i++) {
      line.write(buffer.get(i));
    }
  }

  static boolean isInitialEventsEnd(byte[] line) {
    String text = new String(line, StandardCharsets.UTF_8);
    if (!text.contains("BOOKMARK") || !text.contains(ANNOTATION)) {
      return false;
    }
    try {
      JsonNode event = JSON.readTree(text);
      return "BOOKMARK".equals(event.path("type").asText())
          && "true".equals(event.path("object").path("metadata").path("annotations").path(ANNOTATION).asText());
    } catch (IOException notJson) {
      return false;
    }
  }
}
