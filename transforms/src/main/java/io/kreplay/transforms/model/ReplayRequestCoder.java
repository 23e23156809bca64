package io.kreplay.transforms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coder for {@link ReplayRequest}. The plan's segment files store
 * requests in this encoding too, so changing it changes the segment format version.
 */
public final class ReplayRequestCoder extends CustomCoder<ReplayRequest> {
  private static final ReplayRequestCoder INSTANCE = new ReplayRequestCoder();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final Verb[] VERBS = Verb.values();
  private static final LoadKind[] KINDS = LoadKind.values();

  public static ReplayRequestCoder of() {
    return INSTANCE;
  }

  private ReplayRequestCoder() {}

  @Override
  public void encode(ReplayRequest r, OutputStream out) throws IOException {
    INT.encode(r.phase(), out);
    LONG.encode(r.sequence(), out);
    LONG.encode(r.timestampMs(), out);
    INT.encode(r.verb().ordinal(), out);
    STRING.encode(r.namespace(), out);
    STRING.encode(r.resourceKind(), out);
    STRING.encode(r.name(), out);
    STRING.encode(r.apiPath(), out);
    STRING.encode(r.body(), out);
    STRING.encode(r.labelSelector(), out);
    INT.encode(r.kind().ordinal(), out);
  }

  @Override
  public ReplayRequest decode(InputStream in) throws IOException {
    int phase = INT.decode(in);
    long sequence = LONG.decode(in);
    long timestamp = LONG.decode(in);
    int verb = INT.decode(in);
    if (verb < 0 || verb >= VERBS.length) {
      throw new IOException("corrupt request encoding: verb ordinal " + verb);
    }
    String namespace = STRING.decode(in);
    String resourceKind = STRING.decode(in);
    String name = STRING.decode(in);
    String apiPath = STRING.decode(in);
    String body = STRING.decode(in);
    String selector = STRING.decode(in);
    int kind = INT.decode(in);
    if (kind < 0 || kind >= KINDS.length) {
      throw new IOException("corrupt request encoding: kind ordinal " + kind);
    }
    return new ReplayRequest(
        phase, sequence, timestamp, VERBS[verb], namespace, resourceKind, name, apiPath, body, selector, KINDS[kind]);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
