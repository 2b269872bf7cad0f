package dev.bridge.typings;

/**
 * The {@code tsconfig.json} beside a plugin's script that makes editors and {@code tsc -p DIR} check
 * its JavaScript against the generated declarations: ES2024 library only (no DOM, no
 * {@code @types/node}: the declarations provide what the runtime has), ES modules, strict.
 */
public final class TsConfig {
  public static final String FILE_NAME = "tsconfig.json";

  public static final String TEXT = """
      {
        "compilerOptions": {
          "target": "es2024",
          "lib": ["es2024"],
          "module": "esnext",
          "moduleResolution": "bundler",
          "types": [],
          "allowJs": true,
          "checkJs": true,
          "strict": true,
          "noEmit": true
        },
        "include": ["**/*.js", "**/*.mjs"]
      }
      """;

  private TsConfig() {}
}
