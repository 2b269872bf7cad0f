package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.schema.ProtoFileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule for which export serves a method, and each start-up refusal naming what is wrong. */
class HandlerRuleTest {
  private static final Path SCRIPT = Path.of("shop.js");
  @TempDir Path dir;
  private ServiceDescriptor inventory;
  private ServiceDescriptor orders;
  private ServiceDescriptor legacyInventory;
  private List<ServiceDescriptor> shop;
  private List<ServiceDescriptor> all;

  @BeforeEach
  void load() throws Exception {
    Path shopProto = Files.writeString(dir.resolve("shop.proto"), """
        syntax = "proto3";
        package shop.v1;
        message Req {}
        message Res {}
        service Inventory { rpc Get(Req) returns (Res); rpc Count(Req) returns (Res); }
        service Orders { rpc Get(Req) returns (Res); rpc Place(Req) returns (Res); }
        """);
    Path legacyProto = Files.writeString(dir.resolve("legacy.proto"), """
        syntax = "proto3";
        package legacy;
        message Req {}
        message Res {}
        service Inventory { rpc Get(Req) returns (Res); rpc Audit(Req) returns (Res); }
        """);
    all = new ProtoFileLoader().load(List.of(shopProto, legacyProto), List.of()).services();
    inventory = service("shop.v1.Inventory");
    orders = service("shop.v1.Orders");
    legacyInventory = service("legacy.Inventory");
    shop = List.of(inventory, orders);
  }

  private ServiceDescriptor service(String fullName) {
    return all.stream().filter(service -> service.getFullName().equals(fullName)).findFirst().orElseThrow();
  }

  private static ScriptExports exports(Set<String> functions, Map<String, Set<String>> objects) {
    return new ScriptExports(functions, objects);
  }

  private String refusal(ScriptExports exports, List<ServiceDescriptor> served, List<ServiceDescriptor> loaded) {
    return assertThrows(HandlerRuleException.class, () -> HandlerRule.check(SCRIPT, exports, served, loaded))
        .getMessage();
  }

  @Test
  void aServiceObjectServesItsServicesMethodsAndFlatFunctionsServeUniqueNames() throws Exception {
    ScriptExports exports = exports(Set.of("Count", "Place"), Map.of("Inventory", Set.of("Get"), "Orders", Set.of("Get")));
    assertEquals(Set.of(), HandlerRule.check(SCRIPT, exports, shop, shop));
    assertEquals(Optional.of(new HandlerRule.Target(Optional.of("Inventory"), "Get")),
        HandlerRule.find(exports, inventory.findMethodByName("Get")));
    assertEquals(Optional.of(new HandlerRule.Target(Optional.of("Orders"), "Get")),
        HandlerRule.find(exports, orders.findMethodByName("Get")));
    assertEquals(Optional.of(new HandlerRule.Target(Optional.empty(), "Count")),
        HandlerRule.find(exports, inventory.findMethodByName("Count")));
  }

  @Test
  void theFullNameWithUnderscoresNamesAServiceBeforeItsSimpleName() {
    ScriptExports exports = exports(Set.of(), Map.of("shop_v1_Inventory", Set.of("Get"), "Inventory", Set.of("Get")));
    assertEquals("shop_v1_Inventory", HandlerRule.find(exports, inventory.findMethodByName("Get"))
        .orElseThrow().object().orElseThrow());
  }

  @Test
  void aFlatExportOfANameTwoServedServicesShareIsRefusedShowingTheObjectForm() {
    String message = refusal(exports(Set.of("Get"), Map.of()), shop, shop);
    assertEquals("shop.js exports Get, a method of both shop.v1.Inventory, shop.v1.Orders: a method name several"
        + " served services share is served by one object per service, as in export const Inventory = {"
        + " Get(request, context) { ... } }; export const Orders = { Get(request, context) { ... } };", message);
  }

  @Test
  void aFlatExportOfASharedNameIsFineWhenOnlyOneOfItsServicesIsServed() throws Exception {
    assertEquals(Set.of(), HandlerRule.check(SCRIPT, exports(Set.of("Get", "Count"), Map.of()), List.of(inventory), shop));
  }

  @Test
  void aMisspeltKeyOfAServiceObjectIsNamedWithTheServicesMethods() {
    String message = refusal(exports(Set.of(), Map.of("Inventory", Set.of("Get", "count"))), shop, shop);
    assertEquals("shop.js exports Inventory with Inventory.count, which matches no method of shop.v1.Inventory"
        + " (its methods: Count, Get); rename it or remove it from Inventory", message);
  }

