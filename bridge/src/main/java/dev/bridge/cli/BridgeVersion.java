package dev.bridge.cli;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar's manifest at build time. */
final class BridgeVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"bridgejs " + (version == null ? "(development build)" : version)};
  }
}
