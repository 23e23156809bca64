package io.kreplay.transforms.read;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Opens a profile source as a {@link RequestStream}, telling kperf's two formats apart by
 * content, whatever the file is called and whether or not it is gzip'd: a <em>load</em>
 * profile has {@code specs}, or a {@code spec} with {@code rate}/{@code requests}/...; a
 * <em>replay</em> profile has top-level {@code requests} (with timestamps) and a {@code spec}
 * with {@code runnerCount}. Only the first keys are looked at; the bytes read to decide are
 * read again by the profile's reader.
 */
public final class ProfileStreams {
  /** Bytes the format check may look at before it must have decided. */
  static final int DETECT_LIMIT = 4 << 20;

  private static final List<String> LOAD_SPEC_FIELDS =
      Arrays.asList("rate", "total", "duration", "conns", "client", "maxRetries", "requests");
  private static final List<String> REPLAY_SPEC_FIELDS =
      Arrays.asList("runnerCount", "connsPerRunner", "clientsPerRunner");

  /** The two profile formats. */
  public enum Format {
    REPLAY,
    LOAD
  }

  /** How a load profile is expanded and a replay profile split. */
  public static final class Options implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public long seed = 1;
    public LoadProfileStream.Arrivals arrivals = LoadProfileStream.Arrivals.EVEN;
    /** --phases for replay profiles; null: the profile header's. */
    public List<PhaseMark> phases;
  }

  private ProfileStreams() {}

  /**
   * Opens {@code source}. Failures to open are recorded as problems and give a stream with
   * nothing in it, as {@link ProfileReader#open} does.
   */
  public static RequestStream open(ProfileSource source, ReadLimits limits, Options options, ProfileProblems problems) {
    InputStream in;
    try {
      in = new BufferedInputStream(ProfileInput.open(source, limits), 1 << 16);
    } catch (IOException e) {
      problems.add(source.displayName() + ": " + ProfileReader.readErrorMessage(e, source.displayName()));
      return ProfileReader.of(source, null, problems);
    }
    return of(source, in, options, problems);
  }

  /** The same, for a stream already open (tests, generated profiles); it is closed with the stream. */
  public static RequestStream of(ProfileSource source, InputStream raw, Options options, ProfileProblems problems) {
    InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 1 << 16);
    Format format;
    try {
      in.mark(DETECT_LIMIT);
      format = detect(in);
      in.reset();
    } catch (IOException e) {
      closeQuietly(in);
      problems.add(source.displayName() + ": " + ProfileReader.readErrorMessage(e, source.displayName()));
      return ProfileReader.of(source, null, problems);
    }
    if (format == Format.LOAD) {
      try {
        JsonParser parser = ProfileReader.yamlParser(in);
        return new LoadProfileStream(source, in, parser, options.seed, options.arrivals, problems);
      } catch (IOException e) {
        closeQuietly(in);
        problems.add(source.displayName() + ": " + ProfileReader.readErrorMessage(e, source.displayName()));
        return ProfileReader.of(source, null, problems);
      }
    }
    return ProfileReader.of(source, in, problems).splitInto(options.phases);
  }

  /** The format of the profile at the stream's position; anything unclear is REPLAY. */
  static Format detect(InputStream in) {
    try {
      JsonParser p = ProfileReader.yamlParser(new NonClosing(in));
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Format.REPLAY;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("specs")) {
          return Format.LOAD;
        }
        if (field.equals("requests")) {
          return Format.REPLAY;
        }
        if (field.equals("spec") && v == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            if (LOAD_SPEC_FIELDS.contains(f)) {
              return Format.LOAD;
            }
            if (REPLAY_SPEC_FIELDS.contains(f)) {
              return Format.REPLAY;
            }
            p.nextToken();
            p.skipChildren();
          }
          continue;
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // Broken YAML: the replay reader reports it with its line.
    }
    return Format.REPLAY;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // already failing
    }
  }

  /** Lets the detection parser go without closing the stream under it. */
  private static final class NonClosing extends java.io.FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
