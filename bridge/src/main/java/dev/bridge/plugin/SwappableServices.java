package dev.bridge.plugin;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plugin's own services, looked up per call so they can be replaced while the server runs (grpc-util's
 * MutableHandlerRegistry does the same, but that artifact is not a direct dependency).
 */
final class SwappableServices extends HandlerRegistry {
  /** Replaced whole, so a call sees the services before a swap or after it, never a mix. */
  private volatile Map<String, ServerServiceDefinition> services = Map.of();

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

  /** Serves exactly {@code next} from now on, all at once. */
  void replaceAll(List<ServerServiceDefinition> next) {
    Map<String, ServerServiceDefinition> byName = new LinkedHashMap<>();
    for (ServerServiceDefinition service : next) {
      byName.put(service.getServiceDescriptor().getName(), service);
    }
    services = Collections.unmodifiableMap(byName);
  }
}
