package dev.bridge.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolVersionsTest {
  private static final List<Integer> OURS = List.of(1, 3, 2);

  @Test
  void picksTheHighestVersionBothSidesSupport() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, "1,2,5");
    assertEquals(2, n.version());
    assertTrue(n.agreed());
    assertEquals(List.of(), n.warnings());
  }

  @Test
  void orderOfTheHostListDoesNotMatter() {
    assertEquals(3, ProtocolVersions.negotiate(OURS, "3,1,2").version());
    assertEquals(3, ProtocolVersions.negotiate(OURS, "1,3").version());
  }

  @Test
  void absentListFallsBackToOurLowestVersionUnagreed() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, null);
    assertEquals(1, n.version());
    assertFalse(n.agreed());
  }

  @Test
  void emptyListFallsBackToOurLowestVersionUnagreed() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, "");
    assertEquals(1, n.version());
    assertFalse(n.agreed());
  }

  @Test
  void noCommonVersionFallsBackToOurLowestSoTheHostCanReportIt() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, "4,5");
    assertEquals(1, n.version());
    assertFalse(n.agreed());
  }

  @Test
  void nonNumericEntriesAreSkippedWithAWarningNamingTheVariable() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, "x,2,,v3");
    assertEquals(2, n.version());
    assertTrue(n.agreed());
    assertEquals(3, n.warnings().size());
    assertTrue(n.warnings().getFirst().contains("PLUGIN_PROTOCOL_VERSIONS"), n.warnings().getFirst());
    assertTrue(n.warnings().getFirst().contains("'x'"), n.warnings().getFirst());
  }

  @Test
  void onlyInvalidEntriesBehaveLikeNoList() {
    ProtocolVersions.Negotiated n = ProtocolVersions.negotiate(OURS, "abc");
    assertEquals(1, n.version());
    assertFalse(n.agreed());
    assertEquals(1, n.warnings().size());
  }

  @Test
  void surroundingSpacesAreTolerated() {
    assertEquals(3, ProtocolVersions.negotiate(OURS, " 3 , 1").version());
  }
}
