package dev.bridge.rpc;

import com.google.protobuf.Descriptors.MethodDescriptor;
import java.util.Optional;

/** Finds the implementation of each method of the services a plugin serves. */
public interface Handlers {
  /** The handler for this method, or empty when the implementation has none (served as UNIMPLEMENTED). */
  Optional<MethodHandler> find(MethodDescriptor method);

  /** How the implementation names the handler it would need for this method, for error messages. */
  String describeMissing(MethodDescriptor method);
}
