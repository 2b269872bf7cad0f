package dev.bridge.script;

import static dev.bridge.script.MappingScript.ALL;
import static dev.bridge.script.MappingScript.LEGACY;
import static dev.bridge.script.MappingScript.NODE;
import static dev.bridge.script.MappingScript.json;
import static dev.bridge.script.MappingScript.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presence, oneofs, open and closed enums, map keys, recursion and proto2, pinned. */
class PresenceAndEdgeCasesTest extends SharedMappingScript {
  @Test
  void optionalFieldsAreAbsentUnlessSetEvenToTheirDefault() throws Exception {
    assertEquals("false false false false false", inspect("{}", "['o_s', 'o_i32', 'o_level', 'o_b', 'o_u64'].map(k => k in r).join(' ')"));
    assertEquals("'' 0 LEVEL_UNSPECIFIED 0 0n", inspect("{\"oS\": \"\", \"oI32\": 0, \"oLevel\": \"LEVEL_UNSPECIFIED\", \"oB\": \"\", \"oU64\": \"0\"}",
        "[`'${r.o_s}'`, r.o_i32, r.o_level, r.o_b.length, r.o_u64 + 'n'].join(' ')"));
    assertEquals("{\"oS\":\"\",\"oI32\":0,\"oLevel\":\"LEVEL_UNSPECIFIED\",\"oB\":\"\",\"oU64\":\"0\"}",
        make("{ o_s: '', o_i32: 0, o_level: 0, o_b: new Uint8Array(0), o_u64: 0n }"));
    assertEquals("{}", make("{ o_s: undefined, o_i32: null }"));
    // without presence, a default is not sent at all
    assertEquals("{}", make("{ s: '', i32: 0, level: 'LEVEL_UNSPECIFIED', b: '' }"));
  }

  @Test
  void onlyTheSetMemberOfAOneofIsPresent() throws Exception {
    String expr = "Object.keys(r).filter(k => k.startsWith('c_')).join(',')";
    assertEquals("", inspect("{}", expr));
    assertEquals("c_number", inspect("{\"cNumber\": \"0\"}", expr));
    assertEquals("c_node", inspect("{\"cNode\": {}}", expr));
    assertEquals("c_level", inspect("{\"cLevel\": \"LEVEL_UNSPECIFIED\"}", expr));
    assertEquals("{\"cNumber\":\"0\"}", make("{ c_text: undefined, c_number: 0, c_node: null }"));
  }

  @Test
  void twoMembersOfAOneofAreAnInternalErrorNamingBoth() throws Exception {
    CallFailure failure = ScriptFixture.failure(script.runtime, MappingScript.method("Make"),
        MappingScript.string("{ c_text: 'a', cNumber: 1 }"));
    assertEquals("INTERNAL", failure.code());
    assertEquals("mapping.Mapping/Make: response.cNumber: only one field of oneof choice may be set, but c_text is set too",
        failure.getMessage());
    assertEquals("mapping.Mapping/Make: response.c_node: only one field of oneof choice may be set, "
        + "but c_wrapped is set too", makeFailure("{ c_wrapped: 'w', c_node: {} }"));
    assertEquals("{\"cWrapped\":\"w\"}", make("{ c_wrapped: 'w', c_node: undefined, c_time: null }"));
  }

  @Test
  void unknownEnumNumbersAreNumbersAndGoBack() throws Exception {
    EnumDescriptor level = ALL.findFieldByName("level").getEnumType();
    DynamicMessage request = DynamicMessage.newBuilder(ALL)
        .setField(ALL.findFieldByName("level"), level.findValueByNumberCreatingIfUnknown(7))
        .addRepeatedField(ALL.findFieldByName("r_level"), level.findValueByNumber(1))
        .addRepeatedField(ALL.findFieldByName("r_level"), level.findValueByNumberCreatingIfUnknown(-3))
        .build();
    assertEquals(request, script.call("Echo", request));
    assertEquals("{\"level\":9,\"rLevel\":[\"HIGH\",-1],\"mUint64\":{\"1\":12}}",
        make("{ level: 9, r_level: ['HIGH', -1], m_uint64: { 1: 12 } }"));
    assertEquals("mapping.Mapping/Make: response.level: \"MEDIUM\" is not a value of enum mapping.Level "
        + "(values: LEVEL_UNSPECIFIED, LOW, HIGH)", makeFailure("{ level: 'MEDIUM' }"));
    assertEquals("mapping.Mapping/Make: response.level: expected enum mapping.Level (name string or number), got number",
        makeFailure("{ level: 1.5 }"));
  }

