package dev.bridge.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules for response headers and trailers, without a script or a transport. */
class ResponseMetadataTest {
  private final ResponseMetadata response = new ResponseMetadata();

  @Test
  void repeatedNamesAddValuesInOrderAndNamesAreLowerCased() {
    response.add(false, "X-Foo", "a");
    response.add(false, "x-foo", "b");
    response.add(true, "x-raw-bin", new byte[] {0, (byte) 255});
    assertEquals(List.of(new ResponseMetadata.Entry("x-foo", "a"), new ResponseMetadata.Entry("x-foo", "b")),
        response.headers());
    assertEquals("x-raw-bin", response.trailers().getFirst().name());
    assertArrayEquals(new byte[] {0, (byte) 255}, (byte[]) response.trailers().getFirst().value());
  }

  @Test
  void reservedAndPseudoNamesAreRefusedNamingTheHeader() {
    for (String name : List.of("grpc-status", "Grpc-Message", "content-type", "te", "user-agent")) {
      var e = assertThrows(ResponseMetadata.InvalidMetadataException.class, () -> response.add(false, name, "v"));
      assertTrue(e.getMessage().startsWith("setHeader(\"" + name + "\"): ") && e.getMessage().contains("reserved"),
          e.getMessage());
    }
    var pseudo = assertThrows(ResponseMetadata.InvalidMetadataException.class,
        () -> response.add(true, ":status", "200"));
    assertTrue(pseudo.getMessage().startsWith("setTrailer(\":status\"): ") && pseudo.getMessage().contains("pseudo"),
        pseudo.getMessage());
    assertTrue(response.headers().isEmpty() && response.trailers().isEmpty());
  }

  @Test
  void invalidNamesAreRefused() {
    for (String name : List.of("", "x foo", "x/foo", "é")) {
      assertThrows(ResponseMetadata.InvalidMetadataException.class, () -> response.add(false, name, "v"), name);
    }
  }

  @Test
  void valuesMustFitTheName() {
    var bytesForAscii = assertThrows(ResponseMetadata.InvalidMetadataException.class,
        () -> response.add(false, "x-foo", new byte[] {1}));
    assertEquals("setHeader(\"x-foo\"): the value must be a string (or a Uint8Array for a name ending in -bin), "
        + "got a Uint8Array", bytesForAscii.getMessage());
    var stringForBinary = assertThrows(ResponseMetadata.InvalidMetadataException.class,
        () -> response.add(true, "x-foo-bin", "abc"));
    assertEquals("setTrailer(\"x-foo-bin\"): a -bin header's value must be a Uint8Array, got a string",
        stringForBinary.getMessage());
    var number = assertThrows(ResponseMetadata.InvalidMetadataException.class,
        () -> response.add(false, "x-n", new ResponseMetadata.Unusable("a number")));
    assertTrue(number.getMessage().endsWith("got a number"), number.getMessage());
    var nonAscii = assertThrows(ResponseMetadata.InvalidMetadataException.class,
        () -> response.add(false, "x-name", "zoë"));
    assertTrue(nonAscii.getMessage().contains("printable ASCII") && nonAscii.getMessage().contains("U+00EB"),
        nonAscii.getMessage());
  }

  @Test
  void afterTheAnswerAddingIsAnError() {
    response.add(false, "x-early", "1");
    response.seal();
    var e = assertThrows(ResponseMetadata.CallEndedException.class, () -> response.add(true, "x-late", "2"));
    assertTrue(e.getMessage().startsWith("setTrailer(\"x-late\"): the call was already answered"), e.getMessage());
    assertEquals(1, response.headers().size());
    assertTrue(response.trailers().isEmpty());
  }
}
