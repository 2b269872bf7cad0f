package dev.bridge.script;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random, valid messages of any type, deterministic for a seed: every scalar type with its edge values,
 * repeated fields, maps of every key type, oneofs, {@code optional}, recursion down to a depth, unknown
 * numbers of open enums, and the well-known types (also out-of-range Timestamps and Durations, which
 * travel in their raw form, and {@code Any}s of known, well-known, nested and unknown types).
 *
 * <p>A plain generator rather than a property-testing library's: see {@link RandomRoundTripTest}.
 */
final class RandomMessages {
  private static final String[] SPECIAL_STRINGS = {
    "", "__proto__", "constructor", "toString", "@type", "value", "0", "-1", "007", "1e3", "a.b", "ünï", "✓",
    "\u0000", "😀"
  };
  private static final String[] TYPE_URL_PREFIXES = {"type.googleapis.com/", "example.com/x/", ""};

  private final Random random;
  /** Most elements per repeated field or map; longest strings and byte arrays, roughly. */
  private final int size;
  /** Message nesting allowed below the root. */
  private final int depth;
  private final TypeRegistry types;

  RandomMessages(long seed, int size, int depth, TypeRegistry types) {
    this.random = new Random(seed);
    this.size = size;
    this.depth = depth;
    this.types = types;
  }

  DynamicMessage message(Descriptor type) {
    return message(type, 0);
  }