  @Test
  void closedEnumsRefuseUnknownNumbers() throws Exception {
    assertEquals("legacy.LegacyService/MakeLegacy: response.mood: 5 is not a value of closed enum legacy.Mood",
        script.failure("MakeLegacy", MappingScript.string("{ id: 'x', mood: 5 }")));
  }

  @Test
  void mapKeysAreStringsAndGoBackWithRangeChecks() throws Exception {
    String all = "{\"mInt32\": {\"-2147483648\": \"min\", \"5\": \"five\"}, \"mBool\": {\"true\": 1, \"false\": 0},"
        + " \"mUint64\": {\"18446744073709551615\": \"HIGH\"}, \"mFixed64\": {\"0\": \"z\"}, \"mSint32\": {\"-1\": \"2\"}}";
    assertEquals("5,-2147483648 | false,true | 18446744073709551615 | string",
        inspect(all, "[Object.keys(r.m_int32).sort().reverse(), Object.keys(r.m_bool).sort(), Object.keys(r.m_uint64),"
            + " typeof Object.keys(r.m_sint32)[0]].join(' | ')"));
    assertEquals(parse(ALL, all), script.call("Echo", parse(ALL, all)));
    assertEquals("{\"mInt32\":{\"1\":\"a\",\"-2\":\"b\"},\"mBool\":{\"true\":2.0}}",
        make("{ m_int32: new Map([[1, 'a'], ['-2', 'b']]), m_bool: new Map([[true, 2]]) }"));
    assertEquals("mapping.Mapping/Make: response.m_int32[\"2147483648\"]: map key is not a valid int32",
        makeFailure("{ m_int32: { 2147483648: 'x' } }"));
    assertEquals("mapping.Mapping/Make: response.m_uint32[\"-1\"]: map key is not a valid uint32",
        makeFailure("{ m_uint32: { '-1': {} } }"));
    assertEquals("mapping.Mapping/Make: response.m_int64[\"-9223372036854775809\"]: map key is not a valid int64",
        makeFailure("{ m_int64: { '-9223372036854775809': '' } }"));
    assertEquals("mapping.Mapping/Make: response.m_uint64[\"18446744073709551616\"]: map key is not a valid uint64",
        makeFailure("{ m_uint64: { '18446744073709551616': 1 } }"));
    assertEquals("mapping.Mapping/Make: response.m_bool[\"yes\"]: map key must be \"true\" or \"false\"",
        makeFailure("{ m_bool: { yes: 1 } }"));
    assertEquals("mapping.Mapping/Make: response.m_sfixed32[\"1.5\"]: map key is not a valid sfixed32",
        makeFailure("{ m_sfixed32: new Map([[1.5, 0]]) }"));
  }

  @Test
  void recursiveMessagesGoBothWays() throws Exception {
    DynamicMessage node = DynamicMessage.newBuilder(NODE).setField(NODE.findFieldByName("name"), "leaf").build();
    for (int depth = 0; depth < 60; depth++) {
      DynamicMessage.Builder parent = DynamicMessage.newBuilder(NODE)
          .setField(NODE.findFieldByName("name"), "n" + depth)
          .setField(NODE.findFieldByName("child"), node);
      if (depth % 10 == 0) {
        parent.addRepeatedField(NODE.findFieldByName("children"), node);
      }
      node = parent.build();
    }
    DynamicMessage request = DynamicMessage.newBuilder(ALL).setField(ALL.findFieldByName("node"), node).build();
    assertEquals(request, script.call("Echo", request));
    assertEquals("{\"node\":{\"name\":\"a\",\"child\":{\"byName\":{\"b\":{\"children\":[{\"name\":\"c\"}]}}}}}",
        make("{ node: { name: 'a', child: { by_name: { b: { children: [{ name: 'c' }] } } } } }"));
    assertEquals("mapping.Mapping/Make: response.node.child.by_name[\"b\"].children[0].nme: no such field in message "
        + "mapping.Node (fields: name, child, children, by_name)",
        makeFailure("{ node: { child: { by_name: { b: { children: [{ nme: 'c' }] } } } } }"));
  }

