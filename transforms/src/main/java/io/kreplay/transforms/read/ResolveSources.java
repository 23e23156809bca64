package io.kreplay.transforms.read;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Turns {@code --profile} (comma-separated locations) into profile sources, one phase each, in
 * the order given. A glob becomes its matches in name order. Only http, https, file and
 * schemes registered with Beam's {@link FileSystems} are accepted.
 */
public final class ResolveSources {
  private ResolveSources() {}

  public static List<ProfileSource> resolve(String profiles) throws ProfileReadException {
    if (profiles == null || profiles.trim().isEmpty()) {
      throw new ProfileReadException("--profile is required (a path, glob, filesystem URI or http(s) URL)");
    }
    List<ProfileSource> out = new ArrayList<>();
    boolean afterUrlQuery = false;
    for (String raw : profiles.split(",")) {
      String spec = raw.trim();
      if (spec.isEmpty()) {
        continue;
      }
      if (ProfileSource.isUrl(spec)) {
        checkUrl(spec);
        out.add(new ProfileSource(out.size(), spec));
        afterUrlQuery = spec.contains("?");
        continue;
      }
      try {
        for (String file : match(spec)) {
          out.add(new ProfileSource(out.size(), file));
        }
      } catch (ProfileReadException e) {
        if (afterUrlQuery) {
          // Most likely the rest of a signed URL whose query has a comma: do not echo it, it
          // may be the signature.
          throw new ProfileReadException(
              "the entry after " + ProfileSource.redact(out.get(out.size() - 1).location)
                  + " is not a profile; commas separate profiles, so write a comma inside a URL as %2C");
        }
        throw e;
      }
      afterUrlQuery = false;
    }
    if (out.isEmpty()) {
      throw new ProfileReadException("--profile names no profile");
    }
    return out;
  }

  private static void checkUrl(String spec) throws ProfileReadException {
    try {
      URI u = URI.create(spec);
      if (u.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
    } catch (IllegalArgumentException e) {
      throw new ProfileReadException(ProfileSource.redact(spec) + ": not a valid URL (" + e.getMessage() + ")");
    }
  }

  /**
   * {@code spec} without the user info, query and fragment a URI of a scheme we do not know may
   * carry ({@code ftp://user:password@host/p?token=...}): {@link ProfileSource#redact} only
   * knows http(s).
   */
  static String withoutCredentials(String spec) {
    int start = spec.indexOf("://");
    if (start < 0) {
      return spec;
    }
    start += 3;
    int end = spec.length();
    for (char c : new char[] {'?', '#'}) {
      int i = spec.indexOf(c, start);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    int slash = spec.indexOf('/', start);
    int authorityEnd = slash >= 0 && slash < end ? slash : end;
    int at = spec.lastIndexOf('@', authorityEnd - 1);
    int hostStart = at >= start ? at + 1 : start;
    return spec.substring(0, start)
        + spec.substring(hostStart, end)
        + (end < spec.length() ? "?<redacted>" : "");
  }

  private static List<String> match(String spec) throws ProfileReadException {
    int colon = spec.indexOf("://");
    String scheme = colon > 0 ? spec.substring(0, colon).toLowerCase(Locale.ROOT) : "file";
    MatchResult result;
    try {
      result = FileSystems.match(spec, EmptyMatchTreatment.DISALLOW);
    } catch (IllegalArgumentException e) {
      throw new ProfileReadException(
          withoutCredentials(spec)
              + ": unsupported scheme '"
              + scheme
              + "' (use http, https, file or a Beam filesystem on the class path)");
    } catch (IOException e) {
      throw new ProfileReadException(spec + ": " + e.getMessage(), e);
    }
    List<MatchResult.Metadata> files;
    try {
      files = new ArrayList<>(result.metadata());
    } catch (IOException e) {
      throw new ProfileReadException(spec + ": no such file" + (spec.contains("*") ? " matches" : ""));
    }
    files.removeIf(m -> m.resourceId().isDirectory());
    if (files.isEmpty()) {
      throw new ProfileReadException(spec + ": no file matches");
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    List<String> names = new ArrayList<>();
    for (MatchResult.Metadata m : files) {
      names.add(m.resourceId().toString());
    }
    return names;
  }
}
