package dev.bridge.plugin;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plugin's own services, looked up per call so they can be replaced while the server runs (grpc-util's
 * MutableHandlerRegistry does the same, but that artifact is not a direct dependency).
 */
final class SwappableServices extends HandlerRegistry {
  private final Map<String, ServerServiceDefinition> services = new ConcurrentHashMap<>();

  @Override
  public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
    String serviceName = MethodDescriptor.extractFullServiceName(methodName);
    if (serviceName == null) {
      return null;
    }
    ServerServiceDefinition service = services.get(serviceName);
    return service == null ? null : service.getMethod(methodName);
  }

  @Override
  public List<ServerServiceDefinition> getServices() {
    return List.copyOf(services.values());
  }

  /**
   * Serves exactly {@code next} from now on. Same-named services are replaced in place, so a service present before
   * and after is never briefly missing; the set as a whole does not change atomically.
   */
  synchronized void replaceAll(List<ServerServiceDefinition> next) {
    Set<String> names = new HashSet<>();
    for (ServerServiceDefinition service : next) {
      String name = service.getServiceDescriptor().getName();
      services.put(name, service);
      names.add(name);
    }
    services.keySet().retainAll(names);
  }
}
