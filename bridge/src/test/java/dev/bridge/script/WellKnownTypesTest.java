package dev.bridge.script;

import static dev.bridge.script.MappingScript.ALL;
import static dev.bridge.script.MappingScript.json;
import static dev.bridge.script.MappingScript.method;
import static dev.bridge.script.MappingScript.parse;
import static dev.bridge.script.MappingScript.unwrapString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import org.junit.jupiter.api.Test;

/**
 * The well-known types as native JavaScript values, both ways, as fields and as whole requests and
 * responses. Messages are written as proto3 JSON, which protobuf-java's JsonFormat reads and prints.
 */
class WellKnownTypesTest extends SharedMappingScript {
  /** Echo through JS: the proto3 JSON of what comes back. */
  private static String echo(String json) throws Exception {
    return json(script.call("Echo", parse(ALL, json)));
  }

  @Test
  void theRunTimeDescriptorsAreNotProtobufJavasOwn() {
    assertNotSame(com.google.protobuf.Timestamp.getDescriptor(), ALL.findFieldByName("ts").getMessageType());
  }

  @Test
  void timestampsAreDates() throws Exception {
    assertEquals("Date 2024-05-01T12:30:00.123Z",
        inspect("{\"ts\": \"2024-05-01T12:30:00.123456789Z\"}", "describe(r.ts)"));
    assertEquals("Date 0001-01-01T00:00:00.000Z Date 9999-12-31T23:59:59.999Z",
        inspect("{\"rTs\": [\"0001-01-01T00:00:00Z\", \"9999-12-31T23:59:59.999999999Z\"]}",
            "r.r_ts.map(describe).join(' ')"));
    assertEquals("false", inspect("{}", "'ts' in r"));
  }

  @Test
  void aDateKeepsItsNanosecondsUnlessChanged() throws Exception {
    assertEquals("{\"ts\":\"2024-05-01T12:30:00.123456789Z\"}", echo("{\"ts\": \"2024-05-01T12:30:00.123456789Z\"}"));
    assertEquals("{\"ts\":\"1969-12-31T23:59:59.999000001Z\"}", echo("{\"ts\": \"1969-12-31T23:59:59.999000001Z\"}"));
    // a changed Date is taken at its (millisecond) time
    assertEquals("{\"ts\":\"2024-05-01T12:30:01.123Z\"}", json(script.call("Echo", script.call("Make", MappingScript.string(
        "{ ts: (() => { const d = new Date(0); d.setTime(Date.parse('2024-05-01T12:30:01.123Z')); return d; })() }")))));
  }

  @Test
  void timestampsAreAcceptedAsDatesStringsAndObjects() throws Exception {
    assertEquals("{\"ts\":\"2024-05-01T12:30:00.250Z\"}", make("{ ts: new Date(Date.UTC(2024, 4, 1, 12, 30, 0, 250)) }"));
    assertEquals("{\"ts\":\"2024-05-01T10:30:00.000000001Z\"}", make("{ ts: '2024-05-01T12:30:00.000000001+02:00' }"));
    assertEquals("{\"ts\":\"1970-01-01T00:00:01.000000002Z\"}", make("{ ts: { seconds: 1n, nanos: 2 } }"));
    assertEquals("{\"ts\":\"1969-12-31T23:59:59.999Z\"}", make("{ ts: new Date(-1) }"));
    assertEquals("{\"ts\":\"1970-01-01T00:00:00Z\"}", make("{ ts: '1970-01-01t00:00:00z' }"));
  }

  @Test
  void badTimestampsNameTheField() throws Exception {
    assertEquals("mapping.Mapping/Make: response.ts: expected a valid Date for google.protobuf.Timestamp, got an Invalid Date",
        makeFailure("{ ts: new Date(NaN) }"));
    assertEquals("mapping.Mapping/Make: response.r_ts[1]: \"yesterday\" is not an RFC 3339 timestamp (like 2024-05-01T12:00:00.5Z)",
        makeFailure("{ r_ts: [new Date(), 'yesterday'] }"));
    assertEquals("mapping.Mapping/Make: response.ts: timestamp out of range (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z)",
        makeFailure("{ ts: new Date(Date.UTC(10000, 0, 1)) }"));
    assertEquals("mapping.Mapping/Make: response.ts: expected a Date, an RFC 3339 string or {seconds, nanos} "
        + "for google.protobuf.Timestamp, got number", makeFailure("{ ts: 5 }"));
  }

