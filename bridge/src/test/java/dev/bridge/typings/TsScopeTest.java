package dev.bridge.typings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TsScopeTest {
  private final TsScope root = TsScope.root();

  @Test
  void aTypeOfTheSameNamespaceIsNamedPlainly() {
    TsScope pkg = root.namespace("proto");
    pkg.declareType("GetRequest");
    assertEquals("GetRequest", pkg.reference(List.of("proto", "GetRequest")));
  }

  @Test
  void aTypeOfAnotherPackageIsQualifiedFromWhereItsFirstSegmentResolves() {
    TsScope shop = root.namespace("shop");
    root.namespace("google").namespace("type").declareType("Money");
    assertEquals("google.type.Money", shop.reference(List.of("google", "type", "Money")));
  }

  @Test
  void aNestedTypeHidesItsPackagesTypeOfTheSameName() {
    TsScope pkg = root.namespace("shop");
    pkg.declareType("Item");
    pkg.declareType("Order");
    TsScope order = pkg.namespace("Order");
    order.declareType("Item");
    assertEquals("Item", order.reference(List.of("shop", "Order", "Item")));
    assertEquals("shop.Item", order.reference(List.of("shop", "Item")));
  }

  @Test
  void whenEveryPathIsShadowedARootAliasIsDeclared() {
    TsScope outer = root.namespace("a");
    outer.declareType("X");
    TsScope inner = outer.namespace("a");
    inner.declareType("X");
    assertEquals("$a$X", inner.reference(List.of("a", "X")));
    assertEquals(Map.of("$a$X", "a.X"), root.aliases());
  }

  @Test
  void aGlobalHiddenByAProtoTypeIsReachedThroughGlobalThis() {
    TsScope pkg = root.namespace("google").namespace("type");
    pkg.declareType("Date");
    assertEquals("globalThis.Date", pkg.global("Date"));
    assertEquals("Date", root.namespace("shop").global("Date"));
  }

  @Test
  void aTakenTypeNameGetsUnderscores() {
    TsScope pkg = root.namespace("p");
    assertEquals("ItemInit", pkg.declareType("ItemInit"));
    assertEquals("ItemInit_", pkg.declareType("ItemInit"));
  }
}
