package dev.bridge.script;

/**
 * A module specifier that names no file the script may load: a package not installed, a path a package does not
 * export, a file a {@code package.json} field names that is missing, a Node built-in, a link out of the plugin's
 * directory. The message is the whole explanation, for the load error or the JavaScript {@code Error}.
 */
final class ModuleNotFoundException extends Exception {
  ModuleNotFoundException(String message) {
    super(message);
  }
}
