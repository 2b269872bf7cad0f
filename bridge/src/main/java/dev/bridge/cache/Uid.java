package dev.bridge.cache;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;

/** The process's effective user id, from {@code geteuid(2)}: Java has no API for it. */
public final class Uid {
  private Uid() {}

  public static long effective() throws IOException {
    try {
      Linker linker = Linker.nativeLinker();
      var geteuid = linker.downcallHandle(linker.defaultLookup().find("geteuid").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT));
      return Integer.toUnsignedLong((int) geteuid.invokeExact());
    } catch (Throwable e) {
      throw new IOException("geteuid(2) could not be called: " + e, e);
    }
  }
}
