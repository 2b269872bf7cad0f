package dev.bridge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what one logger publishes, from {@link #start} until {@link #close}, which puts the logger's
 * level back. Records may arrive from any thread.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  // JUL holds loggers weakly: a logger whose level is set must stay referenced or the setting is lost.
  private final Logger logger;
  private final Level savedLevel;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger, Level level) {
    this.logger = logger;
    this.savedLevel = logger.getLevel();
    if (level != null) {
      logger.setLevel(level);
    }
    logger.addHandler(this);
  }

  /** Records the logger's records at its current level. */
  public static LogCapture start(String loggerName) {
    return new LogCapture(Logger.getLogger(loggerName), null);
  }

  /** Records the logger's records from {@code level} up, for as long as the capture is open. */
  public static LogCapture start(String loggerName, Level level) {
    return new LogCapture(Logger.getLogger(loggerName), level);
  }

  public List<LogRecord> records() {
    return records;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(savedLevel);
  }
}
