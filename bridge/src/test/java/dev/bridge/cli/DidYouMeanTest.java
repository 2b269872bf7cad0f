package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  private static final List<String> HANDSHAKE = List.of("appProtocolVersions", "magicCookieKey", "magicCookieValue");

  @Test
  void aTypoFindsTheNameItMeant() {
    assertEquals(Optional.of("magicCookieKey"), DidYouMean.closest("magicCookeKey", HANDSHAKE));
    assertEquals(Optional.of("magicCookieValue"), DidYouMean.closest("magicCookieVlaue", HANDSHAKE));
    assertEquals(Optional.of("key"), DidYouMean.closest("kee", List.of("key", "value")));
  }

  @Test
  void caseAloneCountsAsClose() {
    assertEquals(Optional.of("maxMessageSize"), DidYouMean.closest("maxmessagesize", List.of("maxMessageSize")));
  }

  @Test
  void aNameFarFromEveryKnownOneHasNoGuess() {
    assertEquals(Optional.empty(), DidYouMean.closest("colour", HANDSHAKE));
    assertEquals(Optional.empty(), DidYouMean.closest("x", List.of("key")));
    assertEquals("", DidYouMean.hint("colour", HANDSHAKE));
    assertEquals(" (did you mean \"key\"?)", DidYouMean.hint("kye", List.of("key", "value")));
  }
}
