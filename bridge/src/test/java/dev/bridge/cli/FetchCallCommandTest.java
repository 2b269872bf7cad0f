package dev.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bridge.cli.CallRuns.Outcome;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch} through {@code bridgejs call}, granted by the manifest or by {@code --allow-net}. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)  // a hang guard only
@ExtendWith(CallRuns.class)
class FetchCallCommandTest {
  private static final String PROTO = """
      syntax = "proto3";
      package dev;
      message Req { string key = 1; }
      message Res { string text = 1; }
      service Echo { rpc Get(Req) returns (Res); }
      """;
  private static final String SCRIPT = """
      export async function Get({ key }) {
        const r = await fetch(key);
        const { greeting } = await r.json();
        return { text: r.status + ' ' + greeting };
      }
      """;

  @TempDir Path dir;
  private HttpServer server;
  private String url;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hello", exchange -> {
      byte[] body = "{\"greeting\": \"hi\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private Path plugin(String permissions) throws Exception {
    Files.writeString(dir.resolve("echo.proto"), PROTO);
    Files.writeString(dir.resolve("echo.plugin.json"), "{\"proto\": \"echo.proto\"" + permissions + "}");
    return Files.writeString(dir.resolve("echo.js"), SCRIPT);
  }

  @Test
  void theManifestGrantsTheHost() throws Exception {
    Path script = plugin(", \"permissions\": {\"net\": [\"127.0.0.1:" + server.getAddress().getPort() + "\"]}");
    Outcome call = CallRuns.call("", script.toString(), "Get", "{\"key\": \"" + url + "\"}");
    assertEquals(new Outcome(0, "{\n  \"text\": \"200 hi\"\n}\n", ""), call);
  }

  @Test
  void withoutTheGrantTheCallFailsNamingWhatToAdd() throws Exception {
    Path script = plugin("");
    Outcome call = CallRuns.call("", script.toString(), "Get", "{\"key\": \"" + url + "\"}");
    assertEquals(CallCommand.EXIT_CALL_FAILED, call.exitCode());
    assertTrue(call.stderr().contains("fetch " + url + ": denied: add \"127.0.0.1\" to permissions.net in "
        + "echo.plugin.json"), call.stderr());
  }

  @Test
  void allowNetGrantsItOnTheCommandLine() throws Exception {
    Path script = plugin("");
    Outcome call = CallRuns.call("", script.toString(), "Get", "--allow-net=127.0.0.1", "{\"key\": \"" + url + "\"}");
    assertEquals(0, call.exitCode(), call.stderr());
    assertTrue(call.stdout().contains("200 hi"), call.stdout());
  }
}
