package dev.bridge.cli;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.rpc.DirectCall;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the method a person named on the command line: {@code Get} when one service has it, else
 * {@code KV/Get} or {@code proto.KV/Get} (also {@code proto.KV.Get}, as grpcurl writes it, and the
 * gRPC path {@code /proto.KV/Get}).
 */
final class MethodLookup {
  private MethodLookup() {}

  static MethodDescriptor find(List<ServiceDescriptor> services, String name) throws CallUsageException {
    return find(services, services, name);
  }

  /**
   * @param services the services served, where the method is looked for
   * @param loaded every service of the loaded proto files: a method of one not served is named as such
   */
  static MethodDescriptor find(List<ServiceDescriptor> services, List<ServiceDescriptor> loaded, String name)
      throws CallUsageException {
    String wanted = name.startsWith("/") ? name.substring(1) : name;
    List<MethodDescriptor> all = services.stream().flatMap(service -> service.getMethods().stream()).toList();
    List<MethodDescriptor> matches = all.stream().filter(method -> names(method).contains(wanted)).toList();
    if (matches.size() == 1) {
      return matches.getFirst();
    }
    if (matches.isEmpty()) {
      List<String> servedNames = services.stream().map(ServiceDescriptor::getFullName).toList();
      List<MethodDescriptor> unserved = loaded.stream().filter(service -> !servedNames.contains(service.getFullName()))
          .flatMap(service -> service.getMethods().stream()).filter(method -> names(method).contains(wanted)).toList();
      throw new CallUsageException("no method " + name + " in " + join(servedNames)
          + (unserved.isEmpty() ? "" : " (" + describe(unserved) + " is not served: --service or the manifest's "
              + "\"services\" leave its service out)")
          + "; its methods are: " + describe(all));
    }
    throw new CallUsageException(name + " is a method of several services: " + describe(matches)
        + "; name one as Service/Method");
  }

  private static List<String> names(MethodDescriptor method) {
    ServiceDescriptor service = method.getService();
    return List.of(method.getName(),
        service.getName() + "/" + method.getName(),
        service.getFullName() + "/" + method.getName(),
        service.getFullName() + "." + method.getName());
  }

  private static String describe(List<MethodDescriptor> methods) {
    return join(methods.stream().map(DirectCall::fullMethodName).toList());
  }

  private static String join(List<String> names) {
    return names.stream().collect(Collectors.joining(", "));
  }
}
