import sharp, { type Metadata } from "sharp";
import { Errors, withDetails } from "../errors.js";

/** The largest upload accepted (the body limit of PUT /v1/alerts/{id}/photo): 5 MB. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/**
 * Pixels a photo may declare before it is decoded: 40 megapixels is above any phone camera's default (12-24 MP) and
 * far below a decompression bomb (a 5 MB PNG can declare billions of pixels of one colour).
 */
export const MAX_INPUT_PIXELS = 40_000_000;
/** Phones show it at most this wide or high: enough for a face or a number plate, about 100-250 kB as JPEG. */
export const PHOTO_EDGE = 1280;

export const PHOTO_MEDIA_TYPES = ["image/jpeg", "image/png"] as const;

export interface StoredImage {
  image: Buffer;
  contentType: "image/jpeg";
  width: number;
  height: number;
}

const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are, by their signature: the media type a client names is not believed. */
export function sniff(bytes: Buffer): "jpeg" | "png" | null {
  if (bytes.subarray(0, 3).equals(JPEG_MAGIC)) return "jpeg";
  if (bytes.subarray(0, 8).equals(PNG_MAGIC)) return "png";
  return null;
}

const rejected = (reason: string, message: string) => withDetails(new Errors.ImageRejected(message), { reason });

/**
 * Decodes a JPEG or PNG, turns it upright (EXIF orientation) and re-encodes it as a JPEG of at most PHOTO_EDGE
 * pixels a side. Nothing of the original file survives but its pixels: sharp writes no EXIF, GPS, XMP or ICC
 * metadata unless asked to. Anything else (SVG, GIF, WebP, truncated files, bombs) is refused before decoding.
 */
export async function preparePhoto(bytes: Buffer): Promise<StoredImage> {
  const format = sniff(bytes);
  if (!format) throw rejected("not_jpeg_or_png", "The photo must be a JPEG or PNG image");
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw rejected("undecodable", "The image could not be read");
  }
  if (meta.format !== format) throw rejected("not_jpeg_or_png", "The photo must be a JPEG or PNG image");
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (!pixels) throw rejected("undecodable", "The image could not be read");
  if (pixels > MAX_INPUT_PIXELS)
    throw withDetails(
      new Errors.ImageRejected(`The image declares ${meta.width}×${meta.height} pixels; at most 40 megapixels`),
      { reason: "too_many_pixels", width: meta.width, height: meta.height, maxPixels: MAX_INPUT_PIXELS },
    );
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate()
      .resize({ width: PHOTO_EDGE, height: PHOTO_EDGE, fit: "inside", withoutEnlargement: true })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { image: data, contentType: "image/jpeg", width: info.width, height: info.height };
  } catch {
    throw rejected("undecodable", "The image could not be read");
  }
}
