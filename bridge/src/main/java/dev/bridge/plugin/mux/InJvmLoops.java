package dev.bridge.plugin.mux;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalIoHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.UUID;

/** Event loops and addresses for the in-JVM channels that carry yamux streams to gRPC servers and clients. */
public final class InJvmLoops {
  private InJvmLoops() {}

  /** Daemon loops for in-JVM channels; the caller shuts them down. */
  public static EventLoopGroup create(String name) {
    return new MultiThreadIoEventLoopGroup(
        Math.max(2, Runtime.getRuntime().availableProcessors()), new DefaultThreadFactory(name, true),
        LocalIoHandler.newFactory());
  }

  /** A fresh in-JVM address: nothing outside this process can reach it. */
  public static LocalAddress freshAddress(String purpose) {
    return new LocalAddress("bridge-" + purpose + "-" + UUID.randomUUID());
  }
}
