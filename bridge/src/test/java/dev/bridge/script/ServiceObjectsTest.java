package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.schema.ProtoSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service objects in a real script: which export GraalJS calls for a method, with {@code this} its object. */
class ServiceObjectsTest {
  @TempDir Path dir;
  @TempDir Path files;
  private ProtoSchema schema;
  private MethodDescriptor inventoryGet;
  private MethodDescriptor ordersGet;
  private MethodDescriptor ordersPlace;

  @BeforeEach
  void load() throws Exception {
    Path proto = Files.writeString(dir.resolve("shop.proto"), """
        syntax = "proto3";
        package shop.v1;
        message Req { string id = 1; }
        message Res { string text = 1; }
        service Inventory { rpc Get(Req) returns (Res); }
        service Orders { rpc Get(Req) returns (Res); rpc Place(Req) returns (Res); }
        """);
    schema = new ProtoFileLoader().load(List.of(proto), List.of());
    ServiceDescriptor inventory = schema.services().get(0);
    ServiceDescriptor orders = schema.services().get(1);
    inventoryGet = inventory.findMethodByName("Get");
    ordersGet = orders.findMethodByName("Get");
    ordersPlace = orders.findMethodByName("Place");
  }

  private ScriptRuntime script(String source) throws Exception {
    return ScriptRuntime.load(SharedEngine.ENGINE, ScriptFixture.write(dir, "shop.mjs", source), files,
        ConsoleSink.discard(), ScriptOptions.defaults().withSchema(schema.files()));
  }

  private String text(ScriptRuntime runtime, MethodDescriptor method, String id) throws Exception {
    Descriptor req = method.getInputType();
    DynamicMessage response = call(runtime, method,
        DynamicMessage.newBuilder(req).setField(req.findFieldByName("id"), id).build());
    return (String) response.getField(response.getDescriptorForType().findFieldByName("text"));
  }

  @Test
  void eachServicesObjectServesItsOwnGetWithThisBeingTheObject() throws Exception {
    try (var runtime = script("""
        export const Inventory = {
          stock: 'inventory',
          Get(request) { return { text: this.stock + ' ' + request.id }; },
        };
        export const Orders = {
          prefix: 'order',
          async Get(request) { return { text: this.prefix + ' ' + request.id }; },
        };
        export function Place(request) { return { text: 'placed ' + request.id }; }
        export const VERSION = '1';
        export const settings = { retries: 3 };
        """)) {
      assertEquals(new ScriptExports(Set.of("Place"), Map.of("Inventory", Set.of("Get"), "Orders", Set.of("Get"))),
          runtime.exports());
      assertEquals("inventory a", text(runtime, inventoryGet, "a"));
      assertEquals("order b", text(runtime, ordersGet, "b"));
      assertEquals("placed c", text(runtime, ordersPlace, "c"));
    }
  }

  @Test
  void aMethodMissingFromItsObjectIsNotServedAndNamedAsSuch() throws Exception {
    try (var runtime = script("export const Inventory = { Get() { return {}; } };")) {
      assertFalse(runtime.handlers().find(ordersGet).isPresent());
      String missing = runtime.handlers().describeMissing(ordersGet);
      assertTrue(missing.contains("export const Orders = { Get(request, context)"), missing);
    }
  }

  @Test
  void theObjectsPropertyIsReadAtEachCallAsJavaScriptWould() throws Exception {
    try (var runtime = script("""
        export const Inventory = {
          n: 0,
          Get() { this.n++; if (this.n === 1) { this.Get = function () { return { text: 'swapped' }; }; }
                  return { text: 'first' }; },
        };
        """)) {
      assertEquals("first", text(runtime, inventoryGet, "x"));
      assertEquals("swapped", text(runtime, inventoryGet, "x"));
    }
  }
}
