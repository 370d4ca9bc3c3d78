/** Size assumed for images whose dimensions cannot be read (http URLs): 1024×1024. */
const UNKNOWN = { width: 1024, height: 1024 };

/**
 * Reads width and height from the first bytes of a `data:` image URL (PNG, GIF, WebP, JPEG).
 * Null for http(s) URLs and formats it cannot read.
 *
 * @example imageDimensions('data:image/png;base64,iVBORw0KGgo…') // { width: 1, height: 1 }
 */
export function imageDimensions(url: string): { width: number; height: number } | null {
  const match = /^data:image\/[^;,]*;base64,/.exec(url);
  if (!match) return null;
  // 64 KiB of base64 covers the headers of every format read here, JPEG's SOF included in practice.
  const head = Buffer.from(url.slice(match[0].length, match[0].length + 65_536), 'base64');
  if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47) return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  if (head.length >= 10 && head.toString('latin1', 0, 3) === 'GIF') return { width: head.readUInt16LE(6), height: head.readUInt16LE(8) };
  if (head.length >= 30 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') {
    const chunk = head.toString('latin1', 12, 16);
    if (chunk === 'VP8X') return { width: 1 + head.readUIntLE(24, 3), height: 1 + head.readUIntLE(27, 3) };
    if (chunk === 'VP8L') {
      const bits = head.readUInt32LE(21);
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
    }
    if (chunk === 'VP8 ') return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff };
  }
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) {
    let offset = 2;
    while (offset + 9 < head.length && head[offset] === 0xff) {
      const marker = head[offset + 1];
      const length = head.readUInt16BE(offset + 2);
      // Start-of-frame markers (baseline, progressive…), not DHT/JPG/DAC.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: head.readUInt16BE(offset + 7), height: head.readUInt16BE(offset + 5) };
      }
      offset += 2 + length;
    }
  }
  return null;
}

/**
 * Prompt tokens of one image, by OpenAI's published rule for its vision models (used for every
 * model so counts stay consistent): `low` costs 85; otherwise the image is fitted into 2048×2048,
 * its short side scaled to 768, and each 512-px tile costs 170 on top of 85.
 *
 * @example imageTokens('https://example.com/cat.png', 'auto') // 765 (assumed 1024×1024)
 */
export function imageTokens(url: string, detail: 'low' | 'high' | 'auto' | 'original' | undefined): number {
  if (detail === 'low') return 85;
  let { width, height } = imageDimensions(url) ?? UNKNOWN;
  if (width <= 0 || height <= 0) ({ width, height } = UNKNOWN);
  const fit = Math.min(1, 2048 / Math.max(width, height));
  width *= fit;
  height *= fit;
  const shrink = Math.min(1, 768 / Math.min(width, height));
  width *= shrink;
  height *= shrink;
  return 85 + 170 * Math.ceil(width / 512) * Math.ceil(height / 512);
}
