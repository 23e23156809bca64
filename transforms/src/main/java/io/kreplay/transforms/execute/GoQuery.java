package io.kreplay.transforms.execute;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A query string read and written the way Go's {@code net/url} does ({@code ParseQuery} and
 * {@code Values.Encode}), because kperf builds its URLs that way and the URLs we send, and the
 * keys we aggregate by, should be the ones kperf would produce for the same profile.
 *
 * <p>Parsing splits on '&amp;', drops empty pairs and pairs Go rejects (a ';' in them, a bad
 * %-escape), splits each at the first '=', and decodes '+' as a space. Encoding sorts keys,
 * keeps each key's values in the order they came, and escapes everything but {@code A-Z a-z
 * 0-9 - _ . ~}, with a space as '+' ({@code url.QueryEscape}).
 */
final class GoQuery {
  // Sorted by key as Go's Encode sorts; a key's values keep their order.
  private final TreeMap<String, List<String>> params = new TreeMap<>();

  private GoQuery() {}

  static GoQuery parse(String rawQuery) {
    GoQuery q = new GoQuery();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return q;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty() || pair.indexOf(';') >= 0) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = unescape(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : unescape(pair.substring(eq + 1));
      if (key == null || value == null) {
        continue;
      }
      q.params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return q;
  }

  /** Replaces every value of {@code key} with {@code value}, like Go's {@code Values.Set}. */
  GoQuery set(String key, String value) {
    List<String> values = new ArrayList<>(1);
    values.add(value);
    params.put(key, values);
    return this;
  }

  boolean isEmpty() {
    return params.isEmpty();
  }

  String encode() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String key = escape(e.getKey());
      for (String v : e.getValue()) {
        if (sb.length() > 0) {
          sb.append('&');
        }
        sb.append(key).append('=').append(escape(v));
      }
    }
    return sb.toString();
  }

  /** Go's {@code url.QueryEscape}. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else if (c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /** Go's {@code url.QueryUnescape}; null where Go returns an error. */
  static String unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write((hi << 4) | lo);
        i += 2;
      } else if (c == '+') {
        out.write(' ');
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(bytes, 0, bytes.length);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
