package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.Config;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Removes credentials from text bound for logs and reports. Error keys are built from status
 * codes and a fixed vocabulary, but an {@code unknown/} key carries an exception message, and
 * nobody can promise what a library puts in one. The secrets are read from the live
 * {@link Config} each time because fabric8 refreshes tokens in place (exec plugins, rotated
 * service-account tokens).
 */
final class SecretRedactor {
  static final String MASK = "<redacted>";
  // Shorter values are not secrets worth masking and would mangle ordinary words.
  private static final int MIN_SECRET_LENGTH = 6;

  private final Supplier<Config> config;

  SecretRedactor(Supplier<Config> config) {
    this.config = config;
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    Config c = config.get();
    List<String> secrets =
        Arrays.asList(
            c.getOauthToken(),
            c.getAutoOAuthToken(),
            c.getPassword(),
            c.getClientKeyData(),
            c.getClientKeyPassphrase(),
            c.getProxyPassword(),
            c.getTrustStorePassphrase(),
            c.getKeyStorePassphrase());
    String out = text;
    for (String s : secrets) {
      if (s != null && s.length() >= MIN_SECRET_LENGTH && out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
