package io.kreplay.transforms.read;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.channels.Channels;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Opens a profile source as a stream of YAML bytes: from an http(s) URL or any Beam filesystem,
 * gunzipped when the content starts with gzip's magic bytes {@code 1f 8b} (never by file name),
 * and cut off with a clear error past the size limits.
 */
public final class ProfileInput {
  private static final int BUFFER = 1 << 16;

  private ProfileInput() {}

  public static InputStream open(ProfileSource source, ReadLimits limits) throws IOException {
    InputStream raw = source.isUrl() ? openUrl(source, limits) : openFile(source);
    InputStream counted =
        new LimitedInputStream(
            raw,
            limits.maxDownloadBytes,
            source.displayName() + ": larger than --maxDownloadBytes=" + limits.maxDownloadBytes);
    BufferedInputStream buffered = new BufferedInputStream(counted, BUFFER);
    InputStream content;
    try {
      content = isGzip(buffered) ? new GzipStream(buffered) : buffered;
    } catch (IOException e) {
      buffered.close(); // a broken gzip header must not leak the connection or file
      throw e;
    }
    return new LimitedInputStream(
        content,
        limits.maxDecompressedBytes,
        source.displayName()
            + ": more than --maxDecompressedBytes="
            + limits.maxDecompressedBytes
            + " bytes of YAML (a gzip bomb, or raise the limit)");
  }

  private static boolean isGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b;
  }

  private static InputStream openFile(ProfileSource source) throws IOException {
    try {
      MatchResult.Metadata meta = FileSystems.matchSingleFileSpec(source.location);
      ResourceId id = meta.resourceId();
      return Channels.newInputStream(FileSystems.open(id));
    } catch (FileNotFoundException e) {
      throw new ProfileReadException(source.displayName() + ": no such file");
    } catch (IllegalArgumentException e) {
      throw new ProfileReadException(source.displayName() + ": " + e.getMessage());
    }
  }

  private static InputStream openUrl(ProfileSource source, ReadLimits limits) throws IOException {
    String name = source.displayName();
    HttpURLConnection conn;
    try {
      conn = (HttpURLConnection) new URL(source.location).openConnection();
    } catch (IllegalArgumentException e) {
      throw new ProfileReadException(name + ": not a valid URL");
    }
    conn.setConnectTimeout(limits.connectTimeoutMs);
    conn.setReadTimeout(limits.readTimeoutMs);
    conn.setInstanceFollowRedirects(true);
    conn.setRequestProperty("Accept-Encoding", "identity");
    int status;
    try {
      status = conn.getResponseCode();
    } catch (SocketTimeoutException e) {
      throw new ProfileReadException(name + ": no answer within the URL timeouts", e);
    } catch (IOException e) {
      throw new ProfileReadException(name + ": unreachable (" + e + ")", e);
    }
    if (status != HttpURLConnection.HTTP_OK) {
      conn.disconnect();
      throw new ProfileReadException(
          name + ": HTTP " + status + " " + String.valueOf(conn.getResponseMessage()));
    }
    long length = conn.getContentLengthLong();
    if (length > limits.maxDownloadBytes) {
      conn.disconnect();
      throw new ProfileReadException(
          name + ": " + length + " bytes is larger than --maxDownloadBytes=" + limits.maxDownloadBytes);
    }
    return conn.getInputStream();
  }

  /** Turns the JDK's terse end-of-stream errors into one that names the problem. */
  private static final class GzipStream extends FilterInputStream {
    GzipStream(InputStream in) throws IOException {
      super(new GZIPInputStream(in, BUFFER));
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (java.io.EOFException e) {
        throw truncated(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (java.io.EOFException e) {
        throw truncated(e);
      }
    }

    private static ProfileReadException truncated(java.io.EOFException e) {
      return new ProfileReadException("truncated gzip stream (" + e.getMessage() + ")", e);
    }
  }

  /** Fails, rather than silently stops, once more than {@code limit} bytes have been read. */
  static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final String message;
    private long count;

    LimitedInputStream(InputStream in, long limit, String message) {
      super(in);
      this.limit = limit;
      this.message = message;
    }

    private void add(long n) throws ProfileReadException {
      count += n;
      if (count > limit) {
        throw new ProfileReadException(message);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      add(skipped);
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
