package dev.bridge.script;

import java.util.Locale;
import org.graalvm.polyglot.PolyglotException;

/**
 * Tells a script that ran out of Java heap from other resource exhaustion. GraalJS turns an
 * {@link OutOfMemoryError} raised while guest code runs into a {@link PolyglotException} that
 * {@linkplain PolyglotException#isResourceExhausted() is resource-exhausted}, with the error's message
 * ("Java heap space") and no cause; the context stays usable, but whatever filled the heap is still
 * referenced by the module state, so the instance is dropped all the same. A host stack overflow is
 * resource-exhausted too and is not about memory: it fails the one call only.
 */
final class HeapExhaustion {
  private HeapExhaustion() {}

  static boolean is(PolyglotException e) {
    if (!e.isResourceExhausted() || e.isInterrupted() || e.isCancelled()) {
      return false;
    }
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return !message.contains("stack");
  }

  /** Whether {@code failure} or one of its causes is the heap running out. */
  static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError || t instanceof PolyglotException p && is(p)) {
        return true;
      }
    }
    return false;
  }
}
