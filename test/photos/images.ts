import { crc32 } from "node:zlib";
import sharp from "sharp";

/** A camera-like JPEG: 3000×2000, with the photographer and a GPS position in its EXIF. */
export function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .withExif({
      IFD0: { Artist: "Agent Smit", Copyright: "Politie" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "52/1 22/1 23/1", GPSLongitudeRef: "E", GPSLongitude: "4/1 53/1 33/1" },
    })
    .jpeg()
    .toBuffer();
}

export function smallPng(width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

/** A valid PNG whose header declares `width`×`height` pixels of what a few bytes hold: a decompression bomb. */
export async function pngBomb(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await smallPng(1, 1));
  // IHDR's data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type and data (bytes 12-28).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="https://example.com/x.png"/></svg>',
);
