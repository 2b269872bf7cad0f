package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.schema.ProtoFileLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandlerCoverageTest {
  static List<ServiceDescriptor> kv() throws Exception {
    return new ProtoFileLoader().load(List.of(Path.of("../proto/kv.proto")), List.of()).services();
  }

  @Test
  void everyExportedFunctionServingAMethodPasses() throws Exception {
    assertDoesNotThrow(() -> HandlerCoverage.check(Path.of("kv.js"), Set.of("Get", "Put"), kv()));
    assertDoesNotThrow(() -> HandlerCoverage.check(Path.of("kv.js"), Set.of("Get"), kv()));
  }

  @Test
  void aMisspeltHandlerIsNamedWithTheMethodsItCouldHaveMeant() throws Exception {
    var error = assertThrows(StartupException.class,
        () -> HandlerCoverage.check(Path.of("kv.js"), Set.of("get", "Put"), kv()));
    assertEquals("kv.js exports get, which matches no method of proto.KV (its methods: Get, Put); "
        + "rename it or stop exporting it", error.getMessage());
  }
}
