package dev.bridge.typings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.bridge.schema.ProtoSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each field of the mapping test proto, as a handler receives it and as it may return it, written
 * from the field's own namespace: the README's table ("The JavaScript API") in TypeScript.
 */
class FieldTypesTest {
  private static final ProtoSchema SCHEMA = TestSchemas.EVERYTHING;
  private static final DeclaredNames NAMES = DeclaredNames.of(
      EmittedTypes.of(SCHEMA.files(), SCHEMA.services()), SCHEMA.services(), Helpers.ALL);
  private static final TsTypes TYPES = new TsTypes(NAMES);

  @ParameterizedTest(name = "{0}: received {1}")
  @CsvSource(delimiter = ';', textBlock = """
      s ; string ; false
      b ; Uint8Array ; false
      flag ; boolean ; false
      i32 ; number ; false
      u32 ; number ; false
      f ; number ; false
      d ; number ; false
      i64 ; bigint ; false
      u64 ; bigint ; false
      sf64 ; bigint ; false
      level ; Level | number ; false
      r_s ; string[] ; false
      r_i64 ; bigint[] ; false
      r_level ; (Level | number)[] ; false
      m_string ; { [key: string]: number } ; false
      m_int64 ; { [key: string]: Uint8Array } ; false
      m_uint32 ; { [key: string]: Node } ; false
      m_bool ; { [key: string]: number } ; false
      node ; Node ; true
      nodes ; Node[] ; false
      c_text ; string ; true
      c_node ; Node ; true
      c_time ; Date ; true
      c_wrapped ; string ; true
      o_s ; string ; true
      o_u64 ; bigint ; true
      ts ; Date ; true
      dur ; string ; true
      w_string ; string | null ; false
      w_int64 ; bigint | null ; false
      w_uint32 ; number | null ; false
      w_bytes ; Uint8Array | null ; false
      st ; JsonObject ; true
      v ; JsonValue ; true
      lv ; JsonValue[] ; true
      e ; google.protobuf.Empty ; true
      any ; AnyMessage ; true
      fm ; string[] ; true
      r_ts ; Date[] ; false
      r_w_int64 ; bigint[] ; false
      r_v ; JsonValue[] ; false
      m_v ; { [key: string]: JsonValue } ; false
      m_ts ; { [key: string]: Date } ; false
      m_w_bool ; { [key: string]: boolean } ; false
      """)
  void received(String field, String type, boolean optional) {
    FieldDescriptor descriptor = TestSchemas.field(SCHEMA, "mapping.All", field);
    assertEquals(type, TYPES.received(descriptor, NAMES.received(descriptor.getContainingType()).scope()));
    assertEquals(optional, TsTypes.receivedOptional(descriptor), "optional");
  }

  @ParameterizedTest(name = "{0}: returned {1}")
  @CsvSource(delimiter = ';', textBlock = """
      s ; string | null
      b ; Uint8Array | ArrayBufferView | ArrayBuffer | string | null
      i32 ; number | null
      i64 ; bigint | number | string | null
      u64 ; bigint | number | string | null
      level ; Level | number | null
      r_s ; readonly string[] | null
      r_i64 ; readonly (bigint | number | string)[] | null
      r_b ; readonly (Uint8Array | ArrayBufferView | ArrayBuffer | string)[] | null
      m_string ; { readonly [key: string]: number } | ReadonlyMap<string, number> | null
      m_int32 ; { readonly [key: string]: string } | ReadonlyMap<number | string, string> | null
      m_int64 ; { readonly [key: string]: Uint8Array | ArrayBufferView | ArrayBuffer | string } | ReadonlyMap<bigint | number | string, Uint8Array | ArrayBufferView | ArrayBuffer | string> | null
      m_uint32 ; { readonly [key: string]: NodeInit } | ReadonlyMap<number | string, NodeInit> | null
      m_bool ; { readonly [key: string]: number } | ReadonlyMap<boolean | string, number> | null
      node ; NodeInit | null
      nodes ; readonly NodeInit[] | null
      c_time ; TimestampInit | null
      c_wrapped ; string | null
      ts ; TimestampInit | null
      dur ; DurationInit | null
      w_string ; string | null
      w_int64 ; bigint | number | string | null
      w_bytes ; Uint8Array | ArrayBufferView | ArrayBuffer | string | null
      st ; JsonObjectInit | null
      v ; JsonValueInit
      lv ; readonly JsonValueInit[] | null
      e ; google.protobuf.EmptyInit | null
      any ; AnyInit | null
      fm ; readonly string[] | string | null
      r_ts ; readonly TimestampInit[] | null
      r_v ; readonly JsonValueInit[] | null
      m_v ; { readonly [key: string]: JsonValueInit } | ReadonlyMap<string, JsonValueInit> | null
      """)
  void returned(String field, String type) {
    FieldDescriptor descriptor = TestSchemas.field(SCHEMA, "mapping.All", field);
    assertEquals(type, TYPES.returned(descriptor, NAMES.returned(descriptor.getContainingType()).scope()));
  }

  @ParameterizedTest(name = "{0}({1}) returns {2}")
  @CsvSource(delimiter = ';', textBlock = """
      Echo ; All ; AllInit
      Make ; string ; AllInit
      Inspect ; Probe ; string | null | void
      EchoTimestamp ; Date ; TimestampInit
      EchoDuration ; string ; DurationInit
      EchoInt64Value ; bigint ; bigint | number | string | null | void
      EchoStruct ; JsonObject ; JsonObjectInit
      EchoValue ; JsonValue ; JsonValueInit | void
      EchoListValue ; JsonValue[] ; readonly JsonValueInit[]
      EchoEmpty ; google.protobuf.Empty ; google.protobuf.EmptyInit | void
      EchoAny ; AnyMessage ; AnyInit
      EchoFieldMask ; string[] ; readonly string[] | string
      """)
  void wholeRequestsAndResponses(String method, String request, String response) {
    var descriptor = SCHEMA.services().getFirst().findMethodByName(method);
    TsScope scope = NAMES.service(descriptor.getService()).scope();
    assertEquals(request, TYPES.receivedMessage(descriptor.getInputType(), scope));
    assertEquals(response, TYPES.response(descriptor.getOutputType(), scope));
  }
}
