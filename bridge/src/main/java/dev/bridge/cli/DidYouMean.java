package dev.bridge.cli;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.text.similarity.DamerauLevenshteinDistance;

/** The known name a misspelt one most likely meant, for "did you mean" in error messages. */
final class DidYouMean {
  private DidYouMean() {}

  /**
   * The known name closest to {@code given} by edit distance (case ignored; a swap of two neighbours is one edit),
   * if it is close enough to be a typo: at most one edit in three characters, at least one. Ties go to the first in
   * {@code known}'s order.
   */
  static Optional<String> closest(String given, Collection<String> known) {
    int limit = Math.max(1, given.length() / 3);
    var distance = new DamerauLevenshteinDistance();
    String lowerGiven = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance.apply(lowerGiven, candidate.toLowerCase(Locale.ROOT));
      if (d <= limit && d < bestDistance && !candidate.equals(given)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** {@code (did you mean "name"?)}, after a space, when a known name is close, else nothing. */
  static String hint(String given, Collection<String> known) {
    return closest(given, known).map(name -> " (did you mean \"" + name + "\"?)").orElse("");
  }
}
