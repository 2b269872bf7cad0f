package dev.bridge.cli;

public final class Main {
  public static void main(String[] args) {
    System.err.println("bridge");
  }
}