  @Test
  void aCyclicResultNamesWhereTheCycleCloses() throws Exception {
    assertEquals("mapping.Mapping/Make: response.node.child.child: a cycle: this is the same object as "
        + "response.node.child, and a message cannot contain itself",
        makeFailure("(() => { const n = { name: 'a' }; n.child = { name: 'b' }; n.child.child = n.child; "
            + "return { node: n }; })()"));
    assertEquals("mapping.Mapping/Make: response.node.children[1]: a cycle: this is the same object as "
        + "response.node, and a message cannot contain itself",
        makeFailure("(() => { const n = { children: [{}] }; n.children.push(n); return { node: n }; })()"));
    assertEquals("mapping.Mapping/Make: response.st[\"self\"]: a cycle: this is the same object as response.st, "
        + "and a message cannot contain itself",
        makeFailure("(() => { const o = { a: 1 }; o.self = o; return { st: o }; })()"));
    assertEquals("mapping.Mapping/Make: response.lv[0]: a cycle: this is the same object as response.lv, "
        + "and a message cannot contain itself",
        makeFailure("(() => { const l = []; l.push(l); return { lv: l }; })()"));
  }

  @Test
  void aResultNestedTooDeeplyNamesTheField() throws Exception {
    String path = "response.node" + ".child".repeat(JsToMessage.MAX_DEPTH - 1);
    assertEquals("mapping.Mapping/Make: " + path + ": nested deeper than 100 levels (protobuf parsers refuse "
        + "deeper messages)",
        makeFailure("(() => { let n = {}; for (let i = 0; i < 500; i++) n = { child: n }; return { node: n }; })()"));
    // the same object twice, side by side, is no cycle
    assertEquals("{\"nodes\":[{\"name\":\"x\"},{\"name\":\"x\"}],\"st\":{\"a\":{\"n\":1.0},\"b\":{\"n\":1.0}}}",
        make("(() => { const x = { name: 'x' }, o = { n: 1 }; return { nodes: [x, x], st: { a: o, b: o } }; })()"));
  }

  @Test
  void proto2FieldsHavePresenceAndDefaultsStayOnTheJavaSide() throws Exception {
    Descriptor legacy = LEGACY.findMessageTypeByName("Legacy");
    DynamicMessage made = script.call("MakeLegacy", MappingScript.string("{ id: 'a', flags: { true: 'yes' } }"));
    assertFalse(made.hasField(legacy.findFieldByName("count")));
    assertEquals(7, made.getField(legacy.findFieldByName("count")));
    assertEquals("ANGRY", made.getField(legacy.findFieldByName("mood")).toString());
    DynamicMessage explicit = script.call("MakeLegacy", MappingScript.string("{ id: '', count: 7, note: 'none' }"));
    assertTrue(explicit.hasField(legacy.findFieldByName("count")));
    assertTrue(explicit.hasField(legacy.findFieldByName("id")));
    assertEquals(explicit, script.call("EchoLegacy", explicit));
    DynamicMessage full = parse(legacy, "{\"id\": \"x\", \"count\": 0, \"mood\": \"CALM\", \"packedN\": [1, -2],"
        + " \"next\": {\"id\": \"y\"}, \"flags\": {\"false\": \"\"}}");
    assertEquals(full, script.call("EchoLegacy", full));
  }

  @Test
  void missingRequiredFieldsAreNamed() throws Exception {
    assertEquals("legacy.LegacyService/MakeLegacy: response.id: required field id of message legacy.Legacy is missing",
        script.failure("MakeLegacy", MappingScript.string("{ count: 1 }")));
    assertEquals("legacy.LegacyService/MakeLegacy: response.next.id: required field id of message legacy.Legacy is missing",
        script.failure("MakeLegacy", MappingScript.string("{ id: 'a', next: { id: null } }")));
  }