  @Test
  void aMethodOfAnotherServiceInAServiceObjectIsRefused() {
    String message = refusal(exports(Set.of(), Map.of("Inventory", Set.of("Place"))), shop, shop);
    assertTrue(message.contains("Inventory.Place, which matches no method of shop.v1.Inventory"), message);
  }

  @Test
  void anObjectNamingNoServiceIsRefusedWithTheServicesObjectNames() {
    String message = refusal(exports(Set.of(), Map.of("Inventroy", Set.of("Get"))), shop, shop);
    assertEquals("shop.js exports Inventroy, an object holding functions (Get), but no service is named Inventroy:"
        + " a service's handlers are exported as an object named after it (Inventory, Orders);"
        + " rename it or stop exporting it", message);
  }

  @Test
  void anObjectOfALoadedServiceNotServedIsLeftUnserved() throws Exception {
    ScriptExports exports = exports(Set.of("Place"), Map.of("Inventory", Set.of("Get", "Count"), "Orders", Set.of("Get")));
    assertEquals(Set.of("Inventory"), HandlerRule.check(SCRIPT, exports, List.of(orders), shop));
  }

  @Test
  void twoServedServicesWithOneSimpleNameTakeObjectsNamedByTheirFullNames() throws Exception {
    List<ServiceDescriptor> served = List.of(inventory, legacyInventory);
    String message = refusal(exports(Set.of(), Map.of("Inventory", Set.of("Get"))), served, served);
    assertEquals("shop.js exports Inventory, the simple name of several served services: shop.v1.Inventory,"
        + " legacy.Inventory; name each one's object by its full name with dots replaced by underscores:"
        + " shop_v1_Inventory, legacy_Inventory", message);
    ScriptExports qualified = exports(Set.of("Count", "Audit"),
        Map.of("shop_v1_Inventory", Set.of("Get"), "legacy_Inventory", Set.of("Get")));
    assertDoesNotThrow(() -> HandlerRule.check(SCRIPT, qualified, served, served));
    assertEquals("legacy_Inventory", HandlerRule.find(qualified, legacyInventory.findMethodByName("Get"))
        .orElseThrow().object().orElseThrow());
    String flat = refusal(exports(Set.of("Get"), Map.of()), served, served);
    assertTrue(flat.contains("export const shop_v1_Inventory = { Get(request, context) { ... } };"
        + " export const legacy_Inventory = { Get"), flat);
  }

  @Test
  void twoObjectsForOneServiceAreRefused() {
    String message = refusal(exports(Set.of(), Map.of("Inventory", Set.of("Get"), "shop_v1_Inventory", Set.of("Count"))),
        shop, shop);
    assertEquals("shop.js exports both Inventory and shop_v1_Inventory for shop.v1.Inventory; keep one", message);
  }

  @Test
  void aFlatFunctionItsServicesObjectAlsoServesIsRefused() {
    String message = refusal(exports(Set.of("Place"), Map.of("Orders", Set.of("Get", "Place"))), List.of(orders), shop);
    assertEquals("shop.js exports Place and Orders.Place, which both serve shop.v1.Orders/Place (the object's wins);"
        + " keep one", message);
  }

  @Test
  void aMisspeltFlatExportIsStillNamedAsBefore() {
    String message = refusal(exports(Set.of("Cont"), Map.of()), shop, all);
    assertEquals("shop.js exports Cont, which matches no method of shop.v1.Inventory, shop.v1.Orders,"
        + " legacy.Inventory (their methods: Audit, Count, Get, Place); rename it or stop exporting it", message);
  }

  @Test
  void theMissingHandlerMessageNamesTheFormToAdd() {
    MethodDescriptor get = inventory.findMethodByName("Get");
    assertEquals("the script shop.js exports no object Inventory with a function Get for shop.v1.Inventory/Get"
        + " (add: export const Inventory = { Get(request, context) { ... } })",
        HandlerRule.describeMissing(SCRIPT, exports(Set.of(), Map.of()), get));
    assertEquals("the script shop.js exports Inventory without a function Count for shop.v1.Inventory/Count"
        + " (add to it: Count(request, context) { ... })",
        HandlerRule.describeMissing(SCRIPT, exports(Set.of(), Map.of("Inventory", Set.of("Get"))),
            inventory.findMethodByName("Count")));
    assertEquals("the script shop.js exports no function Place for shop.v1.Orders/Place"
        + " (add: export function Place(request, context) { ... })",
        HandlerRule.describeMissing(SCRIPT, exports(Set.of(), Map.of()), orders.findMethodByName("Place")));
  }
}
