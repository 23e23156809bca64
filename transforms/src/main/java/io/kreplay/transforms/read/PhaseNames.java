package io.kreplay.transforms.read;

/** Default phase names: a profile's file name without directories and extensions. */
public final class PhaseNames {
  private PhaseNames() {}

  /** "samples/pod-lifecycle.yaml.gz" becomes "pod-lifecycle". */
  public static String of(String source) {
    String s = source;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    s = s.substring(s.lastIndexOf('/') + 1);
    for (String ext : new String[] {".gz", ".gzip", ".yaml", ".yml", ".json"}) {
      if (s.endsWith(ext) && s.length() > ext.length()) {
        s = s.substring(0, s.length() - ext.length());
      }
    }
    return s.isEmpty() ? source : s;
  }
}