  private DynamicMessage message(Descriptor type, int level) {
    DynamicMessage special = wellKnown(type, level);
    if (special != null) {
      return special;
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (field.getRealContainingOneof() != null) {
        continue;
      }
      boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField();
      if (message && level >= depth) {
        if (field.isRequired()) {
          builder.setField(field, message(field.getMessageType(), level + 1));
        }
        continue;
      }
      if (field.isMapField()) {
        fillMap(builder, field, level);
      } else if (field.isRepeated()) {
        int count = random.nextInt(size + 1);
        for (int i = 0; i < count; i++) {
          builder.addRepeatedField(field, single(field, level));
        }
      } else if (field.isRequired() || random.nextInt(3) > 0) {
        builder.setField(field, single(field, level));
      }
    }
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      int choice = random.nextInt(oneof.getFieldCount() + 1);
      if (choice < oneof.getFieldCount()) {
        FieldDescriptor field = oneof.getField(choice);
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || level < depth) {
          builder.setField(field, single(field, level));
        }
      }
    }
    return builder.build();
  }

  private void fillMap(DynamicMessage.Builder builder, FieldDescriptor field, int level) {
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE && level >= depth) {
      return;
    }
    Map<Object, Object> entries = new LinkedHashMap<>();
    int count = random.nextInt(size + 1);
    for (int i = 0; i < count; i++) {
      entries.put(single(keyField, level), single(valueField, level));
    }
    for (Map.Entry<Object, Object> entry : entries.entrySet()) {
      builder.addRepeatedField(field, DynamicMessage.newBuilder(entryType)
          .setField(keyField, entry.getKey()).setField(valueField, entry.getValue()).build());
    }
  }

  private Object single(FieldDescriptor field, int level) {
    return switch (field.getType()) {
      case STRING -> string();
      case BYTES -> ByteString.copyFrom(bytes());
      case BOOL -> random.nextBoolean();
      case INT32, SINT32, SFIXED32, UINT32, FIXED32 -> int32();
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> int64();
      case FLOAT -> float32();
      case DOUBLE -> float64();
      case ENUM -> enumValue(field.getEnumType());
      case MESSAGE, GROUP -> message(field.getMessageType(), level + 1);
    };
  }

  private Object enumValue(EnumDescriptor type) {
    if (!type.isClosed() && random.nextInt(8) == 0) {
      int number = int32();
      return type.findValueByNumberCreatingIfUnknown(number);
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  private String string() {
    if (random.nextInt(4) == 0) {
      return SPECIAL_STRINGS[random.nextInt(SPECIAL_STRINGS.length)];
    }
    int length = random.nextInt(size * 2 + 1);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int codePoint = switch (random.nextInt(4)) {
        case 0 -> 0x20 + random.nextInt(0x5f);
        case 1 -> random.nextInt(0x800);
        case 2 -> {
          int c = random.nextInt(0x10000);
          yield c >= 0xD800 && c <= 0xDFFF ? 'x' : c;
        }
        default -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
      };
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  private byte[] bytes() {
    byte[] bytes = new byte[random.nextInt(size * 3 + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  private int int32() {
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> new int[] {1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 255, -2}[random.nextInt(6)];
      case 2 -> random.nextInt(200) - 100;
      default -> random.nextInt();
    };
  }

  private long int64() {
    return switch (random.nextInt(6)) {
      case 0 -> 0L;
      case 1 -> new long[] {1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1}[random.nextInt(7)];
      case 2 -> random.nextInt(200) - 100;
      default -> random.nextLong();
    };
  }

  private float float32() {
    float f = switch (random.nextInt(4)) {
      case 0 -> new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
          Float.MAX_VALUE, 0.1f, -1.5f}[random.nextInt(9)];
      case 1 -> random.nextInt(1000) - 500;
      default -> Float.intBitsToFloat(random.nextInt());
    };
    return Float.isNaN(f) ? Float.NaN : f;
  }

  private double float64() {
    double d = switch (random.nextInt(4)) {
      case 0 -> new double[] {0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
          Double.MAX_VALUE, 0.1, 9007199254740993d}[random.nextInt(9)];
      case 1 -> random.nextInt(1000) - 500;
      default -> Double.longBitsToDouble(random.nextLong());
    };
    return Double.isNaN(d) ? Double.NaN : d;
  }

  // --- well-known types

  private DynamicMessage wellKnown(Descriptor type, int level) {
    return switch (WellKnownType.of(type)) {
      case NONE, EMPTY, WRAPPER -> null;
      case FIELD_MASK -> fieldMask(type);
      case TIMESTAMP -> random.nextInt(10) == 0
          ? secondsNanos(type, int64(), int32())
          : secondsNanos(type, between(WellKnown.TIMESTAMP_MIN_SECONDS, WellKnown.TIMESTAMP_MAX_SECONDS), nanos());
      case DURATION -> {
        if (random.nextInt(10) == 0) {
          yield secondsNanos(type, int64(), int32());
        }
        long seconds = between(-WellKnown.DURATION_MAX_SECONDS, WellKnown.DURATION_MAX_SECONDS);
        if (random.nextBoolean()) {
          seconds = random.nextInt(7200) - 3600;
        }
        int nanos = nanos();
        yield secondsNanos(type, seconds, seconds < 0 || (seconds == 0 && random.nextBoolean()) ? -nanos : nanos);
      }
      case STRUCT -> struct(type, level);
      case VALUE -> value(type, level);
      case LIST_VALUE -> listValue(type, level);
      case ANY -> any(type, level);
    };
  }

  private long between(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  private int nanos() {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private static DynamicMessage secondsNanos(Descriptor type, long seconds, int nanos) {
    return DynamicMessage.newBuilder(type).setField(type.findFieldByNumber(1), seconds)
        .setField(type.findFieldByNumber(2), nanos).build();
  }

  private DynamicMessage fieldMask(Descriptor type) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    int count = random.nextInt(size + 1);
    for (int i = 0; i < count; i++) {
      List<String> parts = new ArrayList<>();
      for (int p = random.nextInt(3); p >= 0; p--) {
        parts.add(new String[] {"a", "user", "display_name", "x1", "items"}[random.nextInt(5)]);
      }
      builder.addRepeatedField(type.findFieldByNumber(1), String.join(".", parts));
    }
    return builder.build();
  }

  private DynamicMessage struct(Descriptor type, int level) {
    FieldDescriptor fields = type.findFieldByNumber(1);
    Descriptor entryType = fields.getMessageType();
    Descriptor valueType = entryType.findFieldByNumber(2).getMessageType();
    Map<String, DynamicMessage> entries = new LinkedHashMap<>();
    int count = level >= depth + 2 ? 0 : random.nextInt(size + 1);
    for (int i = 0; i < count; i++) {
      entries.put(string(), value(valueType, level + 1));
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    entries.forEach((key, value) -> builder.addRepeatedField(fields, DynamicMessage.newBuilder(entryType)
        .setField(entryType.findFieldByNumber(1), key).setField(entryType.findFieldByNumber(2), value).build()));
    return builder.build();
  }

  private DynamicMessage listValue(Descriptor type, int level) {
    FieldDescriptor values = type.findFieldByNumber(1);
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    int count = level >= depth + 2 ? 0 : random.nextInt(size + 1);
    for (int i = 0; i < count; i++) {
      builder.addRepeatedField(values, value(values.getMessageType(), level + 1));
    }
    return builder.build();
  }

  /** Always with a kind: a Value without one is {@code null} in JS, and comes back as {@code NULL_VALUE}. */
  private DynamicMessage value(Descriptor type, int level) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    int kind = level >= depth + 2 ? random.nextInt(4) : random.nextInt(6);
    FieldDescriptor field = type.findFieldByNumber(kind + 1);
    switch (kind) {
      case 0 -> builder.setField(field, field.getEnumType().findValueByNumber(0));
      case 1 -> builder.setField(field, finite(float64()));
      case 2 -> builder.setField(field, string());
      case 3 -> builder.setField(field, random.nextBoolean());
      case 4 -> builder.setField(field, struct(field.getMessageType(), level + 1));
      default -> builder.setField(field, listValue(field.getMessageType(), level + 1));
    }
    return builder.build();
  }

  /** A Value's number: NaN and the infinities have no JSON form, and the mapping refuses them. */
  private double finite(double d) {
    return Double.isFinite(d) ? d : random.nextDouble();
  }

  private DynamicMessage any(Descriptor type, int level) {
    String prefix = TYPE_URL_PREFIXES[random.nextInt(TYPE_URL_PREFIXES.length)];
    String name;
    ByteString payload;
    int choice = level >= depth + 1 ? 0 : random.nextInt(5);
    if (choice == 0) {
      name = "elsewhere.Unknown";
      payload = ByteString.copyFrom(bytes());
    } else {
      name = switch (choice) {
        case 1 -> "mapping.Node";
        case 2 -> new String[] {"google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.Struct",
            "google.protobuf.Value", "google.protobuf.Int64Value", "google.protobuf.BytesValue", "google.protobuf.Empty",
            "google.protobuf.FieldMask"}[random.nextInt(8)];
        case 3 -> "google.protobuf.Any";
        default -> "mapping.All";
      };
      Descriptor packed = types.forTypeUrl(name).orElseThrow();
      payload = message(packed, level + 1).toByteString();
    }
    return DynamicMessage.newBuilder(type)
        .setField(type.findFieldByNumber(1), prefix + name)
        .setField(type.findFieldByNumber(2), payload)
        .build();
  }
}
