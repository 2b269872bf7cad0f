package dev.bridge.script;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node's {@code package.json} {@code "exports"} and {@code "imports"} maps: which target a subpath
 * ({@code "."}, {@code "./sub"}, {@code "#internal"}) names under a set of conditions. Targets may be strings
 * (with a {@code *} pattern), arrays (first that matches) or condition objects, taken in their own key order, the
 * first key among the conditions (or {@code "default"}) winning.
 */
final class PackageExports {
  private PackageExports() {}

  /** The target string for {@code subpath}, or null when the map does not export it under these conditions. */
  static String target(Object exports, String subpath, Set<String> conditions) {
    Map<?, ?> map = subpathMap(exports);
    if (map == null) {
      return null;
    }
    Object exact = map.get(subpath);
    if (exact != null && !subpath.contains("*")) {
      return resolveTarget(exact, null, conditions);
    }
    String bestKey = null;
    String bestMatch = null;
    for (Object k : map.keySet()) {
      String key = String.valueOf(k);
      int star = key.indexOf('*');
      if (star >= 0) {
        String prefix = key.substring(0, star);
        String suffix = key.substring(star + 1);
        if (subpath.startsWith(prefix) && subpath.length() >= key.length() - 1 && subpath.endsWith(suffix)
            && (bestKey == null || prefix.length() > bestKey.indexOf('*'))) {
          bestKey = key;
          bestMatch = subpath.substring(prefix.length(), subpath.length() - suffix.length());
        }
      } else if (key.endsWith("/") && subpath.startsWith(key) && (bestKey == null || key.length() > bestKey.length())) {
        // Folder mappings ("./lib/": "./lib/"), deprecated by Node but still published.
        bestKey = key;
        bestMatch = null;
      }
    }
    if (bestKey == null) {
      return null;
    }
    if (bestMatch == null) {
      String folder = resolveTarget(map.get(bestKey), null, conditions);
      return folder == null ? null : folder + subpath.substring(bestKey.length());
    }
    return resolveTarget(map.get(bestKey), bestMatch, conditions);
  }

  /** The exports as a map of subpaths: a bare target or a map of conditions means {@code {".": exports}}. */
  private static Map<?, ?> subpathMap(Object exports) {
    if (exports instanceof Map<?, ?> map) {
      boolean subpaths = !map.isEmpty() && map.keySet().stream().allMatch(k -> {
        String key = String.valueOf(k);
        return key.startsWith(".") || key.startsWith("#");
      });
      return subpaths ? map : Map.of(".", map);
    }
    return exports == null ? null : Map.of(".", exports);
  }

  private static String resolveTarget(Object target, String patternMatch, Set<String> conditions) {
    if (target instanceof String s) {
      return patternMatch == null ? s : s.replace("*", patternMatch);
    }
    if (target instanceof List<?> list) {
      for (Object each : list) {
        String resolved = resolveTarget(each, patternMatch, conditions);
        if (resolved != null) {
          return resolved;
        }
      }
      return null;
    }
    if (target instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String condition = String.valueOf(entry.getKey());
        if (condition.equals("default") || conditions.contains(condition)) {
          String resolved = resolveTarget(entry.getValue(), patternMatch, conditions);
          if (resolved != null) {
            return resolved;
          }
        }
      }
    }
    return null;
  }
}
