package io.kreplay.transforms.replay;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.ReplayRequestCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A request with the instant it is due (epoch microseconds), as the pacer hands it on. */
public final class TimedRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ReplayRequest request;
  private final long dueEpochMicros;

  public TimedRequest(ReplayRequest request, long dueEpochMicros) {
    this.request = request;
    this.dueEpochMicros = dueEpochMicros;
  }

  public ReplayRequest request() {
    return request;
  }

  public long dueEpochMicros() {
    return dueEpochMicros;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimedRequest
        && ((TimedRequest) o).dueEpochMicros == dueEpochMicros
        && ((TimedRequest) o).request.equals(request);
  }

  @Override
  public int hashCode() {
    return Objects.hash(request, dueEpochMicros);
  }

  @Override
  public String toString() {
    return request + "@" + dueEpochMicros;
  }

  /** Deterministic: the request's coder plus a varint. */
  public static final class Coder extends CustomCoder<TimedRequest> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(TimedRequest value, OutputStream out) throws IOException {
      ReplayRequestCoder.of().encode(value.request, out);
      VarLongCoder.of().encode(value.dueEpochMicros, out);
    }

    @Override
    public TimedRequest decode(InputStream in) throws IOException {
      return new TimedRequest(ReplayRequestCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
