package dev.bridge.script;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The level of the {@code console} call running now. GraalJS's console writes its output, formatted,
 * to the context's stdout or stderr synchronously within the call; the prelude's console methods set
 * their level around that write, so the line writers can hand each line on with the level of the method
 * that wrote it. Lines written outside any console call get the stream's own level.
 */
final class ConsoleLevelTag {
  /** Set on the JS thread; volatile because a context closed from another thread may flush its streams there. */
  private volatile ConsoleLevel current;

  ConsoleLevel levelOr(ConsoleLevel untagged) {
    ConsoleLevel level = current;
    return level == null ? untagged : level;
  }

  /**
   * The function the prelude calls: {@code tag('WARN')} sets the level and returns the one it replaces
   * (a name, or {@code null} for none), which the caller sets back afterwards, so that a console call
   * made while formatting another one's arguments leaves the outer level in place.
   */
  ProxyExecutable function() {
    return args -> {
      ConsoleLevel previous = current;
      Value next = args.length == 0 ? null : args[0];
      current = next == null || next.isNull() ? null : ConsoleLevel.valueOf(next.asString());
      return previous == null ? null : previous.name();
    };
  }
}
