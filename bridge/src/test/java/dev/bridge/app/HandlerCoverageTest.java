package dev.bridge.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.schema.ProtoFileLoader;
import dev.bridge.script.HandlerRuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerCoverageTest {
  @TempDir Path dir;

  /** Two services in one file, as a script implementing both would be written against. */
  private List<ServiceDescriptor> shop() throws Exception {
    Path proto = Files.writeString(dir.resolve("shop.proto"), """
        syntax = "proto3";
        package shop.v1;
        message Req {}
        message Res {}
        service Orders { rpc Place(Req) returns (Res); rpc Cancel(Req) returns (Res); }
        service Inventory { rpc Restock(Req) returns (Res); rpc Count(Req) returns (Res); }
        """);
    return new ProtoFileLoader().load(List.of(proto), List.of()).services();
  }

  static List<ServiceDescriptor> kv() throws Exception {
    return new ProtoFileLoader().load(List.of(Path.of("../proto/kv.proto")), List.of()).services();
  }

  @Test
  void everyExportedFunctionServingAMethodPasses() throws Exception {
    assertDoesNotThrow(() -> HandlerCoverage.check(Path.of("kv.js"), Set.of("Get", "Put"), kv(), kv()));
    assertDoesNotThrow(() -> HandlerCoverage.check(Path.of("kv.js"), Set.of("Get"), kv(), kv()));
  }

  @Test
  void aMisspeltHandlerIsNamedWithTheMethodsItCouldHaveMeant() throws Exception {
    var error = assertThrows(HandlerRuleException.class,
        () -> HandlerCoverage.check(Path.of("kv.js"), Set.of("get", "Put"), kv(), kv()));
    assertEquals("kv.js exports get, which matches no method of proto.KV (its methods: Get, Put); "
        + "rename it or stop exporting it", error.getMessage());
  }

  @Test
  void handlersOfALoadedServiceNotServedAreLeftUnservedNotRefused() throws Exception {
    List<ServiceDescriptor> loaded = shop();
    List<ServiceDescriptor> orders = List.of(loaded.getFirst());
    assertEquals("shop.v1.Orders", orders.getFirst().getFullName());
    Set<String> unserved = HandlerCoverage.check(Path.of("shop.js"),
        Set.of("Place", "Cancel", "Restock", "Count"), orders, loaded);
    assertEquals(Set.of("Count", "Restock"), unserved);
  }

  @Test
  void anExportMatchingNoLoadedServiceIsRefusedEvenWhenServingIsNarrowed() throws Exception {
    List<ServiceDescriptor> loaded = shop();
    var error = assertThrows(HandlerRuleException.class, () -> HandlerCoverage.check(Path.of("shop.js"),
        Set.of("Place", "Restock", "restock", "Cont"), List.of(loaded.getFirst()), loaded));
    assertEquals("shop.js exports Cont, restock, which match no method of shop.v1.Orders, shop.v1.Inventory "
        + "(their methods: Cancel, Count, Place, Restock); rename it or stop exporting it", error.getMessage());
  }
}
