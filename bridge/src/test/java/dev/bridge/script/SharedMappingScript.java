package dev.bridge.script;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests whose methods share one {@link MappingScript}, and call its helpers by their names alone. */
abstract class SharedMappingScript {
  static MappingScript script;

  @BeforeAll
  static void loadMappingScript() throws Exception {
    script = new MappingScript();
  }

  @AfterAll
  static void closeMappingScript() throws Exception {
    script.close();
  }

  static String inspect(String json, String expression) throws Exception {
    return script.inspect(json, expression);
  }

  static String make(String expression) throws Exception {
    return script.make(expression);
  }

  static String makeFailure(String expression) throws Exception {
    return script.makeFailure(expression);
  }
}
