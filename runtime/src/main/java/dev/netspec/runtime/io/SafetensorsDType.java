package dev.netspec.runtime.io;

import java.util.Optional;

/**
 * The element types a {@code .safetensors} header may name, with their sizes in bytes. Only the
 * floating-point ones {@link #readable() can be read} (as float32); the others are recognized
 * so that a file holding them, such as BatchNorm's int64 {@code num_batches_tracked}, still opens.
 */
public enum SafetensorsDType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  F8_E4M3(1, false),
  F8_E5M2(1, false),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U64(8, false),
  U32(4, false),
  U16(2, false),
  U8(1, false),
  BOOL(1, false);

  private final int bytes;
  private final boolean readable;

  SafetensorsDType(int bytes, boolean readable) {
    this.bytes = bytes;
    this.readable = readable;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether its values can be read as float32 (F64, F32, F16, BF16). */
  public boolean readable() {
    return readable;
  }

  /** The type named {@code name} exactly as the format spells it, if any. */
  public static Optional<SafetensorsDType> parse(String name) {
    for (SafetensorsDType type : values()) {
      if (type.name().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
