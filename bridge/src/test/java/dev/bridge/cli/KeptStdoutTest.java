package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** System.out becomes the stdout the launcher kept (bin/bridgejs names it in bridge.stdout). */
class KeptStdoutTest {
  @TempDir Path dir;
  private PrintStream realOut;

  @BeforeEach
  void keepRealOut() {
    realOut = System.out;
  }

  @AfterEach
  void restore() {
    System.setOut(realOut);
    System.clearProperty(KeptStdout.PROPERTY);
  }

  @Test
  void withoutTheLaunchersPropertySystemOutIsLeftAlone() {
    assertEquals(Optional.empty(), KeptStdout.use());
    assertTrue(System.out == realOut);
  }

  @Test
  void systemOutWritesToTheKeptStdoutAfterWhatItAlreadyHeld() throws Exception {
    Path kept = Files.writeString(dir.resolve("stdout"), "before\n");
    System.setProperty(KeptStdout.PROPERTY, kept.toString());
    assertEquals(Optional.empty(), KeptStdout.use());
    System.out.println("1|1|unix|/tmp/plugin1|grpc|");
    assertEquals("before\n1|1|unix|/tmp/plugin1|grpc|\n", Files.readString(kept, StandardCharsets.UTF_8));
  }

  @Test
  void aKeptStdoutThatCannotBeOpenedIsAnErrorNamingTheProperty() {
    Path missing = dir.resolve("no-such-dir").resolve("stdout");
    System.setProperty(KeptStdout.PROPERTY, missing.toString());
    String error = KeptStdout.use().orElseThrow();
    assertTrue(error.contains("bridge.stdout=" + missing), error);
    assertTrue(System.out == realOut);
  }
}
