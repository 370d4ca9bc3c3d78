import type { Size } from '../../../computer/types.js';

/**
 * The pixel size of a PNG or JPEG given as a data URL (read from its header; nothing is decoded), or undefined.
 *
 * @example imageSizeOfDataUrl('data:image/png;base64,iVBORw0KGgo…') // { width: 1024, height: 768 }
 */
export function imageSizeOfDataUrl(url: string): Size | undefined {
  const match = /^data:image\/(png|jpe?g);base64,/i.exec(url);
  if (!match) return undefined;
  // The header fits in the first few KiB (JPEG SOF markers may come after EXIF; 64 KiB covers common files).
  const head = Buffer.from(url.slice(match[0].length, match[0].length + 87_384), 'base64');
  return match[1].toLowerCase() === 'png' ? pngSize(head) : jpegSize(head);
}

function pngSize(data: Buffer): Size | undefined {
  if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function jpegSize(data: Buffer): Size | undefined {
  let offset = 2;
  while (offset + 9 < data.length) {
    if (data[offset] !== 0xff) return undefined;
    const marker = data[offset + 1];
    const length = data.readUInt16BE(offset + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}
