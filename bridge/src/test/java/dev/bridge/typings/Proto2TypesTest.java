package dev.bridge.typings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.bridge.schema.ProtoSchema;
import org.junit.jupiter.api.Test;

/** proto2: required fields, optional scalars with presence, closed enums. */
class Proto2TypesTest {
  private static final ProtoSchema SCHEMA = TestSchemas.LEGACY;
  private static final DeclaredNames NAMES = DeclaredNames.of(
      EmittedTypes.of(SCHEMA.files(), SCHEMA.services()), SCHEMA.services(), Helpers.ALL);
  private static final TsTypes TYPES = new TsTypes(NAMES);

  private static FieldDescriptor field(String name) {
    return TestSchemas.field(SCHEMA, "legacy.Legacy", name);
  }

  private static TsScope scope() {
    return NAMES.received(TestSchemas.message(SCHEMA, "legacy.Legacy")).scope();
  }

  @Test
  void aRequiredFieldIsAlwaysReceivedAndMustBeReturned() {
    assertFalse(TsTypes.receivedOptional(field("id")));
    assertEquals("string", TYPES.returned(field("id"), scope()));
  }

  @Test
  void anOptionalScalarIsReceivedOnlyWhenSet() {
    assertTrue(TsTypes.receivedOptional(field("count")));
    assertEquals("number", TYPES.received(field("count"), scope()));
  }

  @Test
  void aClosedEnumArrivesByNameOnlyButIsReturnedByNameOrNumber() {
    assertEquals("Mood", TYPES.received(field("mood"), scope()));
    assertEquals("Mood | number | null", TYPES.returned(field("mood"), scope()));
  }
}
