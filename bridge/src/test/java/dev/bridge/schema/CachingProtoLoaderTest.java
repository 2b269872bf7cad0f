package dev.bridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.bridge.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingProtoLoaderTest {
  @TempDir Path dir;
  Path cacheDir;
  Path protos;
  Path shop;
  final AtomicInteger parses = new AtomicInteger();

  @BeforeEach
  void writeProtos() throws IOException {
    cacheDir = dir.resolve("cache");
    protos = Files.createDirectories(dir.resolve("protos"));
    write(protos.resolve("common.proto"), """
        syntax = "proto3";
        package demo;
        message Item { string name = 1; }
        """);
    shop = write(protos.resolve("shop.proto"), """
        syntax = "proto3";
        package demo;
        import "common.proto";
        import "google/protobuf/timestamp.proto";
        message Order { repeated Item items = 1; google.protobuf.Timestamp at = 2; }
        service Shop { rpc Place(Order) returns (Item); }
        """);
  }

  @Test
  void aSecondLoadComesFromTheCacheWithTheSameDescriptorsAndWatchedFiles() throws Exception {
    ProtoSchema parsed = loader().load(List.of(shop), List.of());
    ProtoSchema cached = loader().load(List.of(shop), List.of());

    assertEquals(1, parses.get(), "the second load did not parse");
    assertEquals(allProtos(parsed), allProtos(cached));
    assertEquals(parsed.sourceFiles(), cached.sourceFiles());
    assertEquals(List.of(shop.toAbsolutePath(), protos.resolve("common.proto").toAbsolutePath()).stream().sorted().toList(),
        cached.sourceFiles().stream().sorted().toList());
    assertEquals(parsed.source(), cached.source());
    assertEquals(1, entries().size());
  }

  @Test
  void severalRequestedFilesOneImportingAnotherAreServedFromTheCache() throws Exception {
    Path common = protos.resolve("common.proto");
    ProtoSchema parsed = loader().load(List.of(common, shop), List.of());
    ProtoSchema cached = loader().load(List.of(common, shop), List.of());

    assertEquals(1, parses.get());
    assertEquals(List.of("common.proto", "shop.proto"), cached.files().stream().map(FileDescriptor::getName).toList());
    assertEquals(allProtos(parsed), allProtos(cached));
  }

  @Test
  void anEditWhileParsingIsCaughtAtTheNextLoad() throws Exception {
    Path common = protos.resolve("common.proto");
    ProtoParser editsAfterReading = layout -> {
      ParsedProtos parsed = countingParser().parse(layout);
      try {
        write(common, Files.readString(common).replace("string name = 1;", "string name = 1; string note = 2;"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return parsed;
    };
    new CachingProtoLoader(Optional.of(new SchemaCache(cacheDir, "test build")), editsAfterReading)
        .load(List.of(shop), List.of());

    ProtoSchema next = loader().load(List.of(shop), List.of());

    assertEquals(2, parses.get(), "the entry written with the old content was not served");
    assertEquals(List.of("name", "note"), fieldNames(message(next, "Place").getOutputType()));
  }

  @Test
  void aLoadWithoutACacheParsesEveryTime() throws Exception {
    var loader = new CachingProtoLoader(Optional.empty(), countingParser());
    loader.load(List.of(shop), List.of());
    loader.load(List.of(shop), List.of());
    assertEquals(2, parses.get());
    assertFalse(Files.exists(cacheDir));
  }

  @Test
  void editingTheRequestedProtoIsAMissAndGivesTheNewSchema() throws Exception {
    loader().load(List.of(shop), List.of());
    write(shop, Files.readString(shop).replace("rpc Place(Order) returns (Item);",
        "rpc Place(Order) returns (Item);\n  rpc Cancel(Order) returns (Item);"));

    ProtoSchema edited = loader().load(List.of(shop), List.of());

    assertEquals(2, parses.get());
    assertEquals(List.of("Place", "Cancel"), methodNames(edited, "demo.Shop"));
    loader().load(List.of(shop), List.of());
    assertEquals(2, parses.get(), "the new schema was cached in place of the old");
    assertEquals(1, entries().size());
  }

  @Test
  void editingAnImportedProtoIsAMissAndGivesTheNewSchema() throws Exception {
    loader().load(List.of(shop), List.of());
    write(protos.resolve("common.proto"), """
        syntax = "proto3";
        package demo;
        message Item { string name = 1; int32 count = 2; }
        """);

    ProtoSchema edited = loader().load(List.of(shop), List.of());

    assertEquals(2, parses.get());
    assertEquals(List.of("name", "count"), fieldNames(message(edited, "Place").getOutputType()));
  }

  @Test
  void anImportAppearingUnderASecondRootIsAMissAndWireReportsItAmbiguous() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    loader().load(List.of(shop), List.of(first));
    loader().load(List.of(shop), List.of(first));
    assertEquals(1, parses.get());
    write(first.resolve("common.proto"), Files.readString(protos.resolve("common.proto")));

    var error = assertThrows(SchemaLoadException.class, () -> loader().load(List.of(shop), List.of(first)));

    assertEquals(2, parses.get());
    assertTrue(error.getMessage().contains("common.proto is ambiguous"), error.getMessage());
  }

  @Test
  void aDanglingLinkUnderAnEarlierRootCountsAsThereForWireAndForTheCache() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    loader().load(List.of(shop), List.of(first));
    Path link = Files.createSymbolicLink(first.resolve("common.proto"), dir.resolve("nowhere.proto"));

    var error = assertThrows(SchemaLoadException.class, () -> loader().load(List.of(shop), List.of(first)));

    assertEquals(2, parses.get());
    assertTrue(error.getMessage().startsWith("Failed to load " + link), error.getMessage());
  }

  @Test
  void anImportMovedToAnotherRootIsAMissAndIsWatchedWhereItIsNow() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    loader().load(List.of(shop), List.of(first));
    Files.move(protos.resolve("common.proto"), first.resolve("common.proto"));

    ProtoSchema moved = loader().load(List.of(shop), List.of(first));

    assertEquals(2, parses.get());
    assertTrue(moved.sourceFiles().contains(first.resolve("common.proto").toAbsolutePath()), moved.sourceFiles().toString());
  }

  @Test
  void aWellKnownTypeShadowedByAFileOnDiskIsAMissAndTheFileIsUsed() throws Exception {
    loader().load(List.of(shop), List.of());
    write(protos.resolve("google/protobuf/timestamp.proto"), """
        syntax = "proto3";
        package google.protobuf;
        message Timestamp { int64 seconds = 1; int32 nanos = 2; string zone = 3; }
        """);

    ProtoSchema shadowed = loader().load(List.of(shop), List.of());

    assertEquals(2, parses.get());
    Descriptor timestamp = message(shadowed, "Place").getInputType().findFieldByName("at").getMessageType();
    assertEquals(List.of("seconds", "nanos", "zone"), fieldNames(timestamp));
  }

  @Test
  void theImplicitlyLoadedDescriptorProtoShadowedOnDiskIsAMiss() throws Exception {
    loader().load(List.of(shop), List.of());
    // Wire loads google/protobuf/descriptor.proto for every schema, imported or not: a copy on disk wins.
    write(protos.resolve("google/protobuf/descriptor.proto"), "syntax = \"proto2\";\npackage google.protobuf;\n");

    assertThrows(SchemaLoadException.class, () -> loader().load(List.of(shop), List.of()));
    assertEquals(2, parses.get());
  }

  @Test
  void aDamagedEntryIsAMissLoggedAtDebugAndIsRewritten() throws Exception {
    loader().load(List.of(shop), List.of());
    Path entry = entries().getFirst();
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(entry, bytes);

    List<LogRecord> logged = new ArrayList<>();
    ProtoSchema schema = withSchemaLog(logged, () -> loader().load(List.of(shop), List.of()));

    assertEquals(2, parses.get());
    assertTrue(logged.stream().anyMatch(record -> record.getLevel() == Level.FINE
        && record.getMessage().equals("schema cache entry unreadable")), logged.toString());
    assertEquals(List.of("Place"), methodNames(schema, "demo.Shop"));
    loader().load(List.of(shop), List.of());
    assertEquals(2, parses.get(), "the rewritten entry served the third load");
  }

  @Test
  void aTruncatedOrEmptyEntryIsAMiss() throws Exception {
    loader().load(List.of(shop), List.of());
    Path entry = entries().getFirst();
    byte[] bytes = Files.readAllBytes(entry);
    Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length - 40));
    loader().load(List.of(shop), List.of());
    Files.write(entry, new byte[0]);
    loader().load(List.of(shop), List.of());
    assertEquals(3, parses.get());
  }

  @Test
  void aCacheDirectoryThatCannotBeCreatedStillLoads() throws Exception {
    Files.writeString(cacheDir, "a file where the directory should be");

    ProtoSchema first = loader().load(List.of(shop), List.of());
    ProtoSchema second = loader().load(List.of(shop), List.of());

    assertEquals(2, parses.get());
    assertEquals(allProtos(first), allProtos(second));
  }

  @Test
  void aMissingCacheDirectoryIsCreated() throws Exception {
    cacheDir = dir.resolve("not/yet/there");
    loader().load(List.of(shop), List.of());
    assertEquals(1, entries().size());
  }

  @Test
  void aSchemaErrorIsReportedAsWithoutTheCacheAndNothingIsCached() throws Exception {
    Path broken = write(protos.resolve("broken.proto"), """
        syntax = "proto3";
        message A { string name = ; }
        """);
    var uncached = assertThrows(SchemaLoadException.class,
        () -> new ProtoFileLoader().load(List.of(broken), List.of()));

    var cached = assertThrows(SchemaLoadException.class, () -> loader().load(List.of(broken), List.of()));

    assertEquals(uncached.getMessage(), cached.getMessage());
    assertTrue(cached.getMessage().contains("broken.proto:2:"), cached.getMessage());
    assertFalse(Files.exists(cacheDir) && !entries().isEmpty(), "a failed parse wrote an entry");
  }

  @Test
  void aMissingProtoFileIsReportedAsWithoutTheCache() {
    var error = assertThrows(SchemaLoadException.class,
        () -> loader().load(List.of(protos.resolve("nope.proto")), List.of()));
    assertTrue(error.getMessage().endsWith("nope.proto: no such .proto file"), error.getMessage());
    assertEquals(0, parses.get());
  }

  @Test
  void differentImportRootsHaveEntriesOfTheirOwn() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    loader().load(List.of(shop), List.of());
    loader().load(List.of(shop), List.of(other));
    assertEquals(2, parses.get());
    assertEquals(2, entries().size());

    loader().load(List.of(shop), List.of());
    loader().load(List.of(shop), List.of(other));
    assertEquals(2, parses.get());
  }

  @Test
  void anotherBuildOfTheBridgeDoesNotUseTheEntriesOfThisOne() throws Exception {
    loader().load(List.of(shop), List.of());
    new CachingProtoLoader(Optional.of(new SchemaCache(cacheDir, "another build")), countingParser())
        .load(List.of(shop), List.of());
    assertEquals(2, parses.get());
  }

  @Test
  void aRootThatIsASymbolicLinkIsSearchedAtItsTargetAndRetargetingItIsAMiss() throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("v1"));
    Path v2 = Files.createDirectories(dir.resolve("v2"));
    write(v1.resolve("money.proto"), "syntax = \"proto3\";\npackage demo;\nmessage Money { int64 cents = 1; }\n");
    write(v2.resolve("money.proto"), "syntax = \"proto3\";\npackage demo;\nmessage Money { int64 units = 1; }\n");
    Path link = Files.createSymbolicLink(dir.resolve("current"), v1);
    Path bank = write(protos.resolve("bank.proto"), """
        syntax = "proto3";
        package demo;
        import "money.proto";
        service Bank { rpc Pay(Money) returns (Money); }
        """);
    loader().load(List.of(bank), List.of(link));
    loader().load(List.of(bank), List.of(link));
    assertEquals(1, parses.get());

    Files.delete(link);
    Files.createSymbolicLink(link, v2);
    ProtoSchema retargeted = loader().load(List.of(bank), List.of(link));

    assertEquals(2, parses.get());
    assertEquals(List.of("units"), fieldNames(message(retargeted, "Pay").getInputType()));
  }

  interface Load {
    ProtoSchema run() throws Exception;
  }

  private static ProtoSchema withSchemaLog(List<LogRecord> records, Load load) throws Exception {
    try (LogCapture log = LogCapture.start("dev.bridge.schema", Level.FINE)) {
      try {
        return load.run();
      } finally {
        records.addAll(log.records());
      }
    }
  }

  private CachingProtoLoader loader() {
    return new CachingProtoLoader(Optional.of(new SchemaCache(cacheDir, "test build")), countingParser());
  }

  private ProtoParser countingParser() {
    return layout -> {
      parses.incrementAndGet();
      return new ProtoFileLoader().parse(layout);
    };
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> files = Files.list(cacheDir)) {
      return files.toList();
    }
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  /** The requested files and everything they import, as protos, in a stable order. */
  private static List<String> allProtos(ProtoSchema schema) {
    List<String> protos = new ArrayList<>();
    List<FileDescriptor> pending = new ArrayList<>(schema.files());
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.removeFirst();
      String proto = file.toProto().toString();
      if (!protos.contains(proto)) {
        protos.add(proto);
        pending.addAll(file.getDependencies());
      }
    }
    assertNotEquals(List.of(), protos);
    return protos;
  }

  private static com.google.protobuf.Descriptors.MethodDescriptor message(ProtoSchema schema, String method) {
    return schema.service("demo.Shop").or(() -> schema.service("demo.Bank")).orElseThrow().findMethodByName(method);
  }

  private static List<String> methodNames(ProtoSchema schema, String service) {
    return schema.service(service).orElseThrow().getMethods().stream().map(m -> m.getName()).toList();
  }

  private static List<String> fieldNames(Descriptor message) {
    return message.getFields().stream().map(f -> f.getName()).toList();
  }
}
