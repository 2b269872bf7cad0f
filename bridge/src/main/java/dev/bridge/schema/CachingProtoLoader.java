package dev.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the schema of {@code .proto} files from the {@linkplain SchemaCache cache} when an entry is
 * there and still exactly what parsing would give, and otherwise parses them and stores the result.
 *
 * <p>An entry is served only if every file it was parsed from still has the same content, every import
 * would still be found in the same root, and no root now has a file shadowing a built-in one; whatever
 * else is off (no entry, a damaged one, an unwritable directory) means parsing as without a cache.
 * Errors in the files always come from the parser, and a failed parse stores nothing.
 */
public final class CachingProtoLoader {
  private final Optional<SchemaCache> cache;
  private final ProtoParser parser;

  /**
   * @param cache where parsed schemas are kept; empty parses every time
   * @param parser what parses on a miss ({@link ProtoParser#wire()})
   */
  public CachingProtoLoader(Optional<SchemaCache> cache, ProtoParser parser) {
    this.cache = cache;
    this.parser = parser;
  }

  public ProtoSchema load(List<Path> protoFiles, List<Path> importRoots) throws SchemaLoadException {
    ProtoLayout layout = ProtoLayout.of(protoFiles, importRoots);
    if (cache.isEmpty()) {
      return parser.parse(layout).schema(layout);
    }
    CacheKey key = cache.get().key(protoFiles, importRoots);
    Optional<ProtoSchema> cached = fromCache(cache.get(), key, layout);
    if (cached.isPresent()) {
      return cached.get();
    }
    ParsedProtos parsed = parser.parse(layout);
    ProtoSchema schema = parsed.schema(layout);
    store(cache.get(), key, layout, parsed);
    return schema;
  }

  private static Optional<ProtoSchema> fromCache(SchemaCache cache, CacheKey key, ProtoLayout layout) {
    Path path = cache.entryPath(key);
    Optional<CachedSchemaEntry> entry = cache.read(key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    try {
      checkFresh(entry.get(), layout);
      ProtoSchema schema = ParsedProtos.link(entry.get().descriptors().getFileList(), entry.get().origins(), layout);
      SchemaCache.debug("schema from the cache", path, "");
      return Optional.of(schema);
    } catch (IOException e) {
      SchemaCache.debug("schema cache entry out of date", path, String.valueOf(e));
      return Optional.empty();
    } catch (SchemaLoadException | RuntimeException e) {
      // The entry linked when it was written: it is damaged in a way the checksum missed, or unreadable here.
      SchemaCache.debug("schema cache entry unusable", path, String.valueOf(e));
      return Optional.empty();
    }
  }

  /** Returns normally if parsing the layout now would give the entry's schema; an IOException says why not. */
  private static void checkFresh(CachedSchemaEntry entry, ProtoLayout layout) throws IOException {
    OriginCheck.requireEverySource(layout, entry.origins());
    for (CachedSchemaEntry.CachedFile file : entry.files()) {
      Optional<Path> readPath = OriginCheck.readPath(layout, file.origin());
      if (readPath.isPresent() && !Sha256.hex(Files.readAllBytes(readPath.get())).equals(file.sha256())) {
        throw new IOException(readPath.get() + " changed");
      }
    }
  }

  private static void store(SchemaCache cache, CacheKey key, ProtoLayout layout, ParsedProtos parsed) {
    try {
      cache.write(key, entryFor(key, layout, parsed));
    } catch (IOException | RuntimeException e) {
      SchemaCache.debug("schema not cached", cache.entryPath(key), String.valueOf(e));
    }
  }

  /**
   * The entry for what the parser did, if this cache can tell later whether it would still do the
   * same: each file must be where the lookup rules say the parser takes it from, and every file the
   * parser read must be one of them. The digests are of what the parser read, not of the files now.
   */
  private static CachedSchemaEntry entryFor(CacheKey key, ProtoLayout layout, ParsedProtos parsed) throws IOException {
    OriginCheck.requireEverySource(layout, parsed.origins());
    List<CachedSchemaEntry.CachedFile> files = new ArrayList<>();
    Set<String> accounted = new HashSet<>();
    for (FileOrigin origin : parsed.origins()) {
      Optional<Path> readPath = OriginCheck.readPath(layout, origin);
      String digest = "";
      if (readPath.isPresent()) {
        String path = readPath.get().toString();
        digest = parsed.reads().digest(path).orElseThrow(() -> new IOException(
            "the parser did not read " + path + ", or read it twice with different contents"));
        accounted.add(path);
      }
      files.add(new CachedSchemaEntry.CachedFile(origin, digest));
    }
    for (String read : parsed.reads().paths()) {
      if (!accounted.contains(read)) {
        throw new IOException("the parser read " + read + ", which is not one of the schema's files");
      }
    }
    List<FileDescriptorProto> descriptors = parsed.descriptors();
    return new CachedSchemaEntry(key.text(), files, FileDescriptorSet.newBuilder().addAllFile(descriptors).build());
  }
}
