package dev.bridge.warm;

/** Serves one plugin instance in the runtime (serving is the command line's: {@code cli.WarmInstances}). */
@FunctionalInterface
public interface InstanceRunner {
  /**
   * Serves until the instance ends; never exits the process.
   *
   * @return the exit code its client exits with
   * @throws java.io.IOException when the client cannot be written to
   */
  int run(InstanceLaunch launch) throws java.io.IOException, InterruptedException;
}
