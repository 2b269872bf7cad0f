package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * System.out becomes the descriptor the launcher kept (bin/bridgejs names its number in bridge.stdout),
 * written as inherited: the file is opened once here, as the shell opens it, and its path is never used
 * by KeptStdout.
 */
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
  void systemOutWritesToTheKeptDescriptorAfterWhatItAlreadyHeld() throws Exception {
    Path kept = Files.writeString(dir.resolve("stdout"), "before\n");
    try (var opened = new FileOutputStream(kept.toFile(), true)) {
      System.setProperty(KeptStdout.PROPERTY, String.valueOf(descriptorOf(kept)));
      assertEquals(Optional.empty(), KeptStdout.use());
      System.out.println("1|1|unix|/tmp/plugin1|grpc|");
      String large = "x".repeat(20_000); // more than one write(2) of the stream's buffer
      System.out.println(large);
    }
    assertEquals("before\n1|1|unix|/tmp/plugin1|grpc|\n" + "x".repeat(20_000) + "\n",
        Files.readString(kept, StandardCharsets.UTF_8));
  }

  @Test
  void theKeptDescriptorIsWrittenEvenAfterItsPathIsGone() throws Exception {
    Path kept = dir.resolve("stdout");
    try (var opened = new FileOutputStream(kept.toFile())) {
      System.setProperty(KeptStdout.PROPERTY, String.valueOf(descriptorOf(kept)));
      Files.delete(kept); // a path that cannot be opened any more, as /dev/fd/3 for another user's pipe
      assertEquals(Optional.empty(), KeptStdout.use());
      System.out.print("handshake");
      assertEquals("handshake".length(), opened.getChannel().position());
    }
  }

  @Test
  void aDescriptorThatIsNotOpenIsAnErrorNamingThePropertyAndTheReason() {
    System.setProperty(KeptStdout.PROPERTY, "987");
    String error = KeptStdout.use().orElseThrow();
    assertTrue(error.contains("bridge.stdout=987") && error.contains("not open"), error);
    assertTrue(System.out == realOut);
  }

  @Test
  void aDescriptorThatCannotBeWrittenFailsTheWritesWithTheReason() throws Exception {
    Path kept = Files.writeString(dir.resolve("read-only"), "");
    try (var opened = new java.io.FileInputStream(kept.toFile())) {
      System.setProperty(KeptStdout.PROPERTY, String.valueOf(descriptorOf(kept)));
      assertEquals(Optional.empty(), KeptStdout.use());
      System.out.print("handshake");
      assertTrue(System.out.checkError(), "a write to a descriptor open for reading fails");
    }
    String error = assertThrows(IOException.class, () -> DescriptorOutputStream.open(987)).getMessage();
    assertTrue(error.contains("987") && error.contains("Bad file descriptor"), error);
  }

  @Test
  void aValueThatIsNoDescriptorNumberIsAnError() {
    System.setProperty(KeptStdout.PROPERTY, "/dev/fd/3");
    String error = KeptStdout.use().orElseThrow();
    assertTrue(error.contains("bridge.stdout=/dev/fd/3") && error.contains("not a file descriptor number"), error);
    assertTrue(System.out == realOut);
  }

  /** The number of this process's descriptor open on {@code file}. */
  private static int descriptorOf(Path file) throws IOException {
    try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : open.toList()) {
        try {
          if (Files.readSymbolicLink(fd).equals(file)) {
            return Integer.parseInt(fd.getFileName().toString());
          }
        } catch (IOException e) {
          // a descriptor closed meanwhile (the listing's own)
        }
      }
    }
    throw new AssertionError("no descriptor open on " + file);
  }
}
