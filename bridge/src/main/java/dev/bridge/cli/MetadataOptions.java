package dev.bridge.cli;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code --metadata key=value} options as the request headers a handler sees: keys lower-cased as gRPC
 * sends them, values in the order given; a binary ({@code -bin}) key's value is given in base64, as gRPC
 * carries it, and reaches the handler as bytes. Refused are what a host could not send to a handler: keys
 * with characters gRPC does not allow, and values that are not printable ASCII (or not base64 for
 * {@code -bin}).
 */
final class MetadataOptions {
  private static final Pattern KEY = Pattern.compile("[0-9a-z_.-]+");
  private static final Pattern VALUE = Pattern.compile("[\\x20-\\x7e]*");

  private MetadataOptions() {}

  static Map<String, List<String>> parse(List<String> options) throws CallUsageException {
    Map<String, List<String>> metadata = new LinkedHashMap<>();
    for (String option : options) {
      int equals = option.indexOf('=');
      if (equals <= 0) {
        throw new CallUsageException("--metadata " + option + ": expected KEY=VALUE");
      }
      String key = option.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = option.substring(equals + 1);
      if (!KEY.matcher(key).matches()) {
        throw new CallUsageException("--metadata " + option + ": a key has only letters, digits, '_', '-' and '.'");
      }
      if (key.endsWith("-bin")) {
        continue;  // binary(...)'s
      }
      if (!VALUE.matcher(value).matches()) {
        throw new CallUsageException("--metadata " + option + ": a value is printable ASCII");
      }
      metadata.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return metadata;
  }

  /** The {@code -bin} options, their base64 values decoded (padded or not); the others are parse's. */
  static Map<String, List<byte[]>> binary(List<String> options) throws CallUsageException {
    Map<String, List<byte[]>> metadata = new LinkedHashMap<>();
    for (String option : options) {
      int equals = option.indexOf('=');
      String key = equals <= 0 ? "" : option.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      if (!key.endsWith("-bin") || !KEY.matcher(key).matches()) {
        continue;
      }
      byte[] value;
      try {
        value = Base64.getDecoder().decode(option.substring(equals + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new CallUsageException("--metadata " + option + ": a -bin key's value is base64 (" + e.getMessage() + ")");
      }
      metadata.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return metadata;
  }
}
