package dev.bridge.schema;

import java.io.IOException;
import okio.Buffer;
import okio.FileSystem;
import okio.ForwardingFileSystem;
import okio.Path;
import okio.Source;

/** The file system Wire parses from: the real one, noting the digest of every file it reads. */
final class RecordingFileSystem extends ForwardingFileSystem {
  private final FileReads reads;

  RecordingFileSystem(FileSystem delegate, FileReads reads) {
    super(delegate);
    this.reads = reads;
  }

  @Override
  public Source source(Path file) throws IOException {
    // Read whole, so that the digest is of the very bytes Wire gets (Wire reads whole files anyway).
    Buffer content = new Buffer();
    try (Source source = super.source(file)) {
      content.writeAll(source);
    }
    reads.record(file.toString(), content.snapshot().toByteArray());
    return content;
  }
}