  /** Wire refuses {@code group} in .proto files; descriptor sets (protoc -o) can still have them. */
  @Test
  void groupsAreMessages(@TempDir Path dir, @TempDir Path files) throws Exception {
    FileDescriptorProto proto = FileDescriptorProto.newBuilder().setName("groups.proto").setPackage("g").setSyntax("proto2")
        .addMessageType(DescriptorProto.newBuilder().setName("Outer")
            .addField(FieldDescriptorProto.newBuilder().setName("extra").setNumber(1).setLabel(Label.LABEL_OPTIONAL)
                .setType(Type.TYPE_GROUP).setTypeName(".g.Outer.Extra"))
            .addField(FieldDescriptorProto.newBuilder().setName("item").setNumber(3).setLabel(Label.LABEL_REPEATED)
                .setType(Type.TYPE_GROUP).setTypeName(".g.Outer.Item"))
            .addNestedType(DescriptorProto.newBuilder().setName("Extra").addField(FieldDescriptorProto.newBuilder()
                .setName("note").setNumber(2).setLabel(Label.LABEL_OPTIONAL).setType(Type.TYPE_STRING)))
            .addNestedType(DescriptorProto.newBuilder().setName("Item").addField(FieldDescriptorProto.newBuilder()
                .setName("n").setNumber(4).setLabel(Label.LABEL_REQUIRED).setType(Type.TYPE_INT32))))
        .addService(ServiceDescriptorProto.newBuilder().setName("G").addMethod(MethodDescriptorProto.newBuilder()
            .setName("Echo").setInputType(".g.Outer").setOutputType(".g.Outer")))
        .build();
    FileDescriptor file = FileDescriptor.buildFrom(proto, new FileDescriptor[0]);
    Descriptor outer = file.findMessageTypeByName("Outer");
    Descriptor extra = outer.findNestedTypeByName("Extra");
    Descriptor item = outer.findNestedTypeByName("Item");
    DynamicMessage request = DynamicMessage.newBuilder(outer)
        .setField(outer.findFieldByName("extra"), DynamicMessage.newBuilder(extra).setField(extra.findFieldByName("note"), "hi").build())
        .addRepeatedField(outer.findFieldByName("item"), DynamicMessage.newBuilder(item).setField(item.findFieldByName("n"), 3).build())
        .build();
    var method = file.findServiceByName("G").findMethodByName("Echo");
    try (ScriptRuntime runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files,
        "export function Echo(r) { if (r.extra.note !== 'hi' || r.item[0].n !== 3) throw new Error(JSON.stringify(r)); return r; }")) {
      assertEquals(request, ScriptFixture.call(runtime, method, request));
    }
    assertTrue(Files.isDirectory(files));
  }

  @Test
  void errorsNameTheMethodAndTheWholePath() throws Exception {
    assertEquals("mapping.Mapping/Make: response.nodes[1].by_name[\"k\"].child.name: expected string, got number",
        makeFailure("{ nodes: [{}, { by_name: { k: { child: { name: 1 } } } }] }"));
    assertEquals("mapping.Mapping/Make: response.m_v[\"a\"]: expected a JSON value (null, number, string, boolean, "
        + "array or plain object) for google.protobuf.Value, got function", makeFailure("{ m_v: { a: () => 1 } }"));
    assertEquals("mapping.Mapping/Make: response.r_any[0].value: duration out of range (±315576000000s, 10000 years)",
        makeFailure("{ r_any: [{ '@type': 'x/google.protobuf.Duration', value: 1e16 }] }"));
  }

  @Test
  void jsonOfEchoedWellKnownFieldsIsUnchanged() throws Exception {
    String all = "{\"ts\":\"2024-02-29T23:59:59.999999999Z\",\"dur\":\"-0.500s\",\"st\":{\"k\":[]},\"fm\":\"a,b.c\"}";
    assertEquals(all, json(script.call("Echo", parse(ALL, all))));
  }
}
