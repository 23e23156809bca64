package io.kreplay.transforms.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Coder for small summary records (scan results, manifests) that are plain Jackson beans. They
 * are never keys, so the coder does not claim to be deterministic; bulk data (requests) has its
 * own binary coder.
 */
public final class JsonCoder<T> extends CustomCoder<T> {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  private final Class<T> type;

  private JsonCoder(Class<T> type) {
    this.type = type;
  }

  public static <T> JsonCoder<T> of(Class<T> type) {
    return new JsonCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    BYTES.encode(MAPPER.writeValueAsBytes(value), out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    return MAPPER.readValue(BYTES.decode(in), type);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    throw new NonDeterministicException(this, "JSON field order is not guaranteed");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonCoder && ((JsonCoder<?>) o).type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
