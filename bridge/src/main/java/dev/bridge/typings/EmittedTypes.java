package dev.bridge.typings;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.bridge.script.WellKnownType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The message and enum types that get declarations: every type the given files define (but for the
 * well-known types' own files), the services' request and response types, and every type these reach
 * through their fields. Well-known types with a JavaScript form of their own ({@code Timestamp} as a
 * {@code Date}, ...) are written as that form, never declared; map entry types are written as objects.
 *
 * @param messages in a stable order: the files', then what they reach
 * @param enums likewise
 */
record EmittedTypes(Set<Descriptor> messages, Set<EnumDescriptor> enums) {
  static final String WELL_KNOWN_FILES = "google/protobuf/";

  static EmittedTypes of(List<FileDescriptor> files, List<ServiceDescriptor> services) {
    var collector = new Collector();
    for (FileDescriptor file : files) {
      if (!file.getName().startsWith(WELL_KNOWN_FILES)) {
        file.getEnumTypes().forEach(collector::enumType);
        file.getMessageTypes().forEach(collector::messageAndNested);
      }
    }
    for (ServiceDescriptor service : services) {
      for (MethodDescriptor method : service.getMethods()) {
        collector.message(method.getInputType());
        collector.message(method.getOutputType());
      }
    }
    collector.reachAll();
    return new EmittedTypes(collector.messages, collector.enums);
  }

  /** Whether a message type is declared as interfaces (rather than written as a JavaScript form of its own). */
  static boolean isDeclared(Descriptor type) {
    WellKnownType kind = WellKnownType.of(type);
    return (kind == WellKnownType.NONE || kind == WellKnownType.EMPTY) && !type.getOptions().getMapEntry();
  }

  private static final class Collector {
    final Set<Descriptor> messages = new LinkedHashSet<>();
    final Set<EnumDescriptor> enums = new LinkedHashSet<>();
    private final Deque<Descriptor> toReach = new ArrayDeque<>();

    void enumType(EnumDescriptor type) {
      enums.add(type);
    }

    void messageAndNested(Descriptor type) {
      message(type);
      type.getEnumTypes().forEach(this::enumType);
      type.getNestedTypes().forEach(this::messageAndNested);
    }

    void message(Descriptor type) {
      if (isDeclared(type) && messages.add(type)) {
        toReach.add(type);
      }
    }

    void reachAll() {
      while (!toReach.isEmpty()) {
        for (FieldDescriptor field : toReach.poll().getFields()) {
          reach(field);
        }
      }
    }

    private void reach(FieldDescriptor field) {
      switch (field.getJavaType()) {
        case ENUM -> enumType(field.getEnumType());
        case MESSAGE -> {
          if (field.isMapField()) {
            reach(field.getMessageType().findFieldByNumber(2));
          } else {
            message(field.getMessageType());
          }
        }
        default -> { }
      }
    }
  }
}
