package dev.bridge.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An OutOfMemoryError no one catches, on a thread that is no script's (a timer, a gRPC thread), ends the
 * process at once with one error line, so that a host sees its plugin exit instead of a plugin that lost
 * a thread and fails slowly. Run in a JVM of its own: the process halts.
 */
class UncaughtOutOfMemoryTest {
  /** The forked JVM's main: a thread dies of an OutOfMemoryError while the main thread would wait forever. */
  public static final class Dies {
    public static void main(String[] args) throws Exception {
      HeapWatch.exitOnUncaughtOutOfMemory();
      Thread.ofPlatform().name("bridge-call-timers").start(() -> {
        throw new OutOfMemoryError("Java heap space");
      });
      Thread.sleep(60_000);
      System.exit(7);  // not reached when the handler ends the process
    }
  }

  @Test
  void theProcessExitsAtOnceWithOneErrorLine() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Dies.class.getName())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process did not exit");
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, process.exitValue(), stderr);
    List<String> lines = stderr.lines().filter(line -> !line.isBlank()).toList();
    assertTrue(lines.stream().anyMatch(line -> line.contains("the plugin ran out of Java heap on its thread "
        + "bridge-call-timers (Java heap space), so it exits")), stderr);
    assertTrue(lines.stream().noneMatch(line -> line.contains("Exception in thread")), stderr);
  }
}