  @Test
  void aTimestampOutOfRangeArrivesAsSecondsAndNanos() throws Exception {
    DynamicMessage huge = ts(-99_999_999_999L, 5);
    DynamicMessage request = DynamicMessage.newBuilder(ALL).setField(ALL.findFieldByName("ts"), huge).build();
    Descriptor probe = MappingScript.EVERYTHING.findMessageTypeByName("Probe");
    DynamicMessage inspect = DynamicMessage.newBuilder(probe).setField(probe.findFieldByName("all"), request)
        .setField(probe.findFieldByName("expr"), "describe(r.ts)").build();
    assertEquals("object {\"seconds\":\"-99999999999n\",\"nanos\":5}", unwrapString(script.call("Inspect", inspect)));
    assertEquals(request, script.call("Echo", request));
  }

  private static DynamicMessage ts(long seconds, int nanos) {
    var type = ALL.findFieldByName("ts").getMessageType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByNumber(1), seconds)
        .setField(type.findFieldByNumber(2), nanos).build();
  }

  @Test
  void wholeRequestsAndResponsesMayBeWellKnownTypes() throws Exception {
    var ts = parse(method("EchoTimestamp").getInputType(), "\"2000-01-01T00:00:00.000000500Z\"");
    assertEquals("Date 2000-01-01T00:00:00.000Z", unwrapString(script.call("DescribeTimestamp", ts)));
    assertEquals(ts, script.call("EchoTimestamp", ts));
    var big = parse(method("EchoInt64Value").getInputType(), "\"-9223372036854775808\"");
    assertEquals("bigint \"-9223372036854775808n\"", unwrapString(script.call("DescribeInt64Value", big)));
    assertEquals(big, script.call("EchoInt64Value", big));
    var value = parse(method("EchoValue").getInputType(), "[1, \"two\", {\"three\": [true, null]}]");
    assertEquals("object [1,\"two\",{\"three\":[true,null]}]", unwrapString(script.call("DescribeValue", value)));
    assertEquals(value, script.call("EchoValue", value));
    var nullValue = parse(method("EchoValue").getInputType(), "null");
    assertEquals("null null", unwrapString(script.call("DescribeValue", nullValue)));
    assertEquals(nullValue, script.call("EchoValue", nullValue));
    var empty = parse(method("EchoEmpty").getInputType(), "{}");
    assertEquals("object {}", unwrapString(script.call("DescribeEmpty", empty)));
    assertEquals(empty, script.call("EchoEmpty", empty));
    var struct = parse(method("EchoStruct").getInputType(), "{\"a\": {\"b\": [1.5, \"x\"]}, \"n\": null}");
    assertEquals(struct, script.call("EchoStruct", struct));
    var list = parse(method("EchoListValue").getInputType(), "[[], {}, -0.5]");
    assertEquals(list, script.call("EchoListValue", list));
    var mask = parse(method("EchoFieldMask").getInputType(), "\"a.bC,d\"");
    assertEquals(mask, script.call("EchoFieldMask", mask));
    var duration = parse(method("EchoDuration").getInputType(), "\"-3.000000001s\"");
    assertEquals(duration, script.call("EchoDuration", duration));
    var any = parse(method("EchoAny").getInputType(),
        "{\"@type\": \"type.googleapis.com/mapping.Node\", \"name\": \"n\", \"child\": {\"name\": \"c\"}}");
    assertEquals(any, script.call("EchoAny", any));
  }

  @Test
  void durationsAreProto3JsonStrings() throws Exception {
    assertEquals("1.500s 0s -0.000000001s 3600s 0.000001s -315576000000s",
        inspect("{\"rDur\": [\"1.5s\", \"0s\", \"-0.000000001s\", \"3600s\", \"0.000001s\", \"-315576000000s\"]}",
            "r.r_dur.join(' ')"));
    assertEquals("string", inspect("{\"dur\": \"2s\"}", "typeof r.dur"));
  }

  @Test
  void aDurationOutOfRangeArrivesAsSecondsAndNanos() throws Exception {
    var type = ALL.findFieldByName("dur").getMessageType();
    for (long[] raw : new long[][] {{0, Integer.MIN_VALUE}, {Long.MIN_VALUE, 0}, {1, -1}, {315_576_000_001L, 0}}) {
      DynamicMessage duration = DynamicMessage.newBuilder(type).setField(type.findFieldByNumber(1), raw[0])
          .setField(type.findFieldByNumber(2), (int) raw[1]).build();
      DynamicMessage request = DynamicMessage.newBuilder(ALL).setField(ALL.findFieldByName("dur"), duration).build();
      Descriptor probe = MappingScript.EVERYTHING.findMessageTypeByName("Probe");
      DynamicMessage inspect = DynamicMessage.newBuilder(probe).setField(probe.findFieldByName("all"), request)
          .setField(probe.findFieldByName("expr"), "describe(r.dur)").build();
      assertEquals("object {\"seconds\":\"" + raw[0] + "n\",\"nanos\":" + raw[1] + "}",
          unwrapString(script.call("Inspect", inspect)));
      assertEquals(request, script.call("Echo", request));
    }
  }

  @Test
  void durationsAreAcceptedAsStringsMillisecondsAndObjects() throws Exception {
    assertEquals("{\"dur\":\"1.500s\"}", make("{ dur: '1.5s' }"));
    assertEquals("{\"dur\":\"1.500s\"}", make("{ dur: 1500 }"));
    assertEquals("{\"dur\":\"-0.000001500s\"}", make("{ dur: -0.0015 }"));
    assertEquals("{\"dur\":\"90s\"}", make("{ dur: { seconds: 90 } }"));
    assertEquals("{\"rDur\":[\"0.250s\",\"86400s\"]}", make("{ r_dur: [' 0.25s', 24 * 3600 * 1000] }"));
  }

  @Test
  void badDurationsNameTheField() throws Exception {
    assertEquals("mapping.Mapping/Make: response.dur: \"1.5\" is not a duration (like \"1.5s\" or \"-0.000001s\")",
        makeFailure("{ dur: '1.5' }"));
    assertEquals("mapping.Mapping/Make: response.dur: duration out of range (±315576000000s, 10000 years)",
        makeFailure("{ dur: '315576000001s' }"));
    assertEquals("mapping.Mapping/Make: response.dur: expected a finite number of milliseconds for "
        + "google.protobuf.Duration, got Infinity", makeFailure("{ dur: Infinity }"));
    assertEquals("mapping.Mapping/Make: response.dur: expected a string like \"1.5s\", a number of milliseconds "
        + "or {seconds, nanos} for google.protobuf.Duration, got bigint", makeFailure("{ dur: 5n }"));
  }

  @Test
  void wrappersAreNullablePrimitives() throws Exception {
    String all = "{\"wString\": \"\", \"wInt32\": -1, \"wInt64\": \"-5\", \"wUint32\": 4294967295,"
        + " \"wUint64\": \"18446744073709551615\", \"wBool\": false, \"wFloat\": 1.5, \"wDouble\": -0.25, \"wBytes\": \"AAE=\"}";
    assertEquals("string  | number -1 | bigint -5 | number 4294967295 | bigint 18446744073709551615 | boolean false"
            + " | number 1.5 | number -0.25 | Uint8Array 0,1",
        inspect(all, "[r.w_string, r.w_int32, r.w_int64, r.w_uint32, r.w_uint64, r.w_bool, r.w_float, r.w_double,"
            + " r.w_bytes].map(v => (v instanceof Uint8Array ? 'Uint8Array' : typeof v) + ' ' + (v instanceof Uint8Array ? Array.from(v) : v)).join(' | ')"));
    assertEquals(parse(ALL, all), script.call("Echo", parse(ALL, all)));
    assertEquals("null null null true", inspect("{}",
        "[String(r.w_string), String(r.w_int64), String(r.w_bytes), 'w_bool' in r].join(' ')"));
    assertEquals("{\"wString\":\"x\",\"wInt32\":0,\"wUint64\":\"18446744073709551615\"}",
        make("{ w_int32: 0, w_string: 'x', w_int64: null, w_uint64: '18446744073709551615', w_bool: undefined }"));
  }

  @Test
  void wrappersInAOneofAreAbsentUnlessSet() throws Exception {
    assertEquals("false", inspect("{}", "'c_wrapped' in r"));
    assertEquals("string ", inspect("{\"cWrapped\": \"\"}", "typeof r.c_wrapped + ' ' + r.c_wrapped"));
    assertEquals("{\"cWrapped\":\"\"}", make("{ c_wrapped: '' }"));
  }

  @Test
  void badWrappersNameTheField() throws Exception {
    assertEquals("mapping.Mapping/Make: response.w_int32: expected int32, got 2147483648 (not an integer in range)",
        makeFailure("{ w_int32: 2 ** 31 }"));
    assertEquals("mapping.Mapping/Make: response.w_bool: expected bool, got object", makeFailure("{ w_bool: { value: true } }"));
  }

  @Test
  void structsValuesAndListsAreJson() throws Exception {
    String all = "{\"st\": {\"a\": 1, \"b\": [true, null, \"s\", {\"c\": {}}]}, \"v\": \"text\", \"lv\": [1, [2]],"
        + " \"rV\": [null, 0, {}], \"mV\": {\"k\": null}}";
    assertEquals("{\"a\":1,\"b\":[true,null,\"s\",{\"c\":{}}]} \"text\" [1,[2]] [null,0,{}] {\"k\":null}",
        inspect(all, "[r.st, r.v, r.lv, r.r_v, r.m_v].map(x => JSON.stringify(x)).join(' ')"));
    assertEquals(parse(ALL, all), script.call("Echo", parse(ALL, all)));
    assertEquals("object null", inspect("{\"v\": null}", "typeof r.v + ' ' + r.v"));
    assertEquals("false", inspect("{}", "'v' in r"));
  }

  @Test
  void jsonValuesAreAcceptedBack() throws Exception {
    assertEquals("{\"st\":{\"n\":1.5,\"s\":\"x\",\"b\":false,\"z\":null,\"l\":[1.0,\"2\",null,null],\"o\":{}}}",
        make("{ st: { n: 1.5, s: 'x', b: false, z: null, u: undefined, l: [1, '2', null, undefined], o: {} } }"));
    assertEquals("{\"v\":null}", make("{ v: null }"));
    assertEquals("{}", make("{ v: undefined }"));
    assertEquals("{\"v\":{\"a\":[]}}", make("{ v: new Map([['a', []]]) }"));
    assertEquals("{\"v\":4.0}", make("{ v: 4n }"));
    assertEquals("{\"rV\":[null,\"a\"],\"mV\":{\"x\":null}}", make("{ r_v: [null, 'a'], m_v: { x: null } }"));
    assertEquals("{\"st\":{\"__proto__\":1.0}}", make("{ st: JSON.parse('{\"__proto__\": 1}') }"));
  }

  @Test
  void nonJsonValuesNameTheField() throws Exception {
    assertEquals("mapping.Mapping/Make: response.st[\"d\"]: expected a JSON value (null, number, string, boolean, "
        + "array or plain object) for google.protobuf.Value, got Date", makeFailure("{ st: { d: new Date() } }"));
    assertEquals("mapping.Mapping/Make: response.lv[0]: expected a JSON value (null, number, string, boolean, "
        + "array or plain object) for google.protobuf.Value, got Uint8Array", makeFailure("{ lv: [new Uint8Array(1)] }"));
    assertEquals("mapping.Mapping/Make: response.v: expected a JSON value for google.protobuf.Value, "
        + "got 9007199254740993n (a BigInt not exact as a number)", makeFailure("{ v: 2n ** 53n + 1n }"));
    assertEquals("mapping.Mapping/Make: response.st: expected a plain object (or Map) for google.protobuf.Struct, got array",
        makeFailure("{ st: [] }"));
  }

  @Test
  void nanAndInfinityAreNoJsonValuesAndNameTheField() throws Exception {
    String why = " cannot be a google.protobuf.Value number (JSON has no NaN or Infinity: use null, a string, "
        + "or a double field)";
    assertEquals("mapping.Mapping/Make: response.st[\"score\"]: NaN" + why, makeFailure("{ st: { score: NaN } }"));
    assertEquals("mapping.Mapping/Make: response.v: Infinity" + why, makeFailure("{ v: 1 / 0 }"));
    assertEquals("mapping.Mapping/Make: response.lv[1]: -Infinity" + why, makeFailure("{ lv: [1, -Infinity] }"));
    assertEquals("mapping.Mapping/Make: response.st[\"o\"][\"l\"][0]: NaN" + why,
        makeFailure("{ st: { o: { l: [NaN] } } }"));
    // a double field holds them (proto3 JSON writes them as strings)
    assertEquals("{\"d\":\"NaN\"}", make("{ d: NaN }"));
  }

  @Test
  void emptyIsAnEmptyObject() throws Exception {
    assertEquals("object {}", inspect("{\"e\": {}}", "describe(r.e)"));
    assertEquals("{\"e\":{}}", make("{ e: {} }"));
    assertEquals("mapping.Mapping/Make: response.e.x: no such field in message google.protobuf.Empty (fields: none)",
        makeFailure("{ e: { x: 1 } }"));
  }

  @Test
  void fieldMasksAreArraysOfPaths() throws Exception {
    assertEquals("true a.b_c,d", inspect("{\"fm\": \"a.bC,d\"}", "Array.isArray(r.fm) + ' ' + r.fm"));
    assertEquals("{\"fm\":\"a.bC,d\"}", make("{ fm: ['a.b_c', 'd'] }"));
    assertEquals("{\"fm\":\"user.displayName,photo\"}", make("{ fm: 'user.displayName,photo' }"));
    assertEquals("{\"fm\":\"\"}", make("{ fm: '' }"));
    assertEquals("mapping.Mapping/Make: response.fm[1]: expected string, got number", makeFailure("{ fm: ['a', 1] }"));
  }

  @Test
  void anyOfAKnownTypeHasItsFieldsInline() throws Exception {
    String node = "{\"any\": {\"@type\": \"type.googleapis.com/mapping.Node\", \"name\": \"n\","
        + " \"byName\": {\"k\": {\"name\": \"v\"}}}}";
    assertEquals("{\"@type\":\"type.googleapis.com/mapping.Node\",\"name\":\"n\",\"children\":[],\"by_name\":"
        + "{\"k\":{\"name\":\"v\",\"children\":[],\"by_name\":{}}}}", inspect(node, "JSON.stringify(r.any)"));
    assertEquals(parse(ALL, node), script.call("Echo", parse(ALL, node)));
    assertEquals("{\"any\":{\"@type\":\"example.com/x/mapping.Node\",\"name\":\"made\"}}",
        make("{ any: { '@type': 'example.com/x/mapping.Node', name: 'made' } }"));
  }

  @Test
  void anyOfAWellKnownTypeHasItsValueUnderValue() throws Exception {
    String ts = "{\"any\": {\"@type\": \"type.googleapis.com/google.protobuf.Timestamp\", \"value\": \"2020-02-02T00:00:00Z\"}}";
    assertEquals("type.googleapis.com/google.protobuf.Timestamp Date 2020-02-02T00:00:00.000Z",
        inspect(ts, "r.any['@type'] + ' ' + describe(r.any.value)"));
    assertEquals(parse(ALL, ts), script.call("Echo", parse(ALL, ts)));
    assertEquals("{\"rAny\":[{\"@type\":\"type.googleapis.com/google.protobuf.Duration\",\"value\":\"1s\"},"
            + "{\"@type\":\"type.googleapis.com/google.protobuf.Struct\",\"value\":{\"a\":[]}},"
            + "{\"@type\":\"type.googleapis.com/google.protobuf.Int64Value\",\"value\":\"7\"},"
            + "{\"@type\":\"type.googleapis.com/google.protobuf.Empty\"},"
            + "{\"@type\":\"type.googleapis.com/google.protobuf.Any\",\"value\":{\"@type\":\"type.googleapis.com/mapping.Node\",\"name\":\"deep\"}}]}",
        make("{ r_any: ["
            + "{ '@type': 'type.googleapis.com/google.protobuf.Duration', value: 1000 },"
            + "{ '@type': 'type.googleapis.com/google.protobuf.Struct', value: { a: [] } },"
            + "{ '@type': 'type.googleapis.com/google.protobuf.Int64Value', value: 7n },"
            + "{ '@type': 'type.googleapis.com/google.protobuf.Empty', value: {} },"
            + "{ '@type': 'type.googleapis.com/google.protobuf.Any', value: { '@type': 'type.googleapis.com/mapping.Node', name: 'deep' } },"
            + "] }"));
  }

  @Test
  void anyOfAnUnknownTypeIsItsBytes() throws Exception {
    DynamicMessage any = anyOf("type.googleapis.com/elsewhere.Thing", new byte[] {8, 1});
    DynamicMessage request = DynamicMessage.newBuilder(ALL).setField(ALL.findFieldByName("any"), any).build();
    Descriptor probe = MappingScript.EVERYTHING.findMessageTypeByName("Probe");
    DynamicMessage inspect = DynamicMessage.newBuilder(probe).setField(probe.findFieldByName("all"), request)
        .setField(probe.findFieldByName("expr"), "r.any['@type'] + ' ' + describe(r.any.value)").build();
    assertEquals("type.googleapis.com/elsewhere.Thing Uint8Array 8,1", unwrapString(script.call("Inspect", inspect)));
    assertEquals(request, script.call("Echo", request));
    assertEquals("{\"any\":{\"@type\":\"type.googleapis.com/mapping.Node\",\"name\":\"n\"}}",
        make("{ any: { '@type': 'type.googleapis.com/mapping.Node', name: 'n' } }"));
  }

  @Test
  void badAnysNameTheField() throws Exception {
    assertEquals("mapping.Mapping/Make: response.any: an object for google.protobuf.Any needs an \"@type\" property "
        + "(like \"type.googleapis.com/pkg.Message\")", makeFailure("{ any: { name: 'n' } }"));
    assertEquals("mapping.Mapping/Make: response.any.nope: no such field in message mapping.Node "
        + "(fields: name, child, children, by_name)", makeFailure("{ any: { '@type': 'x/mapping.Node', nope: 1 } }"));
    assertEquals("mapping.Mapping/Make: response.any.name: an Any of type x/a.B, unknown to the loaded .proto files, "
        + "has only \"@type\" and value (its bytes)", makeFailure("{ any: { '@type': 'x/a.B', name: 1 } }"));
    assertEquals("mapping.Mapping/Make: response.any.value: expected the bytes (Uint8Array) of a message of type x/a.B, "
        + "which the loaded .proto files do not define, got number", makeFailure("{ any: { '@type': 'x/a.B', value: 1 } }"));
    assertEquals("mapping.Mapping/Make: response.any.value: expected a Date, an RFC 3339 string or {seconds, nanos} for "
            + "google.protobuf.Timestamp, got boolean",
        makeFailure("{ any: { '@type': 'x/google.protobuf.Timestamp', value: true } }"));
    assertEquals("{\"any\":{}}", make("{ any: {} }"));
  }

  private static DynamicMessage anyOf(String typeUrl, byte[] bytes) {
    var type = ALL.findFieldByName("any").getMessageType();
    return DynamicMessage.newBuilder(type).setField(type.findFieldByNumber(1), typeUrl)
        .setField(type.findFieldByNumber(2), com.google.protobuf.ByteString.copyFrom(bytes)).build();
  }
}
