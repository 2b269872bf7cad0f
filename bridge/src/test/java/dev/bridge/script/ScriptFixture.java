package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.bridge.rpc.CallContext;
import dev.bridge.rpc.CallFailure;
import dev.bridge.rpc.DirectCall;
import dev.bridge.rpc.MethodHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Writing scripts into a temporary directory, loading them, and calling their handlers. */
final class ScriptFixture {
  private ScriptFixture() {}

  static Path write(Path dir, String name, String source) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    return file;
  }

  /** Writes {@code main.mjs} with this source into {@code dir} and loads it. */
  static ScriptRuntime load(JsEngine engine, Path dir, Path filesRoot, String source) throws Exception {
    return ScriptRuntime.load(engine, write(dir, "main.mjs", source), filesRoot, ConsoleSink.discard());
  }

  /** The message of the load failure of {@code main.mjs} with this source in {@code dir}. */
  static String loadError(Path dir, Path filesRoot, String source) {
    var e = org.junit.jupiter.api.Assertions.assertThrows(ScriptLoadException.class,
        () -> load(SharedEngine.ENGINE, dir, filesRoot, source).close());
    return e.getMessage();
  }

  static DynamicMessage call(ScriptRuntime runtime, MethodDescriptor method, DynamicMessage request) throws Exception {
    try {
      return handler(runtime, method).unary(request, context(method, Map.of())).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  static CallFailure failure(ScriptRuntime runtime, MethodDescriptor method, DynamicMessage request) throws Exception {
    try {
      DynamicMessage response = call(runtime, method, request);
      throw new AssertionError("expected the call to fail, got " + response);
    } catch (CallFailure failure) {
      return failure;
    } catch (CompletionException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The failure of a call made as {@code bridgejs call} makes it ({@link DirectCall}), which also writes the
   * failing call's log line.
   */
  static CallFailure directFailure(ScriptRuntime runtime, MethodDescriptor method, DynamicMessage request)
      throws Exception {
    try {
      DynamicMessage response = DirectCall.unary(method, runtime.handlers(), request, context(method, Map.of()))
          .get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected the call to fail, got " + response);
    } catch (ExecutionException e) {
      return DirectCall.failureOf(e);
    }
  }

  static MethodHandler handler(ScriptRuntime runtime, MethodDescriptor method) {
    var found = runtime.handlers().find(method);
    assertTrue(found.isPresent(), () -> runtime.handlers().describeMissing(method));
    return found.get();
  }

  static CallContext context(MethodDescriptor method, Map<String, List<String>> metadata) {
    return new CallContext("/" + method.getService().getFullName() + "/" + method.getName(), metadata);
  }

  static DynamicMessage get(String key) {
    var type = TestProtos.message("GetRequest");
    return DynamicMessage.newBuilder(type).setField(type.findFieldByName("key"), key).build();
  }

  static DynamicMessage put(String key, byte[] value) {
    var type = TestProtos.message("PutRequest");
    return DynamicMessage.newBuilder(type)
        .setField(type.findFieldByName("key"), key)
        .setField(type.findFieldByName("value"), ByteString.copyFrom(value))
        .build();
  }

  static byte[] value(DynamicMessage getResponse) {
    return ((ByteString) getResponse.getField(getResponse.getDescriptorForType().findFieldByName("value"))).toByteArray();
  }
}
