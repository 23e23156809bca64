package io.kreplay.transforms.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/** JSON files (manifests, summaries, reports) on any Beam filesystem, indented for people. */
public final class JsonFiles {
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonFiles() {}

  /** {@code name} inside the directory {@code dir} (a path or filesystem URI). */
  public static ResourceId in(String dir, String name) {
    return FileSystems.matchNewResource(dir, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  public static void write(ResourceId file, Object value) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
      MAPPER.writeValue(out, value);
    }
  }

  public static <T> T read(ResourceId file, Class<T> type) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return MAPPER.readValue(in, type);
    }
  }

  public static JsonNode readTree(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return MAPPER.readTree(in);
    }
  }
}
