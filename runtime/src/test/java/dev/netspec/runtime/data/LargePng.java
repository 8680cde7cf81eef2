package dev.netspec.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes PNGs of any size without holding their pixels: one colour, a 1-bit palette, the rows
 * compressed as they are made (20000 × 20000 is a 50 KB file).
 */
public final class LargePng {
  private LargePng() {}

  /** A valid PNG of {@code width × height} pixels, all of colour {@code rgb}. */
  public static void write(Path file, int width, int height, int rgb) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (DeflaterOutputStream rows = new DeflaterOutputStream(compressed,
        new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
      byte[] row = new byte[1 + (width + 7) / 8]; // filter 0, then every pixel palette entry 0
      for (int y = 0; y < height; y++) {
        rows.write(row);
      }
    }
    write(file, width, height, compressed.toByteArray(), rgb);
  }

  /** A PNG whose header says {@code width × height} and whose pixel data does not decode. */
  public static void headerOnly(Path file, int width, int height) throws IOException {
    write(file, width, height, new byte[] {1, 2, 3, 4}, 0);
  }

  private static void write(Path file, int width, int height, byte[] idat, int rgb)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(header);
    h.writeInt(width);
    h.writeInt(height);
    h.write(new byte[] {1, 3, 0, 0, 0}); // 1 bit per pixel, palette, deflate, no interlace
    chunk(out, "IHDR", header.toByteArray());
    chunk(out, "PLTE", new byte[] {(byte) (rgb >> 16), (byte) (rgb >> 8), (byte) rgb, 0, 0, 0});
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    Files.write(file, bytes.toByteArray());
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
