package dev.bridge.script;

import static dev.bridge.script.ScriptFixture.call;
import static dev.bridge.script.ScriptFixture.put;
import static dev.bridge.script.ScriptFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Random;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1 MiB values cross between Java and JavaScript in bulk (one host-buffer copy in, one readBuffer out)
 * and come back byte-identical, round after round. How fast is for the benchmark suite to say; this
 * only logs the figure.
 */
class BytesTransferTest {
  private static final Logger LOG = Logger.getLogger(BytesTransferTest.class.getName());
  @TempDir Path dir;
  @TempDir Path files;

  @Test
  void megabyteValuesRoundTripByteIdenticalRoundAfterRound() throws Exception {
    byte[] megabyte = new byte[1 << 20];
    new Random(7).nextBytes(megabyte);
    var putRequest = put("k", megabyte);
    try (var runtime = ScriptFixture.load(SharedEngine.ENGINE, dir, files, """
        export function Put(request) { globalThis.last = request.value; }
        export function Get() { return { value: globalThis.last }; }
        """)) {
      int rounds = 20;
      long best = Long.MAX_VALUE;
      long total = 0;
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        call(runtime, TestProtos.PUT, putRequest);
        byte[] back = value(call(runtime, TestProtos.GET, ScriptFixture.get("k")));
        long elapsed = System.nanoTime() - start;
        best = Math.min(best, elapsed);
        total += elapsed;
        assertArrayEquals(megabyte, back);
      }
      LOG.info("1 MiB in and out of JavaScript: best " + best / 1e6 + " ms, mean " + total / rounds / 1e6 + " ms");
    }
  }
}
