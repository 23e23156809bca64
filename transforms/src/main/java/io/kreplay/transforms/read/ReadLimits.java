package io.kreplay.transforms.read;

import java.io.Serializable;

/** Guards for reading untrusted profiles: sizes and URL timeouts. */
public final class ReadLimits implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final long GIB = 1L << 30;

  /** Bytes fetched from a URL (compressed or not). */
  public final long maxDownloadBytes;
  /** Bytes of YAML after decompression: stops gzip bombs before they fill disk with segments. */
  public final long maxDecompressedBytes;

  public final int connectTimeoutMs;
  /** Longest silence between two reads of a URL's body. */
  public final int readTimeoutMs;

  public ReadLimits(
      long maxDownloadBytes, long maxDecompressedBytes, int connectTimeoutMs, int readTimeoutMs) {
    this.maxDownloadBytes = maxDownloadBytes;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.connectTimeoutMs = connectTimeoutMs;
    this.readTimeoutMs = readTimeoutMs;
  }

  public static ReadLimits defaults() {
    return new ReadLimits(4 * GIB, 32 * GIB, 10_000, 60_000);
  }
}
