package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Start-up check that every function a script exports serves a method: a misspelt handler
 * ({@code export function get}) would otherwise leave its method UNIMPLEMENTED without a word.
 */
final class HandlerCoverage {
  private HandlerCoverage() {}

  static void check(Path script, Set<String> exportedFunctions, List<ServiceDescriptor> services)
      throws StartupException {
    Set<String> methods = new TreeSet<>();
    services.forEach(service -> service.getMethods().stream().map(MethodDescriptor::getName).forEach(methods::add));
    Set<String> unmatched = new TreeSet<>(exportedFunctions);
    unmatched.removeAll(methods);
    if (!unmatched.isEmpty()) {
      throw new StartupException(script + " exports " + String.join(", ", unmatched)
          + (unmatched.size() == 1 ? ", which matches" : ", which match") + " no method of "
          + String.join(", ", services.stream().map(ServiceDescriptor::getFullName).toList())
          + " (its methods: " + String.join(", ", methods) + "); rename it or stop exporting it");
    }
  }
}
