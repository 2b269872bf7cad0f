package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Property: any message, through JavaScript and back ({@code export function Echo(m) { return m; }}),
 * is the message it was: same bytes in canonical form.
 *
 * <p>Why a canonical form and not {@code toByteString()} as is: a map's entries come back in the order
 * of the JS object's keys, where integer-like keys come first in ascending order, so the bytes may
 * differ in entry order. {@link DynamicMessage#equals} ignores map order, but not inside an {@code Any}:
 * its payload is bytes, re-serialized from the JS object. So both sides are rewritten with map entries
 * sorted by key, recursively, also inside every {@code Any} whose type is known, and those bytes must
 * be equal. (Everything else, including NaN and -0 bit patterns, is compared exactly.)
 *
 * <p>Messages come from {@link RandomMessages}, seeded: the seeds are fixed so a failure reproduces;
 * {@code -Dbridge.roundtrip.seed=N} explores others. Sizes grow with the try number, so the first
 * failing seed tends to be a small message (in lieu of shrinking). One script runtime serves all
 * tries (engine and context start-up are the costly part).
 */
class RandomRoundTripTest {
  private static final long SEED = Long.getLong("bridge.roundtrip.seed", 0x5EED_2024L);

  private static MappingScript script;
  private static TypeRegistry types;

  @BeforeAll
  static void load() throws Exception {
    script = new MappingScript();
    types = TypeRegistry.of(List.of(MappingScript.EVERYTHING, MappingScript.LEGACY));
  }

  @AfterAll
  static void close() throws Exception {
    script.close();
  }

  @Test
  void everyMessageOfEveryTypeComesBackUnchanged() throws Exception {
    forAll(200, MappingScript.ALL, "Echo");
  }

  @Test
  void everyProto2MessageComesBackUnchanged() throws Exception {
    forAll(100, MappingScript.LEGACY.findMessageTypeByName("Legacy"), "EchoLegacy");
  }

  private static void forAll(int tries, Descriptor type, String method) throws Exception {
    for (int i = 0; i < tries; i++) {
      long seed = SEED + i;
      int size = 1 + i * 5 / tries;
      int depth = 1 + i * 3 / tries;
      DynamicMessage sent = new RandomMessages(seed, size, depth, types).message(type);
      DynamicMessage received;
      try {
        received = script.call(method, sent);
      } catch (Exception e) {
        throw new AssertionError(describe(seed, size, depth, sent) + "failed: " + e, e);
      }
      ByteString expected = canonical(sent).toByteString();
      ByteString actual = canonical(received).toByteString();
      if (!expected.equals(actual)) {
        fail(describe(seed, size, depth, sent) + "came back as:\n" + TextFormat.printer().printToString(received)
            + "\ncanonical forms differ:\n" + TextFormat.printer().printToString(canonical(sent)) + "\nvs\n"
            + TextFormat.printer().printToString(canonical(received)));
      }
      assertEquals(canonical(sent), canonical(received));
    }
  }

  private static String describe(long seed, int size, int depth, DynamicMessage sent) {
    return "seed " + seed + " (size " + size + ", depth " + depth + "):\n" + TextFormat.printer().printToString(sent) + "\n";
  }

  /** The message with map entries sorted by key, recursively, and inside known {@code Any}s too. */
  static DynamicMessage canonical(Message message) {
    Descriptor type = message.getDescriptorForType();
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      boolean isMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (field.isRepeated()) {
        List<Object> items = new ArrayList<>((List<?>) entry.getValue());
        if (field.isMapField()) {
          FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
          items.sort(Comparator.comparing(item -> keyOf((Message) item, key)));
        }
        for (Object item : items) {
          builder.addRepeatedField(field, isMessage ? canonical((Message) item) : item);
        }
      } else {
        builder.setField(field, isMessage ? canonical((Message) entry.getValue()) : entry.getValue());
      }
    }
    if (WellKnownType.of(type) == WellKnownType.ANY) {
      String typeUrl = (String) message.getField(type.findFieldByNumber(1));
      types.forTypeUrl(typeUrl).ifPresent(packedType -> {
        try {
          ByteString packed = (ByteString) message.getField(type.findFieldByNumber(2));
          builder.setField(type.findFieldByNumber(2), canonical(DynamicMessage.parseFrom(packedType, packed)).toByteString());
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      });
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> keyOf(Message entry, FieldDescriptor key) {
    return (Comparable<Object>) entry.getField(key);
  }
}
