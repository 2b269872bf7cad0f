package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.failure;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Messages as JavaScript values and back, through {@code proto.Mapping/Echo(Rich) returns (Rich)}. */
class ValueMappingTest {
  private static final Descriptor RICH = TestProtos.message("Rich");
  private static final Descriptor INNER = TestProtos.message("Inner");

  @RegisterExtension final ScriptsUnderTest scripts = new ScriptsUnderTest();
  private ScriptRuntime runtime;

  private void load(String source) throws Exception {
    runtime = scripts.load(source);
  }

  private static DynamicMessage inner(String name, int n) {
    return DynamicMessage.newBuilder(INNER).setField(INNER.findFieldByName("name"), name)
        .setField(INNER.findFieldByName("n"), n).build();
  }

  private static DynamicMessage entry(String mapField, Object key, Object value) {
    Descriptor type = RICH.findFieldByName(mapField).getMessageType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("key"), key)
        .setField(type.findFieldByName("value"), value).build();
  }

  private static DynamicMessage rich() {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(RICH);
    b.setField(RICH.findFieldByName("s"), "ünïcode ✓");
    b.setField(RICH.findFieldByName("b"), ByteString.copyFrom(new byte[] {0, (byte) 0xff, 7}));
    b.setField(RICH.findFieldByName("flag"), true);
    b.setField(RICH.findFieldByName("i32"), -5);
    b.setField(RICH.findFieldByName("u32"), 0xFFFF_FFFE);
    b.setField(RICH.findFieldByName("s32"), Integer.MIN_VALUE);
    b.setField(RICH.findFieldByName("f32"), -1);
    b.setField(RICH.findFieldByName("sf32"), Integer.MAX_VALUE);
    b.setField(RICH.findFieldByName("f"), 1.5f);
    b.setField(RICH.findFieldByName("d"), 0.1);
    b.setField(RICH.findFieldByName("i64"), Long.MIN_VALUE);
    b.setField(RICH.findFieldByName("u64"), -1L);
    b.setField(RICH.findFieldByName("s64"), 9_007_199_254_740_993L);
    b.setField(RICH.findFieldByName("f64"), Long.MIN_VALUE);
    b.setField(RICH.findFieldByName("sf64"), -2L);
    b.setField(RICH.findFieldByName("color"), TestProtos.FILE.findEnumTypeByName("Color").findValueByName("GREEN"));
    b.setField(RICH.findFieldByName("inner"), inner("in", 1));
    b.addRepeatedField(RICH.findFieldByName("items"), inner("a", 2));
    b.addRepeatedField(RICH.findFieldByName("items"), inner("b", 3));
    b.addRepeatedField(RICH.findFieldByName("tags"), "x");
    b.addRepeatedField(RICH.findFieldByName("tags"), "y");
    b.addRepeatedField(RICH.findFieldByName("counts"), entry("counts", "one", 1));
    b.addRepeatedField(RICH.findFieldByName("counts"), entry("counts", "two", 2));
    b.addRepeatedField(RICH.findFieldByName("by_id"), entry("by_id", 7, inner("seven", 7)));
    b.addRepeatedField(RICH.findFieldByName("ids"), 1L);
    b.addRepeatedField(RICH.findFieldByName("ids"), Long.MAX_VALUE);
    b.setField(RICH.findFieldByName("maybe"), "");
    b.setField(RICH.findFieldByName("number"), 9);
    return b.build();
  }

  private String inspect(DynamicMessage request, String expression) throws Exception {
    load("export function Inspect(r) { return { value: String(" + expression + ") }; }");
    String result = new String(value(call(runtime, TestProtos.method("Mapping", "Inspect"), request)),
        StandardCharsets.UTF_8);
    runtime.close();
    return result;
  }

  @Test
  void everyFieldTypeRoundTripsUnchanged() throws Exception {
    load("export function Echo(r) { return r; }");
    DynamicMessage request = rich();
    assertEquals(request, call(runtime, TestProtos.ECHO, request));
  }

  @Test
  void emptyMessageRoundTripsUnchanged() throws Exception {
    load("export function Echo(r) { return r; }");
    DynamicMessage request = DynamicMessage.getDefaultInstance(RICH);
    assertEquals(request, call(runtime, TestProtos.ECHO, request));
  }

  @Test
  void scriptsSeeNativeJavaScriptTypes() throws Exception {
    DynamicMessage r = rich();
    assertEquals("string ünïcode ✓", inspect(r, "typeof r.s + ' ' + r.s"));
    assertEquals("true 0,255,7", inspect(r, "(r.b instanceof Uint8Array) + ' ' + Array.from(r.b)"));
    assertEquals("boolean", inspect(r, "typeof r.flag"));
    assertEquals("-5 4294967294 -2147483648 4294967295 2147483647",
        inspect(r, "[r.i32, r.u32, r.s32, r.f32, r.sf32].join(' ')"));
    assertEquals("1.5 0.1", inspect(r, "r.f + ' ' + r.d"));
    assertEquals("bigint -9223372036854775808 18446744073709551615 9007199254740993 9223372036854775808 -2",
        inspect(r, "typeof r.i64 + ' ' + [r.i64, r.u64, r.s64, r.f64, r.sf64].join(' ')"));
    assertEquals("GREEN", inspect(r, "r.color"));
    assertEquals("in 1 | a,b | x,y", inspect(r, "r.inner.name + ' ' + r.inner.n + ' | ' + r.items.map(i => i.name) + ' | ' + r.tags"));
    assertEquals("{\"one\":1,\"two\":2} seven", inspect(r, "JSON.stringify(r.counts) + ' ' + r.by_id['7'].name"));
    assertEquals("true 9 false", inspect(r, "('maybe' in r) + ' ' + r.number + ' ' + ('text' in r)"));
  }

  @Test
  void defaultsArePresentExceptForFieldsWithPresence() throws Exception {
    DynamicMessage empty = DynamicMessage.getDefaultInstance(RICH);
    assertEquals("'' 0 false 0 0n COLOR_UNSPECIFIED 0 0 0",
        inspect(empty, "[JSON.stringify(r.s).replaceAll('\"', \"'\"), r.b.length, r.flag, r.i32, r.i64 + 'n', r.color,"
            + " r.items.length, Object.keys(r.counts).length, r.ids.length].join(' ')"));
    assertEquals("false false false false",
        inspect(empty, "['inner', 'maybe', 'text', 'number'].map(k => k in r).join(' ')"));
  }

  @Test
  void looseInputFormsAreAcceptedBack() throws Exception {
    load("""
        export function Echo() {
          return {
            i64: 12, u64: '18446744073709551615', s64: -3n, sf64: '-4',
            color: 1, tags: [], byId: new Map([[5, { name: 'five' }]]),
            counts: { a: 1 }, b: 'text', text: 'chosen', u32: 4294967295, inner: null,
          };
        }
        """);
    DynamicMessage response = call(runtime, TestProtos.ECHO, DynamicMessage.getDefaultInstance(RICH));
    assertEquals(12L, response.getField(RICH.findFieldByName("i64")));
    assertEquals(-1L, response.getField(RICH.findFieldByName("u64")));
    assertEquals(-3L, response.getField(RICH.findFieldByName("s64")));
    assertEquals(-4L, response.getField(RICH.findFieldByName("sf64")));
    assertEquals("RED", ((com.google.protobuf.Descriptors.EnumValueDescriptor) response.getField(RICH.findFieldByName("color"))).getName());
    assertEquals(-1, response.getField(RICH.findFieldByName("u32")));
    assertEquals("chosen", response.getField(RICH.findFieldByName("text")));
    assertEquals(ByteString.copyFromUtf8("text"), response.getField(RICH.findFieldByName("b")));
    assertEquals(entry("by_id", 5, inner("five", 0)), response.getRepeatedField(RICH.findFieldByName("by_id"), 0));
    assertEquals(false, response.hasField(RICH.findFieldByName("inner")));
  }

  private String echoFailure(String returned) throws Exception {
    load("export function Echo() { return " + returned + "; }");
    String message = failure(runtime, TestProtos.ECHO, DynamicMessage.getDefaultInstance(RICH)).getMessage();
    runtime.close();
    return message;
  }

  @Test
  void wrongShapesAreReportedWithTheFieldPath() throws Exception {
    assertEquals("proto.Mapping/Echo: response.items[1].name: expected string, got number",
        echoFailure("{ items: [{ name: 'ok' }, { name: 3 }] }"));
    assertEquals("proto.Mapping/Echo: response.inner.nope: no such field in message proto.Inner (fields: name, n)",
        echoFailure("{ inner: { nope: 1 } }"));
    assertEquals("proto.Mapping/Echo: response.i32: expected int32, got 1.5 (not an integer in range)",
        echoFailure("{ i32: 1.5 }"));
    assertEquals("proto.Mapping/Echo: response.u64: expected uint64, got -1 (out of range)",
        echoFailure("{ u64: -1n }"));
    assertEquals("proto.Mapping/Echo: response.color: \"BLUE\" is not a value of enum proto.Color "
        + "(values: COLOR_UNSPECIFIED, RED, GREEN)", echoFailure("{ color: 'BLUE' }"));
    assertEquals("proto.Mapping/Echo: response.tags: expected an array of string, got string",
        echoFailure("{ tags: 'x' }"));
    assertEquals("proto.Mapping/Echo: response.counts[\"a\"]: expected int32, got string",
        echoFailure("{ counts: { a: 'one' } }"));
    assertEquals("proto.Mapping/Echo: response.by_id[\"x\"]: map key is not a valid int32",
        echoFailure("{ by_id: { x: {} } }"));
    assertEquals("proto.Mapping/Echo: response.number: only one field of oneof choice may be set, but text is set too",
        echoFailure("{ text: 'a', number: 1 }"));
    assertEquals("proto.Mapping/Echo: response.flag: expected bool, got string", echoFailure("{ flag: 'yes' }"));
    assertEquals("proto.Mapping/Echo: response.inner: expected an object for message proto.Inner, got Uint8Array",
        echoFailure("{ inner: new Uint8Array(1) }"));
  }
}
