package dev.bridge.plugin;

import dev.bridge.plugin.internal.StdioData;

/** Which of the host's output streams a piece of plugin output belongs on. */
public enum StdioStream {
  STDOUT(StdioData.Channel.STDOUT),
  STDERR(StdioData.Channel.STDERR);

  private final StdioData.Channel channel;

  StdioStream(StdioData.Channel channel) {
    this.channel = channel;
  }

  StdioData.Channel channel() {
    return channel;
  }
}
